"""Forms of the meetings app: they check and convert, the services persist."""

from datetime import datetime, time

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from khs.lib.text import SingleLineMixin
from meetings import rules
from meetings.errors import MeetingsError
from meetings.filetypes import ATTACHMENT_EXTENSIONS, attachment_check
from meetings.models import Case, Meeting
from meetings.richtext import clean_html, is_blank, text_size_check
from meetings.services.bodies import BODY_FIELDS, case_number_format_check
from membership.models import Body, Municipality, Person


class RichTextWidget(forms.Widget):
    """A Trix editor bound to a hidden input; rendered by templates/meetings/_richtext_field.html."""

    template_name = "meetings/widgets/richtext.html"

    def format_value(self, value):
        return clean_html(value)

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/meetings/widgets/), not the form renderer's own.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308


class RichTextField(forms.CharField):
    widget = RichTextWidget

    def to_python(self, value):
        value = super().to_python(value)
        try:
            text_size_check(value)  # before cleaning: cleaning megabytes costs time too
        except MeetingsError as error:
            raise forms.ValidationError(error.message) from None
        return "" if is_blank(value) else clean_html(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _aware(day, clock) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


class BodyForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = Body
        fields = list(BODY_FIELDS)

    def clean_quorum_minimum(self):
        value = self.cleaned_data.get("quorum_minimum")
        refusal = rules.quorum_minimum_refusal(value)
        if refusal:
            raise forms.ValidationError(refusal)
        return value

    def clean_case_number_format(self):
        value = self.cleaned_data["case_number_format"].strip()
        try:
            case_number_format_check(value)
        except MeetingsError as exc:
            raise forms.ValidationError(exc.message) from None
        return value

    def validate_unique(self):
        pass  # the service says it in words of its own


class MeetingForm(SingleLineMixin, forms.Form):
    """A meeting on one day: date, start and end time, place, deadline for registration."""

    body = forms.ModelChoiceField(label=_("Organ"), queryset=Body.objects.none())
    title = forms.CharField(
        label=_("Tittel"), max_length=300, help_text=_("F.eks. «Ordførermøte i Kommunehelsesamarbeidet (KHS)».")
    )
    day = forms.DateField(label=_("Dato"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starter kl."), widget=TimeInput())
    end_time = forms.TimeField(label=_("Slutter kl."), required=False, widget=TimeInput())
    place_name = forms.CharField(
        label=_("Sted"), max_length=200, required=False, help_text=_("F.eks. «Elvebakken gård, Svensfjøsset».")
    )
    place_address = forms.CharField(
        label=_("Adresse"), max_length=300, required=False, help_text=_("F.eks. «Heggeveien 5, 3403 Lier».")
    )
    registration_deadline = forms.DateField(
        label=_("Påmeldingsfrist"),
        required=False,
        widget=DateInput(),
        help_text=_("Påmelding er åpen til og med denne dagen."),
    )
    contact = forms.CharField(
        label=_("Kontaktperson"),
        max_length=300,
        required=False,
        help_text=_("Navn og e-post til den som tar imot spørsmål om møtet."),
    )

    def __init__(self, *args, cooperation=None, meeting: Meeting | None = None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            start = timezone.localtime(meeting.starts_at)
            kwargs["initial"] = {
                "body": meeting.body_id,
                "title": meeting.title,
                "day": start.date(),
                "start_time": start.time(),
                "end_time": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
                "place_name": meeting.place_name,
                "place_address": meeting.place_address,
                "registration_deadline": timezone.localtime(meeting.registration_deadline).date()
                if meeting.registration_deadline
                else None,
                "contact": meeting.contact,
            }
        super().__init__(*args, **kwargs)
        if meeting is not None:
            del self.fields["body"]  # a meeting stays in its body
        else:
            self.fields["body"].queryset = Body.objects.filter(cooperation=cooperation).order_by("name")

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start:
            data["starts_at"] = _aware(day, start)
            data["ends_at"] = _aware(day, end) if end else None
            if end and end < start:
                self.add_error("end_time", _("Møtet kan ikke slutte før det starter."))
        deadline = data.get("registration_deadline")
        data["registration_deadline_at"] = _aware(deadline, time(23, 59)) if deadline else None
        if deadline and day and deadline > day:
            self.add_error("registration_deadline", _("Påmeldingsfristen må være før møtet."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return dict(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place_name=data["place_name"],
            place_address=data["place_address"],
            registration_deadline=data["registration_deadline_at"],
            contact=data["contact"],
        )


class InviteeForm(SingleLineMixin, forms.Form):
    """A guest, or someone from the register, added to a meeting."""

    person = forms.ModelChoiceField(
        label=_("Fra registeret"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Velg en person, eller skriv navn og e-post under."),
    )
    name = forms.CharField(label=_("Navn"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    role = forms.CharField(
        label=_("Rolle"), max_length=100, required=False, help_text=_("F.eks. «Observatør» eller «Foredragsholder».")
    )
    municipality = forms.ModelChoiceField(
        label=_("Representerer kommune"), queryset=Municipality.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("prefix", "invitee")
        super().__init__(*args, **kwargs)
        cooperation = meeting.body.cooperation_id
        self.fields["person"].queryset = (
            Person.objects.filter(
                Q(offices__municipality__memberships__cooperation=cooperation)
                | Q(offices__body__cooperation=cooperation)
                | Q(offices__cooperation=cooperation)
            )
            .exclude(invitations__meeting=meeting)
            .distinct()
            .order_by("name")
        )
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(memberships__cooperation=cooperation).distinct().order_by("number")
        )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", _("Velg en person fra registeret eller skriv et navn."))
        return data


class CaseForm(SingleLineMixin, forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Type sak"),
        choices=Case.Kind.choices,
        help_text=_("En orienteringssak har vanligvis forslaget «Informasjonen tas til orientering»."),
    )
    background = RichTextField(label=_("Saksopplysning"), required=False)
    assessment = RichTextField(label=_("Vurdering"), required=False)
    proposed_resolution = RichTextField(label=_("Forslag til vedtak"), required=False)
    signer_name = forms.CharField(
        label=_("Underskriver"), max_length=200, required=False, help_text=_("F.eks. «Knut Arne Gurigard».")
    )
    signer_title = forms.CharField(
        label=_("Underskriverens tittel"), max_length=200, required=False, help_text=_("F.eks. «Dagleg leiar».")
    )
    document_place = forms.CharField(
        label=_("Sted for saksframlegget"), max_length=100, required=False, help_text=_("F.eks. «Ål».")
    )
    document_date = forms.DateField(label=_("Dato for saksframlegget"), required=False, widget=DateInput())

    RICH_FIELDS = ("background", "assessment", "proposed_resolution")

    @classmethod
    def initial_from(cls, case: Case) -> dict:
        return {name: getattr(case, name) for name in cls.base_fields}


class CaseMoveForm(SingleLineMixin, forms.Form):
    meeting = forms.ModelChoiceField(label=_("Flytt til møte"), queryset=Meeting.objects.none(), empty_label=None)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.title} {timezone.localtime(m.starts_at):%d.%m.%Y}"


class CaseWithdrawForm(SingleLineMixin, forms.Form):
    reason = forms.CharField(label=_("Hvorfor trekkes saken?"), max_length=500, required=False)


class MeetingCancelForm(SingleLineMixin, forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor avlyses møtet?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseTextImportForm(forms.Form):
    file = forms.FileField(
        label=_("Word-dokument (.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
    field = forms.ChoiceField(
        label=_("Til teksten"),
        choices=[
            ("background", _("Saksopplysning")),
            ("assessment", _("Vurdering")),
            ("proposed_resolution", _("Forslag til vedtak")),
        ],
    )
    replace = forms.BooleanField(label=_("Erstatt teksten som står der"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "docx")
        super().__init__(*args, **kwargs)


class AttachmentForm(SingleLineMixin, forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, DOCX, ODT, XLSX, PNG eller JPEG, høyst 25 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ATTACHMENT_EXTENSIONS)}),
    )
    title = forms.CharField(
        label=_("Tittel på vedlegget"),
        max_length=300,
        required=False,
        help_text=_("F.eks. «Brev frå Vestregionen dat. 7.10.2011». Tomt: filnavnet."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            attachment_check(upload)
        except MeetingsError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


class CaseReferenceForm(SingleLineMixin, forms.Form):
    earlier_case = forms.ModelChoiceField(label=_("Tidligere behandling (sak)"), queryset=Case.objects.none())
    note = forms.CharField(
        label=_("Merknad"),
        max_length=300,
        required=False,
        help_text=_("F.eks. «Styret vedtok i møte 23.01.2017 å gi styrets medlemmer i oppdrag …»."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("prefix", "reference")
        super().__init__(*args, **kwargs)
        self.fields["earlier_case"].queryset = (
            Case.objects.filter(body__cooperation_id=case.body.cooperation_id)
            .exclude(pk=case.pk)
            .select_related("body")
            .order_by("-year", "body__name", "-number")
        )
        self.fields["earlier_case"].label_from_instance = lambda c: f"{c.body.name} {c.label} {c.title}"
