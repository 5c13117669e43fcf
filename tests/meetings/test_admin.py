"""The admin fallback shows meetings and cases but never draws or deletes a case number."""

from django.urls import reverse

from tests.meetings.conftest import register


def test_the_administrator_sees_meetings_and_cases_in_the_admin(client, administrator, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    client.force_login(administrator)
    assert client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).status_code == 200
    page = client.get(reverse("admin:meetings_case_change", args=[case.pk]))
    assert page.status_code == 200 and case.title in page.text
    assert client.get(reverse("admin:meetings_case_add")).status_code == 403
    assert client.get(reverse("admin:meetings_case_delete", args=[case.pk])).status_code == 403
    assert client.get(reverse("admin:meetings_casenumberseries_changelist")).status_code == 200
