from django import forms
from django.utils.translation import gettext_lazy as _


class MemberLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
