from django import forms
from django.utils.translation import gettext_lazy as _

from khs.lib.text import SingleLineMixin


class MemberLinkForm(SingleLineMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
