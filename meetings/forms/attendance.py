"""Forms of attendance: they check and convert the answer, the services persist it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khs.lib.text import SingleLineMixin
from meetings.models import Invitee

Response = Invitee.Response


class AnswerForm(SingleLineMixin, forms.Form):
    """I will attend / I cannot attend / I send my deputy (from the list, or a name and e-mail), and a note."""

    response = forms.ChoiceField(label=_("Ditt svar"), widget=forms.RadioSelect)
    deputy_person = forms.ChoiceField(
        label=_("Stedfortreder"), required=False, help_text=_("Varaordføreren eller et registrert varamedlem.")
    )
    deputy_name = forms.CharField(
        label=_("Navn på en annen stedfortreder"),
        required=False,
        max_length=200,
        help_text=_("Bare hvis stedfortrederen ikke står i listen."),
    )
    deputy_email = forms.EmailField(
        label=_("E-postadressen til stedfortrederen"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Valgfritt, f.eks. matallergier eller at du kommer senere."),
    )

    def __init__(self, *args, invitee, candidates, deputy=None, by_clerk=False, **kwargs):
        """`deputy`: the deputy now sent in the invitee's place, if any (pre-filled)."""
        self.candidates = {str(c.person.pk): c for c in candidates}
        initial = {
            "response": invitee.response if invitee.response != Response.PENDING else None,
            "note": invitee.response_note,
        }
        if deputy is not None:
            if str(deputy.person_id) in self.candidates:
                initial["deputy_person"] = str(deputy.person_id)
            else:
                initial.update(deputy_name=deputy.name, deputy_email=deputy.email)
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        if by_clerk:  # the clerk answers on someone's behalf: the answers as they are listed
            choices = [(Response.ATTENDING, Response.ATTENDING.label), (Response.ABSENT, Response.ABSENT.label)]
            deputy_choice = (Response.DEPUTY, Response.DEPUTY.label)
            self.fields["response"].label = _("Svar")
        else:
            choices = [(Response.ATTENDING, _("Jeg kommer")), (Response.ABSENT, _("Jeg kan ikke komme"))]
            deputy_choice = (Response.DEPUTY, _("Jeg sender stedfortreder"))
        if invitee.deputy_for_id:
            for name in ("deputy_person", "deputy_name", "deputy_email"):
                del self.fields[name]
        else:
            choices.append(deputy_choice)
            if self.candidates:
                self.fields["deputy_person"].choices = [("", _("Velg fra listen …"))] + [
                    (pk, c.label) for pk, c in self.candidates.items()
                ]
            else:
                del self.fields["deputy_person"]
                self.fields["deputy_name"].label = _("Navn på stedfortrederen")
                self.fields["deputy_name"].help_text = ""
        self.fields["response"].choices = choices

    def clean(self):
        data = super().clean()
        data["deputy"] = None
        if data.get("response") != Response.DEPUTY:
            return data
        chosen = self.candidates.get(data.get("deputy_person") or "")
        if chosen is not None:
            data["deputy"] = chosen.person
            return data
        if not data.get("deputy_name") and "deputy_name" not in self.errors:
            self.add_error("deputy_name", _("Velg en stedfortreder fra listen, eller skriv navnet her."))
        if not data.get("deputy_email") and "deputy_email" not in self.errors:
            self.add_error("deputy_email", _("Skriv e-postadressen til stedfortrederen."))
        return data


class CheckInForm(SingleLineMixin, forms.Form):
    present = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0"), ("", "")],
        required=False,
        coerce=lambda v: {"1": True, "0": False}.get(v),
        empty_value=None,
    )
