"""Plain text from people: single-line values without control characters, safe mail subjects."""

import re

from django import forms

# C0 and C1 control characters (newline, carriage return, tab, NUL, …) and the Unicode line separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def single_line(value: str) -> str:
    """The value on one line: every run of control characters becomes one space, ends trimmed.
    A newline in a meeting title must never reach a mail header (BadHeaderError) or an export."""
    return _CONTROL.sub(" ", value or "").strip()


def mail_subject(text: str, *, limit: int = 200) -> str:
    """A subject line built safely from user text: one line, of a sensible length."""
    subject = single_line(text)
    return subject if len(subject) <= limit else subject[: limit - 1].rstrip() + "…"


def name_in_sentence(name: str) -> str:
    """A body's name as written mid-sentence: a one-word name is the common noun in its definite form
    ("Styret", "Ordførermøtet", "Regionrådet", Nynorsk "Styret" too) and is lower-cased ("Til
    medlemmene i styret"); a longer name is a proper name ("Regionrådet for Hallingdal") and an
    abbreviation ("AU") stays as written."""
    name = (name or "").strip()
    if " " not in name and name[:1].isupper() and name[1:].islower():
        return name[0].lower() + name[1:]
    return name


class SingleLineMixin:
    """For forms: every one-line text field (a CharField drawn as an <input>) is cleaned of
    control characters, so what is saved is what a one-line input shows."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if (
                isinstance(value, str)
                and isinstance(field, forms.CharField)
                and isinstance(field.widget, forms.widgets.Input)
                and not isinstance(field.widget, (forms.HiddenInput, forms.PasswordInput, forms.FileInput))
            ):
                self.cleaned_data[name] = single_line(value)
