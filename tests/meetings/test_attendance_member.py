"""A signed-in member sees all their meetings with their answer, and answers there too."""

import pytest
from django.core import mail

from khs.models import AuditEntry
from meetings.models import Invitee, Meeting
from tests import factories as f

pytestmark = pytest.mark.usefixtures("before_deadline")


def test_member_sees_their_meetings_with_their_answer(mayor_client, invitees, attendance_body, mayor):
    invitees["lier"].response = "attending"
    invitees["lier"].save()
    draft = f.make_meeting(attendance_body, title="Utkast til møte", starts_at=f.aware(2017, 9, 1, 10), ends_at=None)
    f.make_invitee(draft, mayor)
    past = f.make_meeting(
        attendance_body,
        title="Vårmøtet",
        starts_at=f.aware(2017, 3, 1, 10),
        ends_at=f.aware(2017, 3, 1, 12),
        status=Meeting.Status.HELD,
    )
    f.make_invitee(past, mayor, response="absent")
    page = mayor_client.get("/my/meetings/").content.decode()
    assert "Ordførermøte" in page and "Kommer" in page
    assert "Vårmøtet" in page and "Tidligere møter" in page
    assert "Utkast til møte" not in page  # not summoned yet
    assert page.index("Ordførermøte") < page.index("Vårmøtet")


def test_member_answers_from_their_list_with_the_same_service(mayor_client, invitees, mayor):
    url = f"/my/meetings/{invitees['lier'].pk}/"
    response = mayor_client.post(url, {"response": "attending", "note": "Kommer kl. 10.30"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "Svaret ditt er registrert: Kommer" in response.content.decode()
    lier = Invitee.objects.get(pk=invitees["lier"].pk)
    assert (lier.response, lier.response_note, lier.responded_by, lier.responded_by_clerk) == (
        "attending",
        "Kommer kl. 10.30",
        mayor.user,
        False,
    )
    entry = AuditEntry.objects.get(verb="attendance_answer")
    assert entry.actor == mayor.user
    assert len(mail.outbox) == 1


def test_member_cannot_open_or_answer_another_members_invitation(mayor_client, invitees):
    url = f"/my/meetings/{invitees['gol'].pk}/"
    assert mayor_client.get(url).status_code == 404
    assert mayor_client.post(url, {"response": "absent"}).status_code == 404
    assert Invitee.objects.get(pk=invitees["gol"].pk).response == "pending"


def test_invitation_to_a_draft_meeting_is_not_reachable(mayor_client, attendance_body, mayor):
    draft = f.make_invitee(f.make_meeting(attendance_body), mayor)
    assert mayor_client.get(f"/my/meetings/{draft.pk}/").status_code == 404


def test_staff_without_a_person_sees_an_empty_list_and_cannot_answer(clerk_client, invitees):
    response = clerk_client.get("/my/meetings/")
    assert response.status_code == 200
    assert "Du er ikke invitert til noen kommende møter." in response.content.decode()
    assert clerk_client.get(f"/my/meetings/{invitees['lier'].pk}/").status_code == 404


def test_my_meetings_needs_sign_in_and_refuses_post(client, mayor_client, invitees):
    assert mayor_client.post("/my/meetings/").status_code == 405
    mayor_client.logout()
    response = client.get("/my/meetings/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_member_list_query_count_does_not_grow_with_meetings(
    mayor_client, invitees, attendance_body, mayor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        mayor_client.get("/my/meetings/")
    for day in range(1, 11):
        meeting = f.make_meeting(
            attendance_body, starts_at=f.aware(2017, 8, day, 10), ends_at=None, status=Meeting.Status.SUMMONED
        )
        invitee = f.make_invitee(meeting, mayor, response="deputy")
        f.make_invitee(meeting, name=f"Vara {day}", deputy_for=invitee)
    with django_assert_max_num_queries(9):
        mayor_client.get("/my/meetings/")
