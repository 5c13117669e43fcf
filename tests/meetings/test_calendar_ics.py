"""The calendar invitation of a meeting: stable UID, rising SEQUENCE, REQUEST and CANCEL."""

from datetime import UTC, datetime

from icalendar import Calendar

from meetings.documents import calendar
from meetings.models import Meeting
from tests import factories as f
from tests.meetings.summons_world import seed_000_meeting


def parse(data: bytes):
    cal = Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    return cal, events


def test_invitation_carries_the_meeting_for_one_attendee(coop):
    meeting = seed_000_meeting(coop)
    invitee = f.make_invitee(meeting, name="Ordfører i Lier", email="ordforer@lier.example.no")
    stamp = f.aware(2017, 5, 20, 9)

    cal, [event] = parse(calendar.meeting_ics(meeting, attendee=invitee, stamp=stamp))

    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0" and cal["PRODID"]
    assert str(event["UID"]) == f"{meeting.uid}@khs"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(2017, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 in Oslo, summer time
    assert event.decoded("DTEND") == datetime(2017, 6, 15, 9, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == datetime(2017, 5, 20, 7, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Ordførermøte i Kommunehelsesamarbeidet (KHS)"
    assert str(event["LOCATION"]) == "Elvebakken gård, Svensfjøsset, Heggeveien 5, 3403 Lier"
    description = str(event["DESCRIPTION"])
    assert "1. Valg av møteleder og referent" in description
    assert "Sak 2/2017 Forslag til kontingent 2018" in description
    assert "Påmelding innen 4. juni 2017." in description
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:kari@vestregionen.no"
    assert event["ORGANIZER"].params["CN"] == "Kommunehelsesamarbeidet i Vestre Viken"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:ordforer@lier.example.no"
    assert attendee.params["CN"] == "Ordfører i Lier" and attendee.params["ROLE"] == "REQ-PARTICIPANT"


def test_uid_stays_and_sequence_follows_the_meeting(coop):
    meeting = f.make_meeting(f.make_body(coop))
    _cal, [first] = parse(calendar.meeting_ics(meeting))
    meeting.sequence = 3
    meeting.starts_at, meeting.ends_at = f.aware(2017, 6, 16, 10), f.aware(2017, 6, 16, 12)
    meeting.save()
    _cal, [later] = parse(calendar.meeting_ics(meeting))
    assert first["UID"] == later["UID"]
    assert later["SEQUENCE"] == 3
    assert later.decoded("DTSTART") == datetime(2017, 6, 16, 8, 0, tzinfo=UTC)


def test_cancellation_is_method_cancel_with_status_cancelled(coop):
    meeting = f.make_meeting(f.make_body(coop), status=Meeting.Status.CANCELLED, sequence=2)
    invitee = f.make_invitee(meeting)
    cal, [event] = parse(calendar.meeting_ics(meeting, method="CANCEL", attendee=invitee))
    assert cal["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2


def test_meeting_without_end_has_no_dtend_and_winter_time_is_utc_plus_one(coop):
    meeting = f.make_meeting(f.make_body(coop), starts_at=f.aware(2017, 1, 23, 12, 30), ends_at=None)
    _cal, [event] = parse(calendar.meeting_ics(meeting))
    assert event.decoded("DTSTART") == datetime(2017, 1, 23, 11, 30, tzinfo=UTC)
    assert "DTEND" not in event


def test_an_attendee_who_has_answered_can_be_sent_as_accepted(coop):
    meeting = f.make_meeting(f.make_body(coop), status=Meeting.Status.SUMMONED)
    invitee = f.make_invitee(meeting)
    _cal, [event] = parse(calendar.meeting_ics(meeting, attendee=invitee, partstat="ACCEPTED"))
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
