"""Forms of the register: they check and convert, the services save."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khs.lib.dates import format_date
from khs.lib.text import SingleLineMixin
from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER
from membership import rules
from membership.models import (
    Cooperation,
    CooperationAgreement,
    Membership,
    MembershipInvitation,
    Municipality,
    Office,
    Person,
)
from membership.services.cooperations import COOPERATION_FIELDS
from membership.services.municipalities import MUNICIPALITY_FIELDS
from membership.validators import validate_kommunenummer, validate_org_number

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class DateInput(forms.DateInput):
    """A native date picker; the browser sends 2017-06-15, people may also type 15.06.2017."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"],
    )


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return municipality_label(obj)


class MunicipalityMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return municipality_label(obj)


def municipality_label(municipality: Municipality) -> str:
    """0602 Drammen (til 31.12.2019) – numbers are reused, so the period tells them apart."""
    label = f"{municipality.number} {municipality.name}"
    if municipality.valid_from and municipality.valid_to:
        return f"{label} ({format_date(municipality.valid_from)}–{format_date(municipality.valid_to)})"
    if municipality.valid_to:
        return f"{label} ({_('til')} {format_date(municipality.valid_to)})"
    if municipality.valid_from:
        return f"{label} ({_('fra')} {format_date(municipality.valid_from)})"
    return label


def _apply_rule_errors(form, errors: dict):
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


# --- Cooperations ----------------------------------------------------------------------------------


class CooperationForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = Cooperation
        fields = list(COOPERATION_FIELDS)
        help_texts = {
            "org_number": _("9 siffer, f.eks. 974760673."),
            "bank_account": _("11 siffer, uten punktum. Står på fakturaene."),
            "language": _("Språket i innkallinger, protokoller og fakturaer."),
            "logo": _("Vises i brevhodet. PNG eller JPEG."),
        }

    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        hosts = hosts if hosts is not None else Cooperation.objects.none()
        if self.instance.pk:
            hosts = hosts.exclude(pk=self.instance.pk)
        self.fields["secretariat_host"].queryset = hosts
        self.fields["secretariat_host"].empty_label = _("(driver eget sekretariat)")
        self.fields["org_number"].required = True

    def clean_short_name(self):
        short_name = self.cleaned_data["short_name"].strip()
        if Cooperation.objects.filter(short_name__iexact=short_name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Kortnavnet «%(name)s» er allerede i bruk.") % {"name": short_name})
        return short_name


class AgreementForm(SingleLineMixin, forms.ModelForm):
    starts_on = date_field(_("fra"))
    ends_on = date_field(_("til"), required=False, help_text=_("Tom når avtalen løper til den sies opp."))

    class Meta:
        model = CooperationAgreement
        fields = ["title", "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Sluttdatoen kan ikke være før startdatoen."))
        return data


def staff_users():
    """Users with a staff role: the people a cooperation can be given to."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=[SECRETARIAT, TREASURER, ADMINISTRATOR]) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class StaffUserField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class CooperationStaffForm(SingleLineMixin, forms.Form):
    users = StaffUserField(
        label=_("Ansatte med tilgang"), queryset=staff_users(), required=False, widget=forms.CheckboxSelectMultiple
    )


# --- Municipalities --------------------------------------------------------------------------------


class MunicipalityForm(SingleLineMixin, forms.ModelForm):
    valid_from = date_field(_("gyldig fra"), required=False, help_text=_("Tom for kommuner eldre enn registeret."))
    valid_to = date_field(_("gyldig til"), required=False, help_text=_("Tom så lenge kommunen finnes."))

    class Meta:
        model = Municipality
        fields = ["number", *MUNICIPALITY_FIELDS]
        help_texts = {"number": _("Fire siffer, f.eks. 0602."), "org_number": _("9 siffer, f.eks. 939214895.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A new number is a new municipality period: record it as a successor, never type over it.
            del self.fields["number"]

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("«Gyldig til» kan ikke være før «gyldig fra»."))
        return data


class MunicipalityMergeForm(SingleLineMixin, forms.Form):
    predecessors = MunicipalityMultipleChoiceField(
        label=_("Kommuner som slås sammen eller får nytt nummer"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    on = date_field(
        _("Fra dato"),
        help_text=_("Den nye kommunen begynner denne dagen, f.eks. 01.01.2020; de gamle slutter dagen før."),
    )
    successor_number = forms.CharField(label=_("Nytt kommunenummer"), max_length=4, validators=[validate_kommunenummer])
    name = forms.CharField(label=_("Navn"), max_length=100)
    name_nn = forms.CharField(label=_("Navn på nynorsk"), max_length=100, required=False)
    county = forms.CharField(label=_("Fylke"), max_length=100, required=False)
    org_number = forms.CharField(
        label=_("Organisasjonsnummer"), max_length=9, required=False, validators=[validate_org_number]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = Municipality.objects.filter(successor__isnull=True).order_by("number")


# --- Memberships -----------------------------------------------------------------------------------


class MembershipForm(SingleLineMixin, forms.ModelForm):
    municipality = MunicipalityChoiceField(
        label=_("Kommune"), queryset=Municipality.objects.order_by("number", "valid_from")
    )
    starts_on = date_field(_("fra"))
    ends_on = date_field(_("til"), required=False, help_text=_("Siste dag som medlem. Tom når medlemskapet løper."))

    class Meta:
        model = Membership
        fields = ["municipality", "starts_on", "ends_on", "note"]

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperation = cooperation
        if self.instance.pk:
            del self.fields["municipality"]

    def clean(self):
        data = super().clean()
        municipality = data.get("municipality") or (self.instance.municipality if self.instance.pk else None)
        if municipality is not None and data.get("starts_on"):
            _apply_rule_errors(
                self,
                rules.membership_errors(
                    cooperation=self.cooperation,
                    municipality=municipality,
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    exclude_pk=self.instance.pk,
                ),
            )
        return data

    def _post_clean(self):
        pass  # the rules above and the service decide; the model's own checks would repeat them


class MembershipEndForm(SingleLineMixin, forms.Form):
    ends_on = date_field(_("Siste dag som medlem"))

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean(self):
        data = super().clean()
        if data.get("ends_on"):
            _apply_rule_errors(
                self,
                rules.membership_errors(
                    cooperation=self.membership.cooperation,
                    municipality=self.membership.municipality,
                    starts_on=self.membership.starts_on,
                    ends_on=data["ends_on"],
                    exclude_pk=self.membership.pk,
                ),
            )
        return data


class InvitationForm(SingleLineMixin, forms.Form):
    municipalities = MunicipalityMultipleChoiceField(
        label=_("Kommuner som inviteres"), queryset=Municipality.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    letter_title = forms.CharField(
        label=_("Brev"), max_length=300, help_text=_("F.eks. «Invitasjon til fortsatt deltagelse i 2012».")
    )
    sent_on = date_field(_("Sendt"))
    starts_on = date_field(_("Deltakelse fra"))
    ends_on = date_field(_("Deltakelse til"), required=False, help_text=_("Tom når deltakelsen løper videre."))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Sluttdatoen kan ikke være før startdatoen."))
        return data


class InvitationAnswerForm(SingleLineMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Svar"),
        widget=forms.RadioSelect,
        choices=[
            (MembershipInvitation.Answer.ACCEPTED, _("Takket ja")),
            (MembershipInvitation.Answer.DECLINED, _("Takket nei")),
        ],
    )
    answered_on = date_field(_("Dato for svaret"))
    reference = forms.CharField(
        label=_("Kommunens vedtak"),
        max_length=300,
        required=False,
        help_text=_("F.eks. «Kommunestyret 15.11.2011, sak 55/11»."),
    )
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        invitation = self.invitation
        if data.get("answered_on") and data["answered_on"] < invitation.sent_on:
            self.add_error(
                "answered_on",
                _("Svaret kan ikke komme før invitasjonen ble sendt (%(day)s).")
                % {"day": format_date(invitation.sent_on)},
            )
        if data.get("answer") == MembershipInvitation.Answer.ACCEPTED:
            errors = rules.membership_errors(
                cooperation=invitation.cooperation,
                municipality=invitation.municipality,
                starts_on=invitation.starts_on,
                ends_on=invitation.ends_on,
            )
            if errors:
                self.add_error("answer", " ".join(errors.values()))
        return data


# --- People and offices ----------------------------------------------------------------------------


class PersonForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "phone", "language"]
        help_texts = {
            "email": _("Innloggingslenker og innkallinger sendes hit."),
            "language": _("Språket i e-post til personen."),
        }

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        if email:
            other = Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).first()
            if other is not None:
                raise forms.ValidationError(
                    _("%(other)s er allerede registrert med e-postadressen %(email)s.")
                    % {"other": other.name, "email": email}
                )
        return email


class OfficeForm(SingleLineMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Verv"), choices=Office.Kind.choices)
    municipality = MunicipalityChoiceField(
        label=_("Kommune"),
        required=False,
        queryset=Municipality.objects.none(),
        help_text=_("For ordfører, varaordfører og kommunedirektør."),
    )
    body = forms.ModelChoiceField(
        label=_("Organ"), required=False, queryset=None, help_text=_("For leder, nestleder, medlem og varamedlem.")
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=100,
        required=False,
        help_text=_("Som det skal stå under signaturen, f.eks. «Dagleg leiar»."),
    )
    starts_on = date_field(_("fra"))
    ends_on = date_field(_("til"), required=False, help_text=_("Tom når vervet løper."))

    def __init__(self, *args, cooperation, people, municipalities, **kwargs):
        from membership.models import Body

        super().__init__(*args, **kwargs)
        self.cooperation = cooperation
        self.fields["person"].queryset = people
        # Only the municipalities whose offices this user may change (membership.access).
        self.fields["municipality"].queryset = municipalities.order_by("number", "valid_from")
        self.fields["body"].queryset = Body.objects.filter(cooperation=cooperation)

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("kind") and data.get("starts_on"):
            _apply_rule_errors(
                self,
                rules.office_errors(
                    person=data["person"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    municipality=data.get("municipality"),
                    body=data.get("body"),
                    cooperation=self.cooperation,
                ),
            )
        return data


class OfficeEditForm(SingleLineMixin, forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=100, required=False)
    starts_on = date_field(_("fra"))
    ends_on = date_field(_("til"), required=False, help_text=_("Siste dag i vervet. Tom når vervet løper."))

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office

    def clean(self):
        data = super().clean()
        office = self.office
        if data.get("starts_on"):
            _apply_rule_errors(
                self,
                rules.office_errors(
                    person=office.person,
                    kind=office.kind,
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    municipality=office.municipality,
                    body=office.body,
                    cooperation=office.cooperation,
                    exclude_pk=office.pk,
                    end_previous=False,
                ),
            )
        return data


class MemberContactForm(SingleLineMixin, forms.ModelForm):
    """Where this cooperation's invoices to a member go: the cooperation's own record."""

    class Meta:
        from membership.models import MemberContact

        model = MemberContact
        fields = [
            "invoice_street",
            "invoice_postcode",
            "invoice_city",
            "invoice_email",
            "invoice_reference",
            "contact_name",
            "contact_email",
        ]


class OfficeEndForm(SingleLineMixin, forms.Form):
    ends_on = date_field(_("Siste dag i vervet"))


# --- Population and the member list ----------------------------------------------------------------


class PopulationUploadForm(SingleLineMixin, forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "CSV fra SSB tabell 07459 slik den lastes ned (semikolonseparert), eller en enkel CSV med kolonnene "
            "kommunenummer,year,population."
        ),
    )
    source = forms.CharField(label=_("Kilde"), max_length=200, initial="SSB tabell 07459")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er for stor (over 20 MB)."))
        return upload


class MemberListForm(SingleLineMixin, forms.Form):
    on = date_field(_("Medlemmer per dato"))
    year = forms.TypedChoiceField(label=_("Innbyggertall per 1.1."), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Siste kjente"))] + [(y, str(y)) for y in years]
