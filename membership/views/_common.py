"""Small helpers the register's views share."""

from khs.lib.access import perm_required

# Administrators manage users; the same permission decides who gives staff a cooperation.
administrator_required = perm_required("auth.change_user")


def changed_fields(form, names) -> dict:
    """{name: cleaned value} for the given form fields (what the service is asked to set)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
