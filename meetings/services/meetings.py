"""Changes to meetings: creating, editing, invitees, state and cancelling."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khs.lib.audit import audit_log, diff, snapshot
from khs.lib.i18n import document_language
from meetings.documents.ready import documents_refresh
from meetings.errors import MeetingsError
from meetings.models import Invitee, Meeting
from meetings.rules import TRANSITIONS
from meetings.services._common import (
    INVITED_BODY_KINDS,
    Status,
    _meeting_open_check,
    _snapshot,
    role_word,
)
from membership.models import Body, Office
from membership.selectors import active_on, mayors_on, memberships_on

MEETING_FIELDS = ("title", "starts_at", "ends_at", "place_name", "place_address", "registration_deadline", "contact")
# A change to one of these after the summons is news for the invitees' calendars (SEQUENCE rises).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place_name", "place_address")


def _meeting_times_check(starts_at: datetime, ends_at: datetime | None, deadline: datetime | None) -> None:
    if starts_at is None:
        raise MeetingsError(_("Møtet må ha et starttidspunkt."))
    if ends_at is not None and ends_at < starts_at:
        raise MeetingsError(_("Møtet kan ikke slutte før det starter."))
    if deadline is not None and deadline > starts_at:
        raise MeetingsError(_("Påmeldingsfristen må være før møtet starter."))


def meeting_invitees_default(meeting: Meeting) -> list[Invitee]:
    """The invitees a meeting gets from its body on the meeting day (unsaved rows).

    member_mayors: the mayor of every municipality that is a member on the day, one row per municipality
    (kept with the municipality's name when no mayor is registered). members: the persons holding a
    leader, deputy leader or member office in the body on the day (substitutes are not invited).
    """
    with translation.override(document_language(meeting.body.language)):  # roles in the body's language
        return _invitees_default(meeting)


def _invitees_default(meeting: Meeting) -> list[Invitee]:
    body = meeting.body
    day = timezone.localtime(meeting.starts_at).date()
    lang = body.language
    rows = []
    if body.invite_mode == Body.InviteMode.MEMBER_MAYORS:
        memberships = list(memberships_on(body.cooperation_id, day))
        municipalities = [m.municipality for m in memberships]
        mayors = mayors_on(municipalities, day)
        word = role_word(Office.Kind.MAYOR)
        seen_people = set()
        for municipality in municipalities:
            person = mayors.get(municipality.pk)
            if person is not None and person.pk in seen_people:
                person = None
            if person is not None:
                seen_people.add(person.pk)
            rows.append(
                Invitee(
                    meeting=meeting,
                    person=person,
                    municipality=municipality,
                    role=word,
                    name=person.name
                    if person
                    else pgettext("invitee without a name", "%(role)s i %(municipality)s")
                    % {"role": word, "municipality": municipality.display_name(lang)},
                    email=person.email if person else "",
                )
            )
    else:
        offices = (
            Office.objects.filter(active_on(day), body=body, kind__in=INVITED_BODY_KINDS)
            .select_related("person", "municipality")
            .order_by("person__name")
        )
        order = {kind: i for i, kind in enumerate(INVITED_BODY_KINDS)}
        chosen = {}
        for office in offices:
            current = chosen.get(office.person_id)
            if current is None or order[office.kind] < order[current.kind]:
                chosen[office.person_id] = office
        for office in sorted(chosen.values(), key=lambda o: (order[o.kind], o.person.name)):
            rows.append(
                Invitee(
                    meeting=meeting,
                    person=office.person,
                    municipality=office.municipality,
                    role=role_word(office.kind),
                    name=office.person.name,
                    email=office.person.email,
                )
            )
    return rows


@transaction.atomic
def meeting_create(
    *,
    body,
    actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place_name: str = "",
    place_address: str = "",
    registration_deadline: datetime | None = None,
    contact: str = "",
    default_invitees: bool = True,
) -> Meeting:
    """A draft meeting with the next meeting number in its body and the body's default invitees."""
    title = (title or "").strip()
    if not title:
        raise MeetingsError(_("Møtet må ha en tittel."))
    _meeting_times_check(starts_at, ends_at, registration_deadline)
    body = Body.objects.select_for_update().get(pk=body.pk)  # serialises meeting numbers in the body
    number = (body.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
    meeting = Meeting.objects.create(
        body=body,
        number=number,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place_name=place_name.strip(),
        place_address=place_address.strip(),
        registration_deadline=registration_deadline,
        contact=contact.strip(),
    )
    invitees = Invitee.objects.bulk_create(meeting_invitees_default(meeting)) if default_invitees else []
    audit_log(
        actor=actor,
        action="create",
        verb="meeting_create",
        obj=meeting,
        changes=_snapshot(meeting),
        message=f"{len(invitees)} invitees from the body",
        cooperation_id=body.cooperation_id,
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting, actor, **fields) -> Meeting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update does not change {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _meeting_open_check(meeting, _("Møtet"))
    before = _snapshot(meeting)
    for key, value in fields.items():
        setattr(meeting, key, value.strip() if isinstance(value, str) else value)
    if not meeting.title:
        raise MeetingsError(_("Møtet må ha en tittel."))
    _meeting_times_check(meeting.starts_at, meeting.ends_at, meeting.registration_deadline)
    changes = diff(before, _snapshot(meeting))
    if meeting.status != Status.DRAFT and any(f in changes for f in CALENDAR_FIELDS):
        meeting.sequence += 1
    meeting.save()
    if changes:
        audit_log(
            actor=actor,
            action="update",
            verb="meeting_update",
            obj=meeting,
            changes=changes,
            cooperation_id=meeting.body.cooperation_id,
        )
    documents_refresh(meeting.pk)
    return meeting


@transaction.atomic
def meeting_invitee_add(
    *,
    meeting,
    actor,
    name: str = "",
    email: str = "",
    person=None,
    municipality=None,
    role: str = "",
    is_guest: bool = True,
) -> Invitee:
    """Invite one more person (a guest by default) to a draft or summoned meeting."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _meeting_open_check(meeting, _("De inviterte"))
    if person is not None:
        if meeting.invitees.filter(person=person).exists():
            raise MeetingsError(_("%(name)s er allerede invitert.") % {"name": person.name})
        name = name.strip() or person.name
        email = email.strip() or person.email
    name = (name or "").strip()
    if not name:
        raise MeetingsError(_("Den inviterte må ha et navn."))
    invitee = Invitee.objects.create(
        meeting=meeting,
        person=person,
        name=name,
        email=(email or "").strip(),
        municipality=municipality,
        role=role.strip(),
        is_guest=is_guest,
    )
    audit_log(
        actor=actor,
        action="create",
        verb="meeting_invitee_add",
        obj=invitee,
        changes=snapshot(invitee),
        message=str(meeting),
        cooperation_id=meeting.body.cooperation_id,
    )
    documents_refresh(meeting.pk)
    return invitee


@transaction.atomic
def meeting_invitee_remove(*, invitee, actor) -> Meeting:
    """Take someone off the invitee list of a draft or summoned meeting."""
    invitee = Invitee.objects.select_related("meeting__body").get(pk=invitee.pk)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=invitee.meeting_id)
    _meeting_open_check(meeting, _("De inviterte"))
    if invitee.deputies.exists():
        raise MeetingsError(
            _("%(name)s har sendt en stedfortreder; fjern stedfortrederen først.") % {"name": invitee.name}
        )
    audit_log(
        actor=actor,
        action="delete",
        verb="meeting_invitee_remove",
        obj=invitee,
        changes=snapshot(invitee),
        message=str(meeting),
        cooperation_id=meeting.body.cooperation_id,
    )
    invitee.delete()
    documents_refresh(meeting.pk)
    return meeting


@transaction.atomic
def meeting_invitees_reset(*, meeting, actor) -> Meeting:
    """In a draft: replace the invitees taken from the body with the body's invitees on the (new) meeting day.

    Guests added by hand stay.
    """
    meeting = Meeting.objects.select_for_update().select_related("body__cooperation").get(pk=meeting.pk)
    if meeting.status != Status.DRAFT:
        raise MeetingsError(_("De inviterte kan bare hentes på nytt mens møtet er et utkast."))
    guests = meeting.invitees.filter(is_guest=True)
    guest_people = set(guests.exclude(person=None).values_list("person_id", flat=True))
    removed = meeting.invitees.filter(is_guest=False).count()
    meeting.invitees.filter(is_guest=False).delete()
    fresh = [i for i in meeting_invitees_default(meeting) if i.person_id is None or i.person_id not in guest_people]
    Invitee.objects.bulk_create(fresh)
    audit_log(
        actor=actor,
        action="update",
        verb="meeting_invitees_reset",
        obj=meeting,
        changes={"invitees": [removed, len(fresh)]},
        cooperation_id=meeting.body.cooperation_id,
    )
    documents_refresh(meeting.pk)
    return meeting


@transaction.atomic
def meeting_status_set(*, meeting, actor, status: str, reason: str = "") -> Meeting:
    """Move a meeting along draft -> summoned -> held -> minutes approved (or cancelled), per TRANSITIONS."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    old = Status(meeting.status)
    new = Status(status)
    if new not in TRANSITIONS[old]:
        raise MeetingsError(
            _("Et møte med status «%(old)s» kan ikke få status «%(new)s».") % {"old": old.label, "new": new.label}
        )
    now = timezone.now()
    if new == Status.SUMMONED and not meeting.invitees.exists():
        raise MeetingsError(_("Møtet har ingen inviterte ennå."))
    if new == Status.HELD and meeting.starts_at > now:
        raise MeetingsError(_("Et møte kan ikke markeres som avholdt før det har startet."))
    if new == Status.CANCELLED:
        reason = (reason or "").strip()
        if not reason:
            raise MeetingsError(_("Skriv hvorfor møtet avlyses."))
        meeting.cancel_reason = reason[:500]
        meeting.cancelled_at = now
        if old == Status.SUMMONED:
            meeting.sequence += 1  # the invitees' calendars must learn of the cancellation
    meeting.status = new
    meeting.save()
    audit_log(
        actor=actor,
        action="update",
        verb="meeting_status_set",
        obj=meeting,
        at=now,
        changes={"status": [old.value, new.value]},
        message=reason,
        cooperation_id=meeting.body.cooperation_id,
    )
    return meeting


def meeting_mark_held(*, meeting, actor) -> Meeting:
    return meeting_status_set(meeting=meeting, actor=actor, status=Status.HELD)


@transaction.atomic
def meeting_cancel(*, meeting, actor, reason: str) -> Meeting:
    """Cancel the meeting and tell everyone who was summoned (METHOD:CANCEL); drafts notify nobody."""
    from meetings.services.summons import meeting_cancel_notify  # summons builds on these services

    meeting = meeting_status_set(meeting=meeting, actor=actor, status=Status.CANCELLED, reason=reason)
    meeting_cancel_notify(meeting=meeting, actor=actor, reason=reason)
    return meeting
