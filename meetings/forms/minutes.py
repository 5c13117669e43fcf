"""Forms of the minutes: they check and convert, the services (meetings.services.minutes) persist."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms.meetings import RichTextField
from meetings.models import ApprovalMode, ClosedBasis, MinutesItem, Participant

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class MinutesHeaderForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    started_at = forms.DateTimeField(
        label=_("Møtet satt"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    ended_at = forms.DateTimeField(
        label=_("Møtet hevet"), required=False, widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    place = forms.CharField(label=_("Sted"), max_length=500, required=False)
    chair_name = forms.CharField(label=_("Møteleder"), max_length=200, required=False)
    minute_taker_name = forms.CharField(label=_("Referent"), max_length=200, required=False)
    summons_approved = forms.BooleanField(label=_("Innkalling og dagsorden godkjent"), required=False)
    summons_note = forms.CharField(label=_("Merknad til innkalling og dagsorden"), max_length=500, required=False)


class MinutesItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    resolution = RichTextField(label=_("Vedtak"), required=False)
    decision = forms.ChoiceField(
        label=_("Behandling"), choices=[("", _("Ikke registrert"))] + list(MinutesItem.Decision.choices), required=False
    )
    vote_mode = forms.ChoiceField(label=_("Stemmemåte"), choices=MinutesItem.VoteMode.choices)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Mot"), min_value=0, required=False)
    votes_blank = forms.IntegerField(label=_("Blanke"), min_value=0, required=False)
    notes = RichTextField(label=_("Merknader fra behandlingen"), required=False)
    closed_session = forms.BooleanField(label=_("Behandlet for lukkede dører"), required=False)
    closed_basis = forms.ChoiceField(
        label=_("Hjemmel for lukking"), choices=[("", "—")] + list(ClosedBasis.choices), required=False
    )


class ProposalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    proposer = forms.CharField(label=_("Forslagsstiller"), max_length=200)
    text = forms.CharField(label=_("Forslag"), widget=forms.Textarea(attrs={"rows": 2}))
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Mot"), min_value=0, required=False)
    votes_blank = forms.IntegerField(label=_("Blanke"), min_value=0, required=False)
    adopted = forms.BooleanField(label=_("Forslaget ble vedtatt"), required=False)


class DisqualificationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    participant = forms.ModelChoiceField(label=_("Inhabil"), queryset=Participant.objects.none())
    ground = forms.CharField(label=_("Grunnlag"), max_length=300, initial="forvaltningsloven § 6")
    body_decision = forms.CharField(label=_("Organets avgjørelse"), max_length=500)
    substitute_name = forms.CharField(label=_("Settemedlem i saken (valgfritt)"), max_length=200, required=False)

    def __init__(self, *args, minutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if minutes is not None:
            self.fields["participant"].queryset = minutes.participants.filter(
                attendance=Participant.Attendance.PRESENT, role__in=[Participant.Role.MEMBER, Participant.Role.DEPUTY]
            )


class ItemAddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(MinutesItem.Kind.ANY_OTHER, _("Eventuelt")), (MinutesItem.Kind.REPORT, _("Referatsak"))],
    )
    title = forms.CharField(label=_("Tittel"), max_length=300)


class ParticipantAddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Navn"), max_length=200)
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[(Participant.Role.GUEST, _("Andre til stede")), (Participant.Role.MEMBER, _("Medlem"))],
    )


class SignForm(forms.Form):
    note = forms.CharField(label=_("Hva bør rettes?"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MinutesSettingsForm(forms.Form):
    """How the body approves its minutes and weighs its municipalities' votes (one weight field per member)."""

    approval_mode = forms.ChoiceField(label=_("Godkjenning av protokoll"), choices=ApprovalMode.choices)
    weighted_votes = forms.BooleanField(label=_("Vektede stemmer per kommune"), required=False)

    def __init__(self, *args, municipalities=(), weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = list(municipalities)
        for municipality in self.municipalities:
            self.fields[f"weight_{municipality.pk}"] = forms.DecimalField(
                label=_("Stemmevekt for %(name)s") % {"name": municipality.name},
                min_value=Decimal("0.001"),
                max_digits=8,
                decimal_places=3,
                required=False,
                initial=(weights or {}).get(municipality.pk),
            )

    def weights(self) -> dict:
        return {
            m: self.cleaned_data[f"weight_{m.pk}"]
            for m in self.municipalities
            if self.cleaned_data.get(f"weight_{m.pk}") is not None
        }
