"""Fixed words of the invoice documents, in the invoice's language (the cooperation's: nb, nn or en).

Documents follow the cooperation's language, not the reader's: each function reads its words through
pgettext("invoice", …) inside translation.override(lang); the catalogues hold Nynorsk and English.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import pgettext

from khs.lib.i18n import document_language
from khs.lib.money import format_number


def words(lang: str) -> dict:
    """mail: see outbox work. The words the invoice and reminder mails put in their subjects."""
    with translation.override(document_language(lang)):
        return {
            "invoice": pgettext("invoice", "Faktura"),
            "credit_note": pgettext("invoice", "Kreditnota"),
            "contribution": pgettext("invoice", "Medlemskontingent"),
            "reminder": pgettext("invoice", "Betalingspåminnelse"),
        }


def plain_number(value, decimals: int | None = None) -> str:
    """450 000 / 2,50 with ordinary spaces: the line text is plain text for EHF, CSV and mail."""
    return format_number(value, lang="nb", decimals=decimals).replace("\xa0", " ")


def join_names(names: list[str], lang: str) -> str:
    """Asker, Hurum og Røyken"""
    if len(names) <= 1:
        return "".join(names)
    with translation.override(document_language(lang)):
        return ", ".join(names[:-1]) + f" {pgettext('invoice', 'og')} " + names[-1]


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
    with translation.override(document_language(lang)):
        text = pgettext("invoice", "Medlemskontingent %(year)s: %(inhabitants)s innbyggere × kr %(rate)s") % {
            "year": year,
            "inhabitants": plain_number(inhabitants),
            "rate": plain_number(rate, 2),
        }
        if months < 12:
            text += " × " + pgettext("invoice", "%(months)s/12 mnd.") % {"months": months}
        if override_reason:
            basis = pgettext("invoice", "særskilt grunnlag: %(reason)s") % {"reason": override_reason}
        else:
            basis = pgettext("invoice", "innbyggertall 1.1.%(year)s") % {"year": population_year}
            if predecessor_names:
                basis += " " + pgettext("invoice", "for %(names)s") % {"names": join_names(predecessor_names, lang)}
        if citation:
            basis += ", " + pgettext("invoice", "jf. vedtak i %(citation)s") % {"citation": citation}
    return f"{text} ({basis})"


def credit_line_text(*, lang: str, original_number: str, reason: str) -> str:
    with translation.override(document_language(lang)):
        return pgettext("invoice", "Kreditering av faktura %(number)s: %(reason)s") % {
            "number": original_number,
            "reason": reason,
        }


def vat_statement(*, lang: str, vat_registered: bool, vat_rate: Decimal) -> str:
    with translation.override(document_language(lang)):
        if not vat_registered:
            return pgettext(
                "invoice",
                "Samarbeidet er ikke registrert i Merverdiavgiftsregisteret. Det beregnes ikke merverdiavgift.",
            )
        rate = plain_number(vat_rate.normalize() if vat_rate == vat_rate.to_integral() else vat_rate)
        return pgettext("invoice", "Merverdiavgift %(rate)s %% er beregnet av beløpet uten merverdiavgift.") % {
            "rate": rate
        }


def item_name(invoice) -> str:
    """The EHF line's name: "Medlemskontingent 2018", or "Kreditering av faktura 2018-001"."""
    with translation.override(document_language(invoice.language)):
        if invoice.is_credit_note:
            return pgettext("invoice", "Kreditering av faktura %(number)s") % {
                "number": invoice.credited_invoice.number
            }
        return pgettext("invoice", "Medlemskontingent %(year)s") % {"year": invoice.year}


def default_reference(invoice) -> str:
    """The buyer reference when the municipality gave none: "Medlemskontingent 2018"."""
    with translation.override(document_language(invoice.language)):
        return pgettext("invoice", "Medlemskontingent %(year)s") % {"year": invoice.year}
