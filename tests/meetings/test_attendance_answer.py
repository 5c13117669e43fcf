"""An invitee answers through their personal link: attend, cannot attend, or send their deputy."""

import re

import icalendar
import pytest
from django.core import mail

from khs.models import AuditEntry
from meetings.models import Invitee, Meeting
from meetings.services.attendance import MeetingsError, attendance_answer, invitee_answer_token
from tests import factories as f

pytestmark = pytest.mark.usefixtures("before_deadline")


def _path(invitee):
    return "/attend/" + invitee_answer_token(invitee) + "/"


def _ics(message):
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def test_invitee_attends_and_gets_a_confirmation_with_the_calendar_invitation(client, invitees, attendance_meeting):
    lier = invitees["lier"]
    response = client.post(_path(lier), {"response": "attending", "note": "Vegetar"}, follow=True)
    assert response.redirect_chain[-1][0] == _path(lier)
    assert "Svaret ditt er registrert: Kommer" in response.content.decode()
    lier.refresh_from_db()
    assert (lier.response, lier.response_note, lier.responded_by_clerk) == ("attending", "Vegetar", False)
    assert lier.responded_at == f.aware(2017, 6, 1, 12)
    [message] = mail.outbox
    assert message.to == ["ordforer@lier.example.no"]
    assert "Svaret ditt er registrert" in message.subject
    assert "Kommer" in message.body and "Torsdag 15.06.2017 kl. 10–11" in message.body
    event = _ics(message).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{attendance_meeting.uid}@khs"
    assert int(event["SEQUENCE"]) == attendance_meeting.sequence
    entry = AuditEntry.objects.get(verb="attendance_answer")
    assert entry.changes["response"] == ["pending", "attending"]
    assert entry.actor is None and entry.actor_label == "Personlig lenke: Ordfører i Lier"
    assert entry.cooperation_id == attendance_meeting.body.cooperation_id


def test_invitee_who_cannot_attend_gets_a_confirmation_without_calendar(client, invitees):
    client.post(_path(invitees["gol"]), {"response": "absent"})
    assert Invitee.objects.get(pk=invitees["gol"].pk).response == "absent"
    [message] = mail.outbox
    assert "Kommer ikke" in message.body
    assert message.attachments == []


def test_sending_the_deputy_mayor_from_the_list_invites_the_deputy_for_the_municipality(
    client, invitees, deputy_mayor, municipalities
):
    lier = invitees["lier"]
    page = client.get(_path(lier)).content.decode()
    assert "Varaordfører i Lier (Varaordfører, Lier)" in page
    client.post(_path(lier), {"response": "deputy", "deputy_person": deputy_mayor.pk})
    lier.refresh_from_db()
    assert lier.response == "deputy"
    deputy = Invitee.objects.get(deputy_for=lier)
    assert (deputy.person, deputy.municipality, deputy.response) == (deputy_mayor, municipalities["lier"], "pending")
    assert deputy.role == "Varaordfører"
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"ordforer@lier.example.no", "vara@lier.example.no"}
    invitation = by_address["vara@lier.example.no"]
    assert "stedfortreder" in invitation.subject
    assert _path(deputy) in invitation.body
    assert "Varaordfører i Lier møter i ditt sted" in by_address["ordforer@lier.example.no"].body
    assert AuditEntry.objects.filter(verb="attendance_answer", action="create").count() == 1


def test_a_deputy_by_name_and_address_gets_their_own_link_and_answers_with_it(client, invitees, settings):
    lier = invitees["lier"]
    client.post(_path(lier), {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "Per@Example.no"})
    deputy = Invitee.objects.get(deputy_for=lier)
    assert (deputy.name, deputy.email, deputy.person) == ("Per Vara", "per@example.no", None)
    link = re.search(r"https?://\S+", next(m for m in mail.outbox if m.to == ["per@example.no"]).body).group(0)
    mail.outbox.clear()
    assert link == settings.SITE_URL + _path(deputy)
    page = client.get(_path(deputy)).content.decode()
    assert "Du er meldt som stedfortreder for Ordfører i Lier" in page
    assert "Jeg sender stedfortreder" not in page  # a deputy does not send another
    client.post(_path(deputy), {"response": "attending"})
    deputy.refresh_from_db()
    assert deputy.response == "attending"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Stedfortrederen din har svart" in subjects["ordforer@lier.example.no"]
    assert "Svaret ditt er registrert" in subjects["per@example.no"]


def test_double_click_and_two_tabs_record_one_answer(client, invitees):
    path = _path(invitees["lier"])
    for _ in range(3):
        client.post(path, {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@example.no"})
    assert Invitee.objects.filter(deputy_for=invitees["lier"]).count() == 1
    assert AuditEntry.objects.filter(verb="attendance_answer", action="update").count() == 1
    assert len(mail.outbox) == 2  # one confirmation, one deputy invitation


def test_changing_the_deputy_withdraws_the_first_and_tells_them(client, invitees, deputy_mayor):
    path = _path(invitees["lier"])
    client.post(path, {"response": "deputy", "deputy_person": deputy_mayor.pk})
    mail.outbox.clear()
    client.post(
        path, {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@example.no", "deputy_person": ""}
    )
    [deputy] = Invitee.objects.filter(deputy_for=invitees["lier"])
    assert deputy.name == "Per Vara"
    assert {m.to[0] for m in mail.outbox} == {"vara@lier.example.no", "per@example.no", "ordforer@lier.example.no"}
    withdrawn = next(m for m in mail.outbox if m.to == ["vara@lier.example.no"])
    assert "ikke lenger meldt som stedfortreder" in withdrawn.subject
    assert AuditEntry.objects.filter(verb="attendance_answer", action="delete").count() == 1


def test_answer_can_be_changed_until_the_deadline(client, invitees, time_machine):
    path = _path(invitees["lier"])
    client.post(path, {"response": "attending"})
    time_machine.move_to(f.aware(2017, 6, 4, 23, 59), tick=False)
    client.post(path, {"response": "absent"})
    assert Invitee.objects.get(pk=invitees["lier"].pk).response == "absent"
    time_machine.move_to(f.aware(2017, 6, 5, 0, 1), tick=False)
    page = client.get(path).content.decode()
    assert "Fristen for å svare gikk ut 4. juni 2017 kl. 23.59" in page
    assert "Kontakt Kari Sekretær, kari@example.no" in page
    assert 'name="response"' not in page
    response = client.post(path, {"response": "attending"}, follow=True)
    assert "Svaret ble ikke endret" in response.content.decode()
    assert Invitee.objects.get(pk=invitees["lier"].pk).response == "absent"


def test_a_deputy_may_answer_after_the_deadline_until_the_meeting_starts(client, invitees, time_machine):
    client.post(
        _path(invitees["lier"]), {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@example.no"}
    )
    deputy = Invitee.objects.get(deputy_for=invitees["lier"])
    time_machine.move_to(f.aware(2017, 6, 15, 9, 0), tick=False)
    client.post(_path(deputy), {"response": "attending"})
    assert Invitee.objects.get(pk=deputy.pk).response == "attending"


def test_sending_a_deputy_without_naming_one_shows_the_error_and_changes_nothing(client, invitees):
    response = client.post(_path(invitees["lier"]), {"response": "deputy", "deputy_name": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Velg en stedfortreder fra listen, eller skriv navnet her." in page
    assert "Skriv e-postadressen til stedfortrederen." in page
    assert Invitee.objects.get(pk=invitees["lier"].pk).response == "pending"
    assert Invitee.objects.count() == 3 and mail.outbox == []


def test_unknown_answer_is_refused_next_to_the_field(client, invitees):
    response = client.post(_path(invitees["lier"]), {"response": "maybe"})
    assert "Velg et gyldig valg" in response.content.decode()
    assert Invitee.objects.get(pk=invitees["lier"].pk).response == "pending"


def test_a_deputy_already_invited_is_refused(client, invitees):
    response = client.post(
        _path(invitees["lier"]), {"response": "deputy", "deputy_name": "Gol", "deputy_email": "ordforer@gol.example.no"}
    )
    assert "ordforer@gol.example.no er allerede invitert til møtet." in response.content.decode()
    assert not Invitee.objects.filter(deputy_for=invitees["lier"]).exists()


def test_a_person_not_on_the_list_cannot_be_picked_by_id(invitees, deputy_mayor):
    stranger = f.make_person("Ikke vara")
    with pytest.raises(MeetingsError):
        attendance_answer(actor=None, invitee=invitees["lier"], response="deputy", deputy_person=stranger)
    with pytest.raises(MeetingsError):  # the mayor of Gol is already invited and is no deputy of Lier
        attendance_answer(actor=None, invitee=invitees["lier"], response="deputy", deputy_person=invitees["gol"].person)


def test_a_deputy_cannot_send_another_deputy(invitees):
    attendance_answer(
        actor=None, invitee=invitees["lier"], response="deputy", deputy_name="Per Vara", deputy_email="per@example.no"
    )
    deputy = Invitee.objects.get(deputy_for=invitees["lier"])
    with pytest.raises(MeetingsError, match="stedfortreder kan ikke sende"):
        attendance_answer(actor=None, invitee=deputy, response="deputy", deputy_name="Ola", deputy_email="o@x.no")


def test_mails_follow_the_bodys_nynorsk(client, invitees, attendance_body):
    attendance_body.language = "nn"
    attendance_body.save()
    client.post(
        _path(invitees["lier"]), {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@example.no"}
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Du er meldt som stadfortredar" in by_address["per@example.no"].subject
    assert "kan ikkje kome" in by_address["per@example.no"].body
    assert "Sender stadfortredar" in by_address["ordforer@lier.example.no"].body
    assert "Torsdag 15.06.2017" in by_address["ordforer@lier.example.no"].body


def test_cancelled_meeting_cannot_be_answered(invitees, attendance_meeting):
    Meeting.objects.filter(pk=attendance_meeting.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(MeetingsError, match="avlyst"):
        attendance_answer(actor=None, invitee=invitees["lier"], response="attending")


def test_answer_page_lists_the_agenda(client, invitees, attendance_body, attendance_meeting):
    f.make_case_row(attendance_body, 2, meeting=attendance_meeting, title="Kontingent 2018", agenda_position=2)
    f.make_case_row(
        attendance_body, 1, meeting=attendance_meeting, title="Godkjenning av innkalling", agenda_position=1
    )
    f.make_case_row(attendance_body, 3, meeting=attendance_meeting, title="Trukket sak", status="withdrawn")
    page = client.get(_path(invitees["lier"])).content.decode()
    assert page.index("Godkjenning av innkalling") < page.index("Kontingent 2018")
    assert "Trukket sak" not in page


def test_answer_page_query_count_does_not_grow_with_the_agenda(
    client, invitees, attendance_body, attendance_meeting, deputy_mayor, django_assert_max_num_queries
):
    path = _path(invitees["lier"])
    f.make_case_row(attendance_body, 1, meeting=attendance_meeting)
    with django_assert_max_num_queries(6):
        client.get(path)
    for n in range(2, 12):
        f.make_case_row(attendance_body, n, meeting=attendance_meeting)
    with django_assert_max_num_queries(6):
        client.get(path)
