"""Forms of the secretariat's publishing and follow-up pages (they check and convert, never persist)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.models import Municipality
from publishing.models import FollowUp, MemberDecision


class _Bootstrap:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"


class CasePublicationForm(_Bootstrap, forms.Form):
    public_title = forms.CharField(label=_("Offentlig tittel"), required=False, max_length=300)
    publish_from = forms.DateTimeField(
        label=_("Publiseres fra"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    exempt = forms.BooleanField(label=_("Unntatt offentlighet"), required=False)
    legal_basis = forms.CharField(label=_("Hjemmel"), required=False, max_length=200)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner saken gjelder"), queryset=Municipality.objects.order_by("name"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MeetingPublicationForm(_Bootstrap, forms.Form):
    publish_from = forms.DateTimeField(
        label=_("Publiseres fra"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class FollowUpForm(_Bootstrap, forms.Form):
    responsible = forms.CharField(label=_("Ansvarlig"), max_length=200)
    deadline = forms.DateField(label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)
    notes = forms.CharField(label=_("Notater"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MemberDecisionForm(_Bootstrap, forms.Form):
    decided_on = forms.DateField(label=_("Vedtaksdato"), widget=forms.DateInput(attrs={"type": "date"}))
    their_case_number = forms.CharField(label=_("Kommunens saksnummer"), required=False, max_length=100)
    outcome = forms.ChoiceField(
        label=_("Utfall"), choices=[c for c in MemberDecision.Outcome.choices if c[0] != MemberDecision.Outcome.PENDING]
    )
    link = forms.URLField(label=_("Lenke til vedtaket"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("Vedtaket som fil"), required=False)
    note = forms.CharField(label=_("Merknad"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
