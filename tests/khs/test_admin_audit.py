"""The admin site writes through the same rules and into the same audit trail as the pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from khs.models import AuditEntry
from khs.roles import ADMINISTRATOR
from tests import factories as f


def _post_data(page):
    """What the admin's change form would send back unchanged (fields, inline management forms)."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [o.pk for o in value.all()]
        elif isinstance(value, (list, tuple)):
            value = [getattr(o, "pk", o) for o in value]
        elif hasattr(value, "pk"):
            value = value.pk
        if value is None or value is False or (hasattr(value, "field") and not value):
            continue  # empty, unticked, or a file field without a file
        widget = getattr(field.widget, "widget", field.widget)
        if hasattr(widget, "widgets"):  # date and time in two inputs (SplitDateTimeWidget)
            for i, part in enumerate(widget.decompress(value)):
                data[f"{name}_{i}"] = part.isoformat() if hasattr(part, "isoformat") else part
            continue
        data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for form in inline.formset.forms:
            for name in form.fields:
                value = form.initial.get(name)
                if value is not None and value is not False:
                    data[f"{form.prefix}-{name}"] = getattr(value, "pk", value)
    return data


@pytest.fixture
def admin_browser(client, administrator):
    client.force_login(administrator)
    return client


def test_giving_a_user_a_cooperation_in_the_admin_is_audited_with_the_change(admin_browser, coop, clerk):
    url = reverse("admin:membership_cooperation_change", args=[coop.pk])
    data = _post_data(admin_browser.get(url))
    newcomer = f.make_user("newcomer")
    data["staff"] = [clerk.pk, newcomer.pk]
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(verb="admin_save_related")
    assert entry.changes["staff"] == [[clerk.pk], sorted([clerk.pk, newcomer.pk])]


def test_making_someone_an_administrator_in_the_user_admin_is_audited(admin_browser, administrator):
    user = f.make_user("promoted")
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = _post_data(admin_browser.get(url))
    data["groups"] = [Group.objects.get(name=ADMINISTRATOR).pk]
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(verb="admin_save_related", object_id=str(user.pk))
    assert entry.actor == administrator
    assert entry.changes["groups"][1] == [Group.objects.get(name=ADMINISTRATOR).pk]


def test_the_admin_keeps_the_case_number_format_once_cases_exist(admin_browser, coop):
    from meetings.services import case_register

    body = f.make_body(coop, case_number_format="{n}/{yyyy}")
    case_register(body=body, actor=None, title="Første sak")
    url = reverse("admin:membership_body_change", args=[body.pk])
    data = _post_data(admin_browser.get(url))
    data["case_number_format"] = "SAK {n}/{yy}"
    response = admin_browser.post(url, data)
    assert response.status_code == 200
    assert "kan ikke endres etter at det er registrert saker" in response.content.decode()
    body.refresh_from_db()
    assert body.case_number_format == "{n}/{yyyy}"


def test_the_admin_cannot_move_a_case_or_touch_invitees_and_attachments(admin_browser, coop):
    from meetings.admin import CaseAdmin, CaseAttachmentInline, InviteeInline
    from meetings.models import Case
    from meetings.services import case_register

    case = case_register(body=f.make_body(coop), actor=None, title="Sak")
    other_meeting = f.make_meeting(f.make_body(coop))
    url = reverse("admin:meetings_case_change", args=[case.pk])
    data = _post_data(admin_browser.get(url))
    data["meeting"] = other_meeting.pk
    admin_browser.post(url, data)
    assert Case.objects.get(pk=case.pk).meeting_id is None
    assert "meeting" in CaseAdmin.readonly_fields
    assert InviteeInline.can_delete is False and set(InviteeInline.readonly_fields) >= {"email", "response"}
    assert CaseAttachmentInline.can_delete is False
