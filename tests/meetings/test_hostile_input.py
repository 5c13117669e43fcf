"""Hostile or broken input that used to break mail: newlines in one-line fields, mail servers down."""

from django.core import mail
from django.urls import reverse

from meetings.models import Invitee, Meeting
from meetings.services import summons
from meetings.services.attendance import invitee_answer_token
from tests import factories as f


def test_a_newline_in_a_meeting_title_is_not_saved(clerk_client, mayors_body):
    response = clerk_client.post(
        reverse("meetings:meeting_create"),
        {
            "body": mayors_body.pk,
            "title": "Ordførermøte\r\nBcc: alle@example.no",
            "day": "2017-06-15",
            "start_time": "10:00",
            "end_time": "11:00",
            "place_name": "Rådhuset\n",
            "place_address": "Heggeveien 5",
            "registration_deadline": "2017-06-04",
            "contact": "kari@example.no",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.title == "Ordførermøte Bcc: alle@example.no"
    assert meeting.place_name == "Rådhuset"


def test_a_title_with_a_newline_from_elsewhere_still_lets_invitees_answer(
    client, invitees, attendance_meeting, before_deadline
):
    Meeting.objects.filter(pk=attendance_meeting.pk).update(title="Ordførermøte\nBcc: alle@example.no")
    lier = invitees["lier"]
    response = client.post(f"/attend/{invitee_answer_token(lier)}/", {"response": "attending"})
    assert response.status_code == 302
    assert Invitee.objects.get(pk=lier.pk).response == "attending"
    [message] = mail.outbox
    assert "\n" not in message.subject and "Bcc: alle@example.no" in message.subject


def test_summons_with_a_newline_in_the_title_reaches_everyone(coop, clerk):
    body = f.make_body(coop)
    meeting = f.make_meeting(body, title="Styremøte\r\nX-Evil: 1")
    f.make_invitee(meeting, f.make_person("A", email="a@example.no"))
    summons.meeting_summon(meeting=meeting, actor=clerk)
    [message] = mail.outbox
    assert message.subject.startswith("Innkalling: Styremøte X-Evil: 1")
    assert "X-Evil" not in message.message().keys()


def test_an_answer_is_kept_when_the_mail_server_is_down_or_silent(
    client, invitees, attendance_meeting, before_deadline, broken_smtp
):
    lier = invitees["lier"]
    response = client.post(f"/attend/{invitee_answer_token(lier)}/", {"response": "absent"})
    assert response.status_code == 302
    assert Invitee.objects.get(pk=lier.pk).response == "absent"


def test_cancelling_with_the_mail_server_down_or_silent_cancels_and_says_so(client, coop, clerk, broken_smtp):
    meeting = f.make_meeting(f.make_body(coop), status=Meeting.Status.SUMMONED)
    f.make_invitee(meeting, f.make_person("A", email="a@example.no"))
    client.force_login(clerk)
    response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "Flyttes."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
