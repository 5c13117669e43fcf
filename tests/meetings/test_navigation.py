"""Navigation: the meeting's sub-pages lead back to it; actions not offered when they cannot apply; errors seen."""

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings import uploads


@pytest.mark.parametrize("name", ["summons_panel", "attendance_overview", "attendance_check_in"])
def test_the_summons_attendance_and_check_in_pages_lead_back_to_the_meeting(clerk_client, meeting, name):
    page = clerk_client.get(reverse(f"meetings:{name}", args=[meeting.pk]))
    assert page.status_code == 200
    assert f'<a href="{meeting.get_absolute_url()}">Tilbake til møtet</a>' in page.text


def test_marking_a_meeting_held_is_offered_only_once_it_has_started(clerk_client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SUMMONED)
    with time_machine.travel("2017-06-14 12:00 +0200", tick=False):
        assert "Marker som avholdt" not in clerk_client.get(meeting.get_absolute_url()).text
    with time_machine.travel("2017-06-15 10:05 +0200", tick=False):
        assert "Marker som avholdt" in clerk_client.get(meeting.get_absolute_url()).text


def test_the_edit_form_of_a_case_that_can_no_longer_change_is_not_offered(clerk_client, clerk, meeting):
    case = services.case_register(body=meeting.body, meeting=meeting, actor=clerk, title="Sak")
    edit = reverse("meetings:case_update", args=[case.pk])
    assert clerk_client.get(edit).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    response = clerk_client.get(edit, follow=True)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "kan ikke endres når møtet har status «Avholdt»" in response.text and edit not in response.text


@pytest.mark.parametrize("closing", ["held", "withdrawn"])
def test_posting_the_edit_form_of_a_case_that_can_no_longer_change_shows_the_case_with_the_reason(
    clerk_client, clerk, meeting, closing
):
    from khs.models import AuditEntry
    from meetings.models import Case

    case = services.case_register(body=meeting.body, meeting=meeting, actor=clerk, title="Budsjett")
    edit = reverse("meetings:case_update", args=[case.pk])
    form = clerk_client.get(edit)  # opened while the case could still change …
    assert form.status_code == 200 and 'name="title"' in form.text
    if closing == "held":  # … and the meeting was held before it was saved
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        reason = "kan ikke endres når møtet har status «Avholdt»"
    else:
        services.case_withdraw(case=case, actor=clerk, reason="Feilført")
        reason = "er trukket og kan ikke endres"
    response = clerk_client.post(edit, {"title": "Nytt navn", "kind": "decision"})
    assert response.status_code == 409
    assert "Budsjett" in response.text and reason in response.text  # the case page, saying why
    assert 'name="title"' not in response.text and f'href="{edit}"' not in response.text  # no form, no link
    assert Case.objects.get(pk=case.pk).title == "Budsjett"
    assert not AuditEntry.objects.filter(verb="case_update").exists()


def test_a_refused_attachment_is_shown_beside_the_upload_field(clerk_client, clerk, meeting):
    case = services.case_register(body=meeting.body, meeting=meeting, actor=clerk, title="Sak")
    bad = uploads.upload("program.exe", b"MZ\x90\x00 not allowed")
    response = clerk_client.post(reverse("meetings:case_attachment_add", args=[case.pk]), {"attachment-file": bad})
    assert response.status_code == 400
    html = response.text
    # The form posts to the attachments section's anchor, so the answer opens where the user was …
    form_at = html.index(f'action="{reverse("meetings:case_attachment_add", args=[case.pk])}#attachments"')
    # … and the message stands by the file field in that section.
    error_at = html.index('id="error_1_id_attachment-file"')
    assert html.index('id="attachments"') < form_at < error_at < html.index('id="references"')
    assert "Filen er ikke en av de tillatte typene" in html[error_at : error_at + 300]
