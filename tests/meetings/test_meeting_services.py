"""Meetings: numbers, default invitees, the life draft -> summoned -> held -> minutes approved, or cancelled."""

from datetime import date

import pytest
import time_machine

from khs.models import AuditEntry
from meetings import services
from meetings.errors import MeetingsError
from meetings.models import Invitee, Meeting
from membership.models import Office
from tests import factories as f

Status = Meeting.Status


def _create(body, clerk, **fields):
    defaults = dict(title="Møte", starts_at=f.aware(2017, 6, 15, 10), ends_at=f.aware(2017, 6, 15, 11))
    defaults.update(fields)
    return services.meeting_create(body=body, actor=clerk, **defaults)


def test_meetings_are_numbered_within_their_body(mayors_body, board, clerk):
    first, second = _create(mayors_body, clerk), _create(mayors_body, clerk)
    assert (first.number, second.number, _create(board, clerk).number) == (1, 2, 1)
    assert first.status == Status.DRAFT


def test_a_mayors_meeting_invites_the_mayor_of_every_member_on_the_day(mayors_body, clerk, municipalities, mayor):
    gol_old = f.make_person("Gammel ordfører i Gol")
    f.make_office(gol_old, municipality=municipalities["gol"], starts_on=date(2011, 10, 1), ends_on=date(2015, 9, 30))
    gol_new = f.make_person("Ny ordfører i Gol")
    f.make_office(gol_new, municipality=municipalities["gol"], starts_on=date(2015, 10, 1))
    leaver = f.make_municipality("0999", "Utmeldt")
    f.make_membership(mayors_body.cooperation, leaver, starts_on=date(2012, 1, 1), ends_on=date(2016, 12, 31))
    meeting = _create(mayors_body, clerk)
    rows = {i.municipality.name: i for i in meeting.invitees.select_related("municipality", "person")}
    assert set(rows) == {"Lier", "Drammen", "Gol"}  # not the municipality that left in 2016
    assert rows["Lier"].person == mayor and rows["Lier"].email == mayor.email and rows["Lier"].role == "Ordfører"
    assert rows["Gol"].person == gol_new
    # Drammen has no mayor in the register: the seat is still invited, by office.
    assert rows["Drammen"].person is None and rows["Drammen"].name == "Ordfører i Drammen"
    assert not any(i.is_guest for i in rows.values())


def test_a_nynorsk_body_names_the_role_in_nynorsk(coop, clerk, mayor):
    body = services.body_create(
        cooperation=coop,
        actor=clerk,
        name="Regionrådet",
        language="nn",
        invite_mode="member_mayors",
        case_number_format="{n}/{yy}",
    )
    assert set(_create(body, clerk).invitees.values_list("role", flat=True)) == {"Ordførar"}


def test_a_board_meeting_invites_its_members_on_the_day_but_not_substitutes(board, clerk, board_members):
    gone = f.make_person("Tidligere styremedlem")
    f.make_office(
        gone, kind=Office.Kind.BODY_MEMBER, body=board, starts_on=date(2010, 1, 1), ends_on=date(2015, 12, 31)
    )
    invitees = list(_create(board, clerk).invitees.select_related("person"))
    assert {i.person for i in invitees} == {board_members["leader"], board_members["member"]}
    assert {i.person.name: i.role for i in invitees} == {"Styreleder": "Leder", "Styremedlem": "Medlem"}


def test_creating_a_meeting_is_audited(mayors_body, clerk, coop, mayor):
    meeting = _create(mayors_body, clerk)
    entry = AuditEntry.objects.get(verb="meeting_create")
    assert (entry.object_id, entry.cooperation_id, entry.actor) == (str(meeting.pk), coop.pk, clerk)
    assert entry.changes["title"] == "Møte"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "tittel"),
        ({"ends_at": f.aware(2017, 6, 15, 9)}, "slutte før"),
        ({"registration_deadline": f.aware(2017, 6, 16)}, "Påmeldingsfristen"),
    ],
)
def test_a_meeting_with_bad_times_or_no_title_is_refused(mayors_body, clerk, fields, message):
    with pytest.raises(MeetingsError, match=message):
        _create(mayors_body, clerk, **fields)
    assert not Meeting.objects.exists()


ALLOWED = [
    (Status.DRAFT, Status.SUMMONED),
    (Status.DRAFT, Status.CANCELLED),
    (Status.SUMMONED, Status.HELD),
    (Status.SUMMONED, Status.CANCELLED),
    (Status.HELD, Status.MINUTES_APPROVED),
]


@pytest.mark.parametrize(("old", "new"), [(o, n) for o in Status for n in Status])
def test_only_the_transitions_of_the_table_are_allowed(meeting, clerk, old, new):
    Meeting.objects.filter(pk=meeting.pk).update(status=old)
    meeting.refresh_from_db()
    if (old, new) in ALLOWED:
        result = services.meeting_status_set(meeting=meeting, actor=clerk, status=new, reason="Sykdom")
        assert result.status == new
        assert AuditEntry.objects.filter(verb="meeting_status_set", changes__status=[old.value, new.value]).exists()
    else:
        with pytest.raises(MeetingsError):
            services.meeting_status_set(meeting=meeting, actor=clerk, status=new, reason="Sykdom")
        meeting.refresh_from_db()
        assert meeting.status == old


def test_a_meeting_without_invitees_cannot_be_summoned(mayors_body, clerk):
    meeting = _create(mayors_body, clerk, default_invitees=False)
    with pytest.raises(MeetingsError, match="inviterte"):
        services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)


@time_machine.travel("2017-06-15 09:59 +0200", tick=False)
def test_a_meeting_cannot_be_marked_held_before_it_starts(meeting, clerk):
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    with pytest.raises(MeetingsError, match="før det har startet"):
        services.meeting_mark_held(meeting=meeting, actor=clerk)
    with time_machine.travel("2017-06-15 10:00 +0200", tick=False):
        assert services.meeting_mark_held(meeting=meeting, actor=clerk).status == Status.HELD


def test_cancelling_needs_a_reason_and_tells_the_calendars(meeting, clerk):
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    with pytest.raises(MeetingsError, match="avlyses"):
        services.meeting_cancel(meeting=meeting, actor=clerk, reason=" ")
    cancelled = services.meeting_cancel(meeting=meeting, actor=clerk, reason="For få påmeldte")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == (Status.CANCELLED, "For få påmeldte", 1)
    assert cancelled.cancelled_at is not None


def test_changing_time_after_the_summons_raises_the_calendar_sequence(meeting, clerk):
    services.meeting_update(meeting=meeting, actor=clerk, place_name="Rådhuset")
    meeting.refresh_from_db()
    assert meeting.sequence == 0  # drafts were never sent
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    services.meeting_update(meeting=meeting, actor=clerk, contact="kari@example.no")
    meeting.refresh_from_db()
    assert meeting.sequence == 0  # not a calendar field
    services.meeting_update(
        meeting=meeting, actor=clerk, starts_at=f.aware(2017, 6, 15, 12), ends_at=f.aware(2017, 6, 15, 13)
    )
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.starts_at) == (1, f.aware(2017, 6, 15, 12))
    entry = AuditEntry.objects.filter(verb="meeting_update").first()
    assert {"starts_at", "ends_at"} <= set(entry.changes)


@pytest.mark.parametrize("status", [Status.HELD, Status.MINUTES_APPROVED, Status.CANCELLED])
def test_a_closed_meeting_cannot_be_changed(meeting, clerk, mayor, status):
    invitee = meeting.invitees.get(person=mayor)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    with pytest.raises(MeetingsError):
        services.meeting_update(meeting=meeting, actor=clerk, title="Nytt navn")
    with pytest.raises(MeetingsError):
        services.meeting_invitee_add(meeting=meeting, actor=clerk, name="Gjest")
    with pytest.raises(MeetingsError):
        services.meeting_invitee_remove(invitee=invitee, actor=clerk)
    meeting.refresh_from_db()
    assert meeting.title == "Ordførermøte i Helsesamarbeidet" and meeting.invitees.count() == 3


def test_a_guest_can_be_added_and_removed_while_the_meeting_is_open(meeting, clerk, mayor):
    guest = services.meeting_invitee_add(
        meeting=meeting, actor=clerk, name="Fylkeslege", email="lege@example.no", role="Observatør"
    )
    assert guest.is_guest and meeting.invitees.count() == 4
    with pytest.raises(MeetingsError, match="allerede invitert"):
        services.meeting_invitee_add(meeting=meeting, actor=clerk, person=mayor)
    services.meeting_invitee_remove(invitee=meeting.invitees.get(person=mayor), actor=clerk)
    assert not meeting.invitees.filter(person=mayor).exists() and meeting.invitees.count() == 3
    assert AuditEntry.objects.filter(verb="meeting_invitee_remove").count() == 1


def test_a_person_from_the_register_is_invited_with_their_address(meeting, clerk):
    person = f.make_person("Rådmann i Lier", email="radmann@lier.example.no")
    invitee = services.meeting_invitee_add(meeting=meeting, actor=clerk, person=person)
    assert (invitee.name, invitee.email, invitee.person) == ("Rådmann i Lier", "radmann@lier.example.no", person)


def test_an_invitee_who_sent_a_deputy_cannot_be_removed_first(meeting, clerk, mayor):
    invitee = meeting.invitees.get(person=mayor)
    Invitee.objects.create(meeting=meeting, name="Varaordfører", deputy_for=invitee)
    with pytest.raises(MeetingsError, match="stedfortreder"):
        services.meeting_invitee_remove(invitee=invitee, actor=clerk)


def test_resetting_invitees_follows_a_new_meeting_day_and_keeps_guests(meeting, clerk, mayor, municipalities):
    services.meeting_invitee_add(meeting=meeting, actor=clerk, name="Gjest")
    newcomer = f.make_person("Ny ordfører i Lier")
    f.make_office(newcomer, municipality=municipalities["lier"], starts_on=date(2019, 11, 1))
    mayor.offices.update(ends_on=date(2019, 10, 31))
    services.meeting_update(
        meeting=meeting,
        actor=clerk,
        starts_at=f.aware(2019, 11, 14, 10),
        ends_at=f.aware(2019, 11, 14, 11),
        registration_deadline=None,
    )
    services.meeting_invitees_reset(meeting=meeting, actor=clerk)
    names = set(meeting.invitees.values_list("name", flat=True))
    assert names == {"Gjest", "Ny ordfører i Lier", "Ordfører i Drammen", "Ordfører i Gol"}
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    with pytest.raises(MeetingsError):
        services.meeting_invitees_reset(meeting=meeting, actor=clerk)
