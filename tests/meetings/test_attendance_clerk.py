"""The secretariat's attendance pages: overview, answers on someone's behalf, reminders, lists, check-in."""

import csv
import io
from datetime import date
from email.utils import parseaddr

import pytest
from django.core import mail

from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from meetings.models import Invitee, Meeting, ReminderSent
from meetings.services.attendance import attendance_answer
from tests import factories as f

pytestmark = pytest.mark.usefixtures("before_deadline")


def _url(meeting, rest=""):
    return f"/meetings/{meeting.pk}/attendance/{rest}"


@pytest.fixture
def answered(invitees):
    """Lier sends Per Vara (who attends), Drammen attends, Gol has not answered."""
    attendance_answer(
        actor=None, invitee=invitees["lier"], response="deputy", deputy_name="Per Vara", deputy_email="per@example.no"
    )
    attendance_answer(
        actor=None, invitee=Invitee.objects.get(deputy_for=invitees["lier"]), response="attending", note="Glutenfri"
    )
    attendance_answer(actor=None, invitee=invitees["drammen"], response="attending")
    mail.outbox.clear()
    return invitees


# --- Overview --------------------------------------------------------------------------------------------


def test_overview_shows_answers_by_municipality_deputies_counts_and_quorum(clerk_client, answered, attendance_meeting):
    response = clerk_client.get(_url(attendance_meeting))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [r.invitee.municipality.name for r in overview.rows] == ["Drammen", "Gol", "Lier"]  # by kommunenummer
    lier = overview.rows[2]
    assert (lier.invitee.response, lier.deputy.name, lier.deputy.response) == ("deputy", "Per Vara", "attending")
    counts = overview.counts
    assert (counts["invited"], counts["attending"], counts["deputy"], counts["absent"], counts["pending"]) == (
        3,
        1,
        1,
        0,
        1,
    )
    assert counts["coming"] == 2 and counts["deputies_attending"] == 1
    quorum = overview.quorum
    assert (quorum.total, quorum.required, quorum.confirmed, quorum.expected) == (3, 2, 2, "yes")
    page = response.content.decode()
    assert "Per Vara" in page and "Glutenfri" in page
    assert "Etter svarene: 2 av 3 kommuner representert; 2 kreves." in page
    assert "Svarene gir et vedtaksført møte." in page
    assert "1: Ordfører i Gol</dd>" in page  # who has not answered


def test_treasurer_may_view_the_overview_but_not_change_anything(treasurer_client, answered, attendance_meeting):
    response = treasurer_client.get(_url(attendance_meeting))
    assert response.status_code == 200
    assert "Send påminnelse" not in response.content.decode()
    assert treasurer_client.post(_url(attendance_meeting, "remind/")).status_code == 403
    url = _url(attendance_meeting, f"{answered['gol'].pk}/answer/")
    assert treasurer_client.post(url, {"response": "absent"}).status_code == 403
    assert Invitee.objects.get(pk=answered["gol"].pk).response == "pending"


@pytest.mark.parametrize("rest", ["", "check-in/", "participants.pdf", "participants.csv"])
def test_secretariat_pages_are_closed_to_members_and_other_cooperations(
    client, mayor_client, other_clerk, attendance_meeting, invitees, rest
):
    url = _url(attendance_meeting, rest)
    assert mayor_client.get(url).status_code == 403
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_other_cooperations_clerk_cannot_change_answers_or_send_reminders(
    client, other_clerk, attendance_meeting, invitees
):
    client.force_login(other_clerk)
    assert client.post(_url(attendance_meeting, "remind/")).status_code == 404
    assert (
        client.post(_url(attendance_meeting, f"{invitees['gol'].pk}/answer/"), {"response": "absent"}).status_code
        == 404
    )
    assert client.post(_url(attendance_meeting, f"check-in/{invitees['gol'].pk}/"), {"present": "1"}).status_code == 404
    assert mail.outbox == [] and not AuditEntry.objects.exists()


def test_overview_refuses_post(clerk_client, attendance_meeting):
    assert clerk_client.post(_url(attendance_meeting)).status_code == 405


def _mayors_meeting_of(size):
    """A cooperation of `size` member municipalities, each mayor invited and answered some way."""
    coop = f.make_cooperation()
    clerk = f.make_user(role="Secretariat", cooperations=[coop])
    body = f.make_body(coop, quorum_rule="majority_of_municipalities")
    meeting = f.make_meeting(body, status=Meeting.Status.SUMMONED)
    for n in range(size):
        municipality = f.make_municipality()
        f.make_membership(coop, municipality, starts_on=date(2012, 1, 1))
        invitee = f.make_invitee(
            meeting, municipality=municipality, response=["attending", "deputy", "absent", "pending"][n % 4]
        )
        if invitee.response == "deputy":
            f.make_invitee(meeting, municipality=municipality, deputy_for=invitee, response="attending")
        ReminderSent.objects.create(invitee=invitee, sent_at=f.aware(2017, 5, 30))
    return clerk, meeting


@pytest.mark.parametrize("rest", ["", "check-in/", "participants.csv"])
def test_clerk_pages_query_count_does_not_grow_with_invitees(client, db, rest, django_assert_max_num_queries):
    counts = []
    for size in (3, 26):
        clerk, meeting = _mayors_meeting_of(size)
        client.force_login(clerk)
        with django_assert_max_num_queries(14) as queries:  # 11 of them: session, user, roles, nav
            assert client.get(_url(meeting, rest)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_index_lists_meetings_with_counts_in_constant_queries(client, db, django_assert_max_num_queries):
    counts = []
    for size in (3, 26):
        clerk, meeting = _mayors_meeting_of(size)
        client.force_login(clerk)
        with django_assert_max_num_queries(12) as queries:
            response = client.get("/attendance/")
        counts.append(len(queries))
        [row] = response.context["meetings"]
        assert (row.n_invited, row.n_attending, row.n_deputy) == (size, (size + 3) // 4, (size + 2) // 4)
        assert meeting.title in response.content.decode()
    assert counts[0] == counts[1]


# --- Answers on someone's behalf ------------------------------------------------------------------------------


def test_clerk_registers_an_answer_after_a_phone_call_marked_as_by_the_clerk(
    clerk_client, clerk, invitees, attendance_meeting
):
    url = _url(attendance_meeting, f"{invitees['gol'].pk}/answer/")
    page = clerk_client.get(url).content.decode()
    assert "Registrer svar: Ordfører i Gol" in page
    response = clerk_client.post(url, {"response": "absent", "note": "Ringte 1. juni"}, follow=True)
    assert response.redirect_chain[-1][0] == _url(attendance_meeting)
    assert "Svaret for Ordfører i Gol er registrert: Kommer ikke." in response.content.decode()
    gol = Invitee.objects.get(pk=invitees["gol"].pk)
    assert (gol.response, gol.responded_by_clerk, gol.responded_by) == ("absent", True, clerk)
    assert "registrert av sekretariatet" in response.content.decode()
    entry = AuditEntry.objects.get(verb="attendance_answer")
    assert entry.actor == clerk and entry.message == "registrert av sekretariatet"
    [message] = mail.outbox
    assert message.to == ["ordforer@gol.example.no"] and "av sekretariatet" in message.body


def test_clerk_may_change_an_answer_after_the_deadline(clerk_client, invitees, attendance_meeting, time_machine):
    time_machine.move_to(f.aware(2017, 6, 10, 9), tick=False)
    url = _url(attendance_meeting, f"{invitees['gol'].pk}/answer/")
    clerk_client.post(url, {"response": "deputy", "deputy_name": "Vara Gol", "deputy_email": "vara@gol.example.no"})
    assert Invitee.objects.get(deputy_for=invitees["gol"]).name == "Vara Gol"
    confirmation = next(m for m in mail.outbox if m.to == ["ordforer@gol.example.no"])
    assert "Fristen for å svare har gått ut" in confirmation.body


def test_clerk_answer_with_bad_input_shows_the_error_and_changes_nothing(clerk_client, invitees, attendance_meeting):
    url = _url(attendance_meeting, f"{invitees['gol'].pk}/answer/")
    response = clerk_client.post(url, {"response": "deputy", "deputy_email": "not-an-address"})
    page = response.content.decode()
    assert "Oppgi en gyldig e-postadresse" in page
    assert Invitee.objects.get(pk=invitees["gol"].pk).response == "pending"
    assert not AuditEntry.objects.exists()


def test_clerk_cannot_answer_for_an_invitee_of_another_meeting(clerk_client, invitees, attendance_body):
    other = f.make_meeting(attendance_body)
    assert clerk_client.get(_url(other, f"{invitees['gol'].pk}/answer/")).status_code == 404


# --- Reminders -------------------------------------------------------------------------------------------


def test_one_click_reminds_everyone_who_has_not_answered_but_not_twice_a_day(
    clerk_client, clerk, answered, attendance_meeting, time_machine
):
    response = clerk_client.post(_url(attendance_meeting, "remind/"), follow=True)
    assert "Påminnelse sendt til 1 som ikke har svart." in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ordforer@gol.example.no"]
    assert "/attend/" in message.body and "4. juni 2017 kl. 23.59" in message.body
    [row] = ReminderSent.objects.all()
    assert (row.invitee_id, row.sent_by) == (answered["gol"].pk, clerk)
    assert AuditEntry.objects.get(verb="attendance_remind").changes == {"invitees": ["Ordfører i Gol"]}

    # The meeting's title opens with a common noun and is lower-cased mid-sentence, subject and text.
    assert message.subject == "Påminnelse: svar på innkallingen til ordførermøte"
    cooperation = attendance_meeting.body.cooperation
    assert parseaddr(message.from_email) == (cooperation.name, "khs@localhost")
    assert message.reply_to == [cooperation.contact_email]
    assert "om du kommer på ordførermøte." in message.body

    time_machine.move_to(f.aware(2017, 6, 2, 11, 59), tick=False)
    response = clerk_client.post(_url(attendance_meeting, "remind/"), follow=True)
    assert "Ingen å minne på" in response.content.decode()
    assert len(mail.outbox) == 1 and ReminderSent.objects.count() == 1

    time_machine.move_to(f.aware(2017, 6, 2, 12, 1), tick=False)
    clerk_client.post(_url(attendance_meeting, "remind/"))
    assert len(mail.outbox) == 2 and ReminderSent.objects.count() == 2


def test_reminders_need_a_summoned_meeting_and_post(clerk_client, invitees, attendance_meeting):
    assert clerk_client.get(_url(attendance_meeting, "remind/")).status_code == 405
    Meeting.objects.filter(pk=attendance_meeting.pk).update(status=Meeting.Status.DRAFT)
    response = clerk_client.post(_url(attendance_meeting, "remind/"), follow=True)
    assert "Påminnelser kan bare sendes for møter som er innkalt." in response.content.decode()
    assert mail.outbox == []


# --- Participant lists -------------------------------------------------------------------------------------


def test_participant_list_pdf_lists_who_comes_in_whose_place_for_signing(clerk_client, answered, attendance_meeting):
    Invitee.objects.filter(pk=answered["gol"].pk).update(response="absent")
    response = clerk_client.get(_url(attendance_meeting, "participants.pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Deltakerliste: Ordførermøte" in text
    assert "Torsdag 15.06.2017 kl. 10–11" in text
    assert "Per Vara" in text and "stedfortreder for Ordfører i Lier" in text
    assert "Ordfører i Drammen" in text
    assert "Signatur" in text
    assert "Meldt forfall" in text and "Ordfører i Gol (Gol)" in text


def test_participant_list_pdf_is_in_the_bodys_language(clerk_client, answered, attendance_meeting, attendance_body):
    attendance_body.language = "nn"
    attendance_body.save()
    text = pdf_text(clerk_client.get(_url(attendance_meeting, "participants.pdf")).content)
    assert "Deltakarliste" in text and "stadfortredar for Ordfører i Lier" in text and "Underskrift" in text


def test_participant_list_csv_opens_in_excel_with_norwegian_letters(clerk_client, answered, attendance_meeting):
    response = clerk_client.get(_url(attendance_meeting, "participants.csv"))
    assert response["Content-Disposition"].startswith('attachment; filename="deltakere-2017-06-15')
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kommunenummer", "Kommune", "Navn"]
    by_name = {r[2]: r for r in rows[1:]}
    assert set(by_name) == {"Ordfører i Lier", "Per Vara", "Ordfører i Drammen", "Ordfører i Gol"}
    assert by_name["Per Vara"][1] == "Lier" and by_name["Per Vara"][6] == "Ordfører i Lier"
    assert by_name["Per Vara"][7] == "Glutenfri"
    assert by_name["Ordfører i Lier"][5] == "Sender stedfortreder"
    assert by_name["Ordfører i Gol"][5] == "Ikke svart"


# --- Check-in on the day ---------------------------------------------------------------------------------------


def test_check_in_marks_who_is_present_without_javascript(clerk_client, clerk, answered, attendance_meeting):
    deputy = Invitee.objects.get(deputy_for=answered["lier"])
    page = clerk_client.get(_url(attendance_meeting, "check-in/")).content.decode()
    assert 'aria-pressed="false"' in page and "Per Vara" in page
    response = clerk_client.post(_url(attendance_meeting, f"check-in/{deputy.pk}/"), {"present": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/check-in/#invitee-{deputy.pk}")
    assert Invitee.objects.get(pk=deputy.pk).present is True
    entry = AuditEntry.objects.get(verb="attendance_check_in")
    assert entry.actor == clerk and entry.changes == {"present": [None, True]}
    clerk_client.post(_url(attendance_meeting, f"check-in/{deputy.pk}/"), {"present": "1"})  # double tap
    assert AuditEntry.objects.filter(verb="attendance_check_in").count() == 1


def test_check_in_answers_json_to_the_page_script_and_feeds_the_quorum(clerk_client, answered, attendance_meeting):
    url = _url(attendance_meeting, f"check-in/{answered['drammen'].pk}/")
    response = clerk_client.post(url, {"present": "1"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"present": True, "present_count": 1}
    overview = clerk_client.get(_url(attendance_meeting)).context["overview"]
    assert (overview.quorum.present, overview.quorum.present_ok) == (1, False)
    response = clerk_client.post(url, {"present": "0"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"present": False, "present_count": 0}


def test_check_in_refuses_bad_values_get_and_an_invitee_of_another_meeting(
    clerk_client, invitees, attendance_body, attendance_meeting
):
    url = _url(attendance_meeting, f"check-in/{invitees['gol'].pk}/")
    assert clerk_client.get(url).status_code == 405
    response = clerk_client.post(url, {"present": "yes"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert Invitee.objects.get(pk=invitees["gol"].pk).present is None
    other = f.make_meeting(attendance_body)
    assert clerk_client.post(_url(other, f"check-in/{invitees['gol'].pk}/"), {"present": "1"}).status_code == 404


def test_check_in_is_closed_once_the_minutes_are_approved(clerk_client, invitees, attendance_meeting):
    Meeting.objects.filter(pk=attendance_meeting.pk).update(status=Meeting.Status.MINUTES_APPROVED)
    response = clerk_client.post(
        _url(attendance_meeting, f"check-in/{invitees['gol'].pk}/"), {"present": "1"}, follow=True
    )
    assert "etter at protokollen er godkjent" in response.content.decode()
    assert Invitee.objects.get(pk=invitees["gol"].pk).present is None


def test_pameldt_on_the_participant_list_counts_only_those_who_said_they_come(
    clerk_client, answered, attendance_meeting
):
    # Per Vara (for Lier) and Drammen come; Gol has not answered and is on the list, but not "påmeldt".
    from khs.lib.pdf import pdf_text

    response = clerk_client.get(f"/meetings/{attendance_meeting.pk}/attendance/participants.pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "Påmeldt 2" in text and "Gol" in text
