from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import kontonr, orgnr


def validate_org_number(value: str):
    """Norwegian organisasjonsnummer: 9 digits with a MOD11 check digit."""
    if not orgnr.is_valid(value or ""):
        raise ValidationError(
            _("«%(value)s» er ikke et gyldig organisasjonsnummer (9 siffer med riktig kontrollsiffer)."),
            code="org_number",
            params={"value": value},
        )


def validate_kommunenummer(value: str):
    if not (isinstance(value, str) and len(value) == 4 and value.isdigit()):
        raise ValidationError(_("Kommunenummer har fire siffer, f.eks. 0602."), code="kommunenummer")


def validate_bank_account(value: str):
    """Norwegian bank account: 11 digits with a MOD11 check digit."""
    if value and not kontonr.is_valid(value):
        raise ValidationError(
            _("«%(value)s» er ikke et gyldig kontonummer (11 siffer)."), code="bank_account", params={"value": value}
        )
