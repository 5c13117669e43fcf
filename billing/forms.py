"""Forms check and convert; the services persist."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import BillingProfile, PopulationReference
from billing.services.rates import PROFILE_FIELDS
from khs.lib.text import SingleLineMixin
from membership.validators import validate_bank_account


class _Form(SingleLineMixin, forms.Form):
    # Several forms share a page (payment, credit note): ids carry the form's own prefix, names do not.
    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MoneyField(forms.DecimalField):
    """An amount as Norwegians write it: "10 000,50", "kr 10 000", "10000.50" (spaces, NBSP, comma, "kr")."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value.lower().startswith("kr"):
                value = value[2:]
            for space in (" ", "\xa0", "\u202f", "\u2009"):
                value = value.replace(space, "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
            elif value.count(",") == 1 and value.count(".") >= 1 and value.rfind(",") > value.rfind("."):
                value = value.replace(".", "").replace(",", ".")  # 10.000,50
        return super().to_python(value)


class BillingProfileForm(_Form):
    invoice_prefix = forms.RegexField(
        label=_("Prefiks for fakturanummer"),
        max_length=10,
        required=False,
        regex=r"^[A-Za-z0-9ÆØÅæøå/_.-]*$",
        help_text=_("F.eks. «KHS-» gir fakturanummer KHS-1, KHS-2, …"),
        error_messages={"invalid": _("Bruk bokstaver, siffer og - / _ .")},
    )
    due_days = forms.IntegerField(label=_("Betalingsfrist (dager)"), min_value=1, max_value=365, initial=30)
    population_reference = forms.ChoiceField(
        label=_("Innbyggertall per"), choices=PopulationReference.choices, help_text=_("Står på hver faktura.")
    )
    vat_registered = forms.BooleanField(
        label=_("Samarbeidet er registrert i Merverdiavgiftsregisteret"), required=False
    )
    vat_rate = forms.DecimalField(
        label=_("Mva-sats (prosent)"),
        min_value=Decimal("0"),
        max_value=Decimal("99.99"),
        decimal_places=2,
        initial=Decimal("25"),
        localize=True,
    )
    payment_account = forms.CharField(
        label=_("Kontonummer for innbetaling"),
        max_length=20,
        required=False,
        help_text=_("11 siffer. Tomt: samarbeidets kontonummer."),
    )

    in_foretaksregisteret = forms.BooleanField(
        label=_("Samarbeidet er registrert i Foretaksregisteret"),
        required=False,
        help_text=_("Da står «Foretaksregisteret» på fakturaen (gjelder f.eks. interkommunale selskaper)."),
    )

    @classmethod
    def for_profile(cls, profile: BillingProfile, data=None):
        return cls(
            data=data,
            initial={f: getattr(profile, f) for f in PROFILE_FIELDS},
        )

    def clean_payment_account(self):
        account = "".join(ch for ch in self.cleaned_data["payment_account"] if ch not in " .")
        validate_bank_account(account)
        return account


class RateForm(_Form):
    id_prefix = "rate"
    per_inhabitant = forms.DecimalField(label=_("Kroner per innbygger"), max_digits=8, decimal_places=2, localize=True)
    valid_from = forms.DateField(
        label=_("Gjelder fra"),
        widget=DateInput(),
        help_text=_("Satsen gjelder kontingentår som begynner på eller etter denne datoen."),
    )
    resolution_text = forms.CharField(
        label=_("Vedtak (henvisning på fakturaen)"),
        max_length=200,
        required=False,
        help_text=_("F.eks. «ordførermøtet sak 2/2017». Kan stå tomt, men satsen blir da merket."),
    )
    resolution_date = forms.DateField(label=_("Vedtaksdato"), required=False, widget=DateInput())
    resolution_case = forms.ModelChoiceField(
        label=_("Vedtatt sak"),
        queryset=None,
        required=False,
        help_text=_("Når protokollen finnes: saken som fastsatte satsen."),
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        from meetings.models import Case

        self.fields["resolution_case"].queryset = cases if cases is not None else Case.objects.none()

    def clean_per_inhabitant(self):
        value = self.cleaned_data["per_inhabitant"]
        if value <= 0:
            raise forms.ValidationError(_("Satsen må være større enn null."))
        return value


class RunYearForm(_Form):
    """The year of the preview (GET) and the members billed pro rata."""

    year = forms.IntegerField(label=_("Kontingentår"), min_value=1990, max_value=2100)
    pro_rata = forms.TypedMultipleChoiceField(
        label=_("Forholdsmessig etter måneder"), coerce=int, required=False, choices=()
    )

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pro_rata"].choices = list(member_choices)


class BasisOverrideForm(_Form):
    id_prefix = "override"
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    year = forms.IntegerField(label=_("Kontingentår"), min_value=1990, max_value=2100, widget=forms.HiddenInput)
    inhabitants = forms.IntegerField(
        label=_("Innbyggere (grunnlag)"),
        min_value=1,
        error_messages={"min_value": _("Innbyggertallet må være større enn null.")},
    )
    reason = forms.CharField(
        label=_("Begrunnelse (står på fakturaen)"), max_length=300, help_text=_("F.eks. «kun tidligere Sande kommune».")
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class CreditNoteForm(_Form):
    id_prefix = "credit"

    class Scope:
        FULL = "full"
        PARTIAL = "partial"

    scope = forms.ChoiceField(
        label=_("Kreditering"),
        widget=forms.RadioSelect,
        initial="full",
        choices=[("full", _("Hele fakturaen")), ("partial", _("Et beløp"))],
    )
    amount = MoneyField(
        label=_("Beløp som krediteres (uten mva.)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Årsak (står på kreditnotaen)"), max_length=300)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "partial" and not cleaned.get("amount"):
            self.add_error("amount", _("Oppgi beløpet som skal krediteres."))
        return cleaned


class PaymentForm(_Form):
    """A payment as the treasurer types it: nothing is filled in for them (no amount, no date)."""

    id_prefix = "payment"
    paid_on = forms.DateField(label=_("Betalt dato"), widget=DateInput())
    amount = MoneyField(
        label=_("Beløp"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"min_value": _("Beløpet må være større enn null.")},
    )
    note = forms.CharField(label=_("Merknad"), max_length=300, required=False)


class PaymentReverseForm(_Form):
    id_prefix = "reverse"
    reason = forms.CharField(label=_("Hvorfor tilbakeføres innbetalingen?"), max_length=300)


class RateCaseForm(_Form):
    id_prefix = "ratecase"
    resolution_case = forms.ModelChoiceField(label=_("Vedtatt sak"), queryset=None)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution_case"].queryset = cases
