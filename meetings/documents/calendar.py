"""Calendar data of meetings: the .ics invitation sent with a summons, and subscribable feeds.

An event keeps one UID per meeting (`<meeting.uid>@khs`) for its whole life; SEQUENCE is the
meeting's own counter, raised by every re-sent summons, supplementary summons and cancellation, so
calendar programs replace the earlier version. Times are written in UTC (no VTIMEZONE needed).
Feeds are reached through signed tokens (django.core.signing, salted per kind, no expiry):
whoever holds the address can read the feed, nobody can guess another.
"""

from datetime import UTC

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings import documents
from meetings.models import Meeting
from meetings.selectors import meetings_for_person

PRODID = "-//khs//Møter og saker//NO"
BODY_SALT = "khs.calendar.body-feed"
PERSON_SALT = "khs.calendar.person-feed"
# Letters, digits, '-' and '_' make up the signature; '.' keeps the token in one path segment.
_SIGNER_SEP = "."


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@khs"


def meeting_page_url(meeting: Meeting) -> str:
    """The meeting's page (the meetings issue), or the dashboard until that page exists."""
    try:
        path = reverse("meetings:meeting_detail", args=[meeting.pk])
    except NoReverseMatch:
        path = reverse("dashboard")
    return settings.SITE_URL + path


def _organizer(meeting: Meeting) -> vCalAddress:
    cooperation = meeting.body.cooperation
    organizer = vCalAddress(f"mailto:{cooperation.contact_email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["CN"] = vText(cooperation.name)
    return organizer


def _attendee(name: str, email: str, partstat: str = "NEEDS-ACTION") -> vCalAddress:
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["CN"] = vText(name)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText(partstat)
    # Answers are given through the personal link in the mail, not by calendar replies.
    attendee.params["RSVP"] = vText("FALSE")
    return attendee


def _utc(value):
    return value.astimezone(UTC)


def meeting_event(
    meeting: Meeting,
    *,
    cases=None,
    stamp=None,
    attendees=(),
    cancelled=None,
    description_extra: str = "",
    partstat: str = "NEEDS-ACTION",
) -> Event:
    """One VEVENT for a meeting: time, place, agenda as description, its status."""
    lang = documents.document_language(meeting)
    cancelled = meeting.status == Meeting.Status.CANCELLED if cancelled is None else cancelled
    cases = documents.agenda_cases(meeting) if cases is None else cases
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", _utc(stamp or timezone.now()))
    event.add("dtstart", _utc(meeting.starts_at))
    if meeting.ends_at:
        event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", meeting.title)
    place = documents.place_text(meeting)
    if place:
        event.add("location", place)
    w = documents.words(lang)
    lines = [f"{w['agenda']}:", *documents.plain_agenda(meeting, cases, lang)]
    deadline = documents.deadline_text(meeting, lang)
    if deadline:
        lines += ["", f"{w['deadline']} {deadline}."]
    if description_extra:
        lines += ["", description_extra]
    event.add("description", "\n".join(lines))
    event.add("url", meeting_page_url(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _organizer(meeting))
    for name, email in attendees:
        event.add("attendee", _attendee(name, email, partstat))
    return event


def _calendar(*, method: str | None = None, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def meeting_ics(
    meeting: Meeting,
    *,
    method: str = "REQUEST",
    attendee=None,
    cases=None,
    stamp=None,
    description_extra: str = "",
    partstat: str = "NEEDS-ACTION",
) -> bytes:
    """The invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL) of one meeting.

    `attendee` is an Invitee (or anything with .name and .email): the person the invitation is for;
    `partstat` their answer as the calendar knows it (ACCEPTED once they have said they come).
    """
    cal = _calendar(method=method)
    attendees = [(attendee.name, attendee.email)] if attendee is not None and attendee.email else []
    cal.add_component(
        meeting_event(
            meeting,
            cases=cases,
            stamp=stamp,
            attendees=attendees,
            cancelled=True if method == "CANCEL" else None,
            description_extra=description_extra,
            partstat=partstat,
        )
    )
    return cal.to_ical()


def _feed(meetings, name: str) -> bytes:
    cal = _calendar(method="PUBLISH", name=name)
    stamp = timezone.now()
    for meeting in meetings:
        # The feed lists meetings, not their agendas: one query, whatever the number of cases.
        cal.add_component(meeting_event(meeting, cases=[], stamp=stamp))
    return cal.to_ical()


def _published(meetings):
    """Meetings a calendar may show: summoned or later (drafts are the secretariat's own)."""
    return meetings.exclude(status=Meeting.Status.DRAFT).select_related("body__cooperation").order_by("starts_at")


def body_feed(body) -> bytes:
    return _feed(_published(body.meetings.all()), f"{body.name} ({body.cooperation.short_name})")


def person_feed(person) -> bytes:
    return _feed(meetings_for_person(person), f"khs: {person.name}")


# --- Private feed addresses ---


def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt, sep=_SIGNER_SEP)


def body_feed_token(body) -> str:
    return _signer(BODY_SALT).sign(str(body.pk))


def person_feed_token(person) -> str:
    return _signer(PERSON_SALT).sign(str(person.pk))


def _unsign(token: str, salt: str) -> int | None:
    try:
        value = _signer(salt).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def body_from_token(token: str) -> int | None:
    """The body id a feed token was made for, or None for a forged or altered token."""
    return _unsign(token, BODY_SALT)


def person_from_token(token: str) -> int | None:
    return _unsign(token, PERSON_SALT)


def body_feed_url(body) -> str:
    return settings.SITE_URL + reverse("meetings:body_feed", args=[body_feed_token(body)])


def person_feed_url(person) -> str:
    return settings.SITE_URL + reverse("meetings:person_feed", args=[person_feed_token(person)])
