"""Fixed words of the invoice documents in the cooperation's language (nb or nn).

Documents follow the cooperation's language, not the reader's, and must be right in Nynorsk
without relying on .po files, so the few document words are kept here.
"""

from decimal import Decimal

from khs.lib.money import format_number

WORDS = {
    "nb": {
        "contribution": "Medlemskontingent",
        "inhabitants": "innbyggere",
        "population": "innbyggertall",
        "for": "for",
        "and": "og",
        "months": "mnd.",
        "special_basis": "særskilt grunnlag",
        "per_resolution": "jf. vedtak i",
        "credit_of": "Kreditering av faktura",
        "invoice": "Faktura",
        "credit_note": "Kreditnota",
        "reminder": "Betalingspåminnelse",
        "vat_outside": "Samarbeidet er ikke registrert i Merverdiavgiftsregisteret. Det beregnes ikke merverdiavgift.",
        "vat_registered": "Merverdiavgift {rate} % er beregnet av beløpet uten merverdiavgift.",
        "default_reference": "Medlemskontingent {year}",
    },
    "nn": {
        "contribution": "Medlemskontingent",
        "inhabitants": "innbyggjarar",
        "population": "innbyggjartal",
        "for": "for",
        "and": "og",
        "months": "mnd.",
        "special_basis": "særskilt grunnlag",
        "per_resolution": "jf. vedtak i",
        "credit_of": "Kreditering av faktura",
        "invoice": "Faktura",
        "credit_note": "Kreditnota",
        "reminder": "Betalingspåminning",
        "vat_outside": "Samarbeidet er ikkje registrert i Meirverdiavgiftsregisteret. Det blir ikkje rekna meirverdiavgift.",
        "vat_registered": "Meirverdiavgift {rate} % er rekna av beløpet utan meirverdiavgift.",
        "default_reference": "Medlemskontingent {year}",
    },
}

# Labels printed on the invoice PDF.
LABELS = {
    "nb": {
        "invoice": "Faktura",
        "credit_note": "Kreditnota",
        "number": "Fakturanummer",
        "credit_number": "Kreditnotanummer",
        "issue_date": "Fakturadato",
        "due_date": "Forfallsdato",
        "year": "Kontingentår",
        "population_date": "Innbyggertall per",
        "your_ref": "Deres referanse",
        "org": "Org.nr.",
        "buyer": "Faktureres til",
        "description": "Beskrivelse",
        "quantity": "Antall",
        "price": "Pris",
        "amount": "Beløp",
        "net": "Sum uten mva.",
        "vat": "Merverdiavgift",
        "total": "Å betale",
        "credit_total": "Kreditert beløp",
        "account": "Kontonummer",
        "kid": "KID",
        "pay_to": "Betalingsinformasjon",
        "credits": "Krediterer faktura",
        "of_date": "av",
        "reason": "Årsak",
        "credit_info": "Beløpet trekkes fra faktura {number}; er den betalt, tilbakebetales beløpet.",
        "kid_info": "Bruk KID ved betaling.",
        "ehf_info": "Fakturaen følger også som EHF (vedlagt denne PDF-en).",
        "period": "Periode",
    },
    "nn": {
        "invoice": "Faktura",
        "credit_note": "Kreditnota",
        "number": "Fakturanummer",
        "credit_number": "Kreditnotanummer",
        "issue_date": "Fakturadato",
        "due_date": "Forfallsdato",
        "year": "Kontingentår",
        "population_date": "Innbyggjartal per",
        "your_ref": "Dykkar referanse",
        "org": "Org.nr.",
        "buyer": "Fakturerast til",
        "description": "Skildring",
        "quantity": "Tal",
        "price": "Pris",
        "amount": "Beløp",
        "net": "Sum utan mva.",
        "vat": "Meirverdiavgift",
        "total": "Å betale",
        "credit_total": "Kreditert beløp",
        "account": "Kontonummer",
        "kid": "KID",
        "pay_to": "Betalingsinformasjon",
        "credits": "Krediterer faktura",
        "of_date": "av",
        "reason": "Årsak",
        "credit_info": "Beløpet blir trekt frå faktura {number}; er han betalt, blir beløpet betalt attende.",
        "kid_info": "Bruk KID ved betaling.",
        "ehf_info": "Fakturaen følgjer òg som EHF (lagd ved denne PDF-en).",
        "period": "Periode",
    },
}


def words(lang: str) -> dict:
    return WORDS.get(lang, WORDS["nb"])


def labels(lang: str) -> dict:
    return LABELS.get(lang, LABELS["nb"])


def plain_number(value, decimals: int | None = None) -> str:
    """450 000 / 2,50 with ordinary spaces: the line text is plain text for EHF, CSV and mail."""
    return format_number(value, lang="nb", decimals=decimals).replace("\xa0", " ")


def join_names(names: list[str], lang: str) -> str:
    """Asker, Hurum og Røyken"""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {words(lang)['and']} " + names[-1]


def contribution_line_text(
    *,
    lang: str,
    year: int,
    inhabitants: int,
    rate: Decimal,
    months: int,
    population_year: int,
    citation: str,
    override_reason: str = "",
    predecessor_names: list[str] | None = None,
) -> str:
    """Medlemskontingent 2018: 60 781 innbyggere × kr 2,50 (innbyggertall 1.1.2017, jf. vedtak i ordførermøtet sak 2/2017)"""
    w = words(lang)
    text = f"{w['contribution']} {year}: {plain_number(inhabitants)} {w['inhabitants']} × kr {plain_number(rate, 2)}"
    if months < 12:
        text += f" × {months}/12 {w['months']}"
    if override_reason:
        basis = f"{w['special_basis']}: {override_reason}"
    else:
        basis = f"{w['population']} 1.1.{population_year}"
        if predecessor_names:
            basis += f" {w['for']} {join_names(predecessor_names, lang)}"
    if citation:
        basis += f", {w['per_resolution']} {citation}"
    return f"{text} ({basis})"


def credit_line_text(*, lang: str, original_number: str, reason: str) -> str:
    return f"{words(lang)['credit_of']} {original_number}: {reason}"


def vat_statement(*, lang: str, vat_registered: bool, vat_rate: Decimal) -> str:
    w = words(lang)
    if not vat_registered:
        return w["vat_outside"]
    return w["vat_registered"].format(
        rate=plain_number(vat_rate.normalize() if vat_rate == vat_rate.to_integral() else vat_rate)
    )
