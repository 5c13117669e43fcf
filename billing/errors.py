"""The one domain exception of billing, and the sentences billing keeps as data to word them later.

A run job's worker has no reader: what went wrong is stored as a `Say` (a code and its parameters) and worded
when the treasurer reads it, in the treasurer's language (billing/selectors.py run_progress).
"""

from django.utils.translation import gettext, gettext_noop

# code -> the Bokmål source sentence (its nn/en translations are in locale/), worded with gettext when shown.
SENTENCES = {
    "run_blocked": gettext_noop("Fakturakjøringen kan ikke starte før dette er rettet:"),
    "run_all_billed": gettext_noop("Alle medlemmer er allerede fakturert for %(year)s."),
    "run_in_progress": gettext_noop(
        "En fakturakjøring for %(year)s pågår allerede. Vent til den er ferdig og prøv igjen."
    ),
    "run_bad_year": gettext_noop("Ukjent kontingentår %(year)s: velg et år mellom %(first)s og %(last)s."),
    "run_no_rate": gettext_noop("Ingen kontingentsats gjelder for %(year)s. Registrer en sats først."),
    "run_unexpected": gettext_noop("Kjøringen stoppet på en uventet feil; ingenting er utstedt. Prøv igjen."),
    "ehf_not_built": gettext_noop("EHF for %(number)s kunne ikke lages: %(error)s"),
    "ehf_rules_broken": gettext_noop("EHF for %(number)s bryter reglene %(rules)s; ingenting er utstedt."),
    "kid_not_made": gettext_noop("KID kunne ikke lages: %(error)s"),
    "seller_no_org_number": gettext_noop("Samarbeidet mangler organisasjonsnummer."),
    "seller_bad_org_number": gettext_noop("Samarbeidets organisasjonsnummer %(number)s har feil kontrollsiffer."),
    "seller_no_account": gettext_noop("Samarbeidet mangler kontonummer for innbetaling."),
    "seller_bad_account": gettext_noop(
        "Kontonummeret %(account)s har feil kontrollsiffer; rett det i faktureringsoppsettet."
    ),
    "seller_no_address": gettext_noop("Samarbeidet mangler postadresse."),
    "member_no_population": gettext_noop("mangler innbyggertall per 1.1.%(year)s"),
    "member_no_org_number": gettext_noop("mangler organisasjonsnummer"),
    "member_bad_org_number": gettext_noop("organisasjonsnummeret %(number)s har feil kontrollsiffer"),
    "member_no_invoice_address": gettext_noop("mangler fakturaadresse"),
    "member_no_reference": gettext_noop("krever bestillerreferanse («Deres ref.»), men ingen er registrert"),
}
# Sentences that are not ours to translate: a member's name before its blocker, an official EHF rule's text,
# an error text kept from before codes were stored.
UNTRANSLATED = {
    "member_blocker": "%(name)s: %(blocker)s",
    "ehf_rule": "%(rule_id)s: %(text)s",
    "text": "%(text)s",
}


def _word(code: str, params: dict) -> str:
    template = gettext(SENTENCES[code]) if code in SENTENCES else UNTRANSLATED[code]
    values = {k: v.worded() if isinstance(v, Say) else v for k, v in params.items()}
    return template % values if values else template


class Say(str):
    """A sentence as data: `code` (a key of SENTENCES or UNTRANSLATED) and its parameters, which may be Says.

    It is also the sentence worded in the language active when it was made, so it reads as the plain text
    it replaces (the preview's blockers); `worded()` words it again in the language active now.
    """

    code: str
    params: dict

    def __new__(cls, code: str, params: dict | None = None):
        params = dict(params or {})
        said = super().__new__(cls, _word(code, params))
        said.code, said.params = code, params
        return said

    def worded(self) -> str:
        return _word(self.code, self.params)

    def as_data(self) -> dict:
        params = {k: v.as_data() if isinstance(v, Say) else v for k, v in self.params.items()}
        return {"code": self.code, "params": params}

    @classmethod
    def from_data(cls, data) -> "Say":
        """The Say stored by as_data (a plain string, as stored before codes, is kept as it is)."""
        if not isinstance(data, dict):
            return cls("text", {"text": str(data)})
        code, params = data.get("code", "text"), data.get("params", {})
        if code not in SENTENCES and code not in UNTRANSLATED:
            return cls("text", {"text": str(params.get("text", code))})
        return cls(code, {k: cls.from_data(v) if isinstance(v, dict) else v for k, v in params.items()})


def say(code: str, **params) -> Say:
    return Say(code, params)


def _said(detail) -> Say:
    """A detail as a Say: itself, a Blocker's message, or a plain text kept as it is."""
    said = getattr(detail, "message", detail)
    return said if isinstance(said, Say) else Say("text", {"text": str(detail)})


class BillingError(Exception):
    """A billing rule refused the action; `message` is translated and shown beside the form.

    `details` lists the particulars (the blockers of a run, the EHF rule ids that failed); `fix`,
    when given, is the billing.blockers.Blocker saying where the refusal is put right and by whom. When the
    message and details are Says (a Blocker's message is one), `as_data()` keeps them as data, to be worded
    later in the reader's language.
    """

    def __init__(self, message, details=None, fix=None):
        super().__init__(str(message))
        self.said = message if isinstance(message, Say) else Say("text", {"text": str(message)})
        self.said_details = [_said(d) for d in (details or [])]
        self.message = str(message)
        self.details = [str(d) for d in (details or [])]
        self.fix = fix

    def __str__(self):
        if self.details:
            return f"{self.message} " + "; ".join(self.details)
        return self.message

    def as_data(self) -> dict:
        return self.said.as_data() | {"details": [d.as_data() for d in self.said_details]}
