"""Every change to bodies, meetings, invitees, cases and agendas.

Each service is atomic, checks the rules of the meeting's state (not just what the page hides),
writes an audit entry and returns the object. Views, commands, the demo and tests call these.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, diff, snapshot
from meetings.filetypes import attachment_check, sha256_of
from meetings.models import _FORMAT_TOKEN, Body, Case, CaseAttachment, CaseNumberSeries, CaseReference, Invitee, Meeting
from meetings.richtext import clean_html
from membership.models import Office
from membership.selectors import active_on, mayors_on, memberships_on


class MeetingsError(Exception):
    """A rule of bodies, meetings or cases was broken; the message is translated and shown beside the form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


Status = Meeting.Status

# Which state a meeting may move to from each state. Anything else is refused.
TRANSITIONS = {
    Status.DRAFT: {Status.SUMMONED, Status.CANCELLED},
    Status.SUMMONED: {Status.HELD, Status.CANCELLED},
    Status.HELD: {Status.MINUTES_APPROVED},
    Status.MINUTES_APPROVED: set(),
    Status.CANCELLED: set(),
}

# Words that go into documents and invitee lists in the body's language (not through .po files).
ROLE_WORDS = {
    Office.Kind.MAYOR: {"nb": "Ordfører", "nn": "Ordførar"},
    Office.Kind.BODY_LEADER: {"nb": "Leder", "nn": "Leiar"},
    Office.Kind.BODY_DEPUTY_LEADER: {"nb": "Nestleder", "nn": "Nestleiar"},
    Office.Kind.BODY_MEMBER: {"nb": "Medlem", "nn": "Medlem"},
}
INVITED_BODY_KINDS = (Office.Kind.BODY_LEADER, Office.Kind.BODY_DEPUTY_LEADER, Office.Kind.BODY_MEMBER)


def _snapshot(obj, fields=None) -> dict:
    """khs.lib.audit.snapshot, with UUIDs (Meeting.uid) as text so the entry is JSON."""
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in snapshot(obj, fields).items()}


# ---------------------------------------------------------------------------------------------- bodies

BODY_FIELDS = (
    "name",
    "kind",
    "case_number_format",
    "language",
    "invite_mode",
    "addressee",
    "quorum_rule",
    "quorum_minimum",
)


def _quorum_minimum_check(minimum):
    if minimum is not None and minimum < 1:
        raise MeetingsError(_("Minstetallet må være minst 1."))


def case_number_format_check(fmt: str) -> None:
    """Refuse a format without exactly one {n}, without a year, or with unknown {…} tokens."""
    tokens = _FORMAT_TOKEN.findall(fmt or "")
    rest = _FORMAT_TOKEN.sub("", fmt or "")
    numbers = [t for t in tokens if t.startswith("n")]
    if len(numbers) != 1 or not any(t in ("yyyy", "yy") for t in tokens) or "{" in rest or "}" in rest:
        raise MeetingsError(
            _("Formatet må ha nøyaktig ett {n} (eller {n:02}) og et årstall ({yyyy} eller {yy}), f.eks. «{n}/{yyyy}».")
        )
    if len(fmt) > 40:
        raise MeetingsError(_("Formatet kan være høyst 40 tegn."))


@transaction.atomic
def body_create(
    *,
    cooperation,
    actor,
    name: str,
    kind: str = Body.Kind.OTHER,
    case_number_format: str = "{n}/{yyyy}",
    language: str = "nb",
    invite_mode: str = Body.InviteMode.MEMBERS,
    addressee: str = "",
    quorum_rule: str = Body.QuorumRule.MAJORITY_OF_MEMBERS,
    quorum_minimum: int | None = None,
) -> Body:
    name = name.strip()
    if not name:
        raise MeetingsError(_("Organet må ha et navn."))
    case_number_format_check(case_number_format)
    _quorum_minimum_check(quorum_minimum)
    if Body.objects.filter(cooperation=cooperation, name__iexact=name).exists():
        raise MeetingsError(_("Samarbeidet har allerede et organ som heter «%(name)s».") % {"name": name})
    body = Body.objects.create(
        cooperation=cooperation,
        name=name,
        kind=kind,
        case_number_format=case_number_format,
        language=language,
        invite_mode=invite_mode,
        addressee=addressee.strip(),
        quorum_rule=quorum_rule,
        quorum_minimum=quorum_minimum,
    )
    audit_log(
        actor=actor,
        action="create",
        verb="body_create",
        obj=body,
        changes=snapshot(body),
        cooperation_id=cooperation.pk,
    )
    return body


@transaction.atomic
def body_update(*, body, actor, **fields) -> Body:
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"body_update does not change {sorted(unknown)}")
    body = Body.objects.select_for_update().get(pk=body.pk)
    before = snapshot(body)
    if "quorum_minimum" in fields:
        _quorum_minimum_check(fields["quorum_minimum"])
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        if not fields["name"]:
            raise MeetingsError(_("Organet må ha et navn."))
        if (
            Body.objects.filter(cooperation_id=body.cooperation_id, name__iexact=fields["name"])
            .exclude(pk=body.pk)
            .exists()
        ):
            raise MeetingsError(_("Samarbeidet har allerede et organ som heter «%(name)s».") % {"name": fields["name"]})
    if "case_number_format" in fields and fields["case_number_format"] != body.case_number_format:
        case_number_format_check(fields["case_number_format"])
        # The label of a case is computed from the format: changing it would rewrite every old number.
        if body.cases.exists():
            raise MeetingsError(
                _("Formatet for saksnummer kan ikke endres etter at det er registrert saker i organet.")
            )
    for key, value in fields.items():
        setattr(body, key, value)
    body.save()
    changes = diff(before, snapshot(body))
    if changes:
        audit_log(
            actor=actor,
            action="update",
            verb="body_update",
            obj=body,
            changes=changes,
            cooperation_id=body.cooperation_id,
        )
    return body


# -------------------------------------------------------------------------------------------- meetings

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


def _meeting_open_check(meeting: Meeting, what: str) -> None:
    if not meeting.is_open:
        raise MeetingsError(
            _("%(what)s kan ikke endres når møtet har status «%(status)s».")
            % {"what": what, "status": meeting.get_status_display()}
        )


def meeting_invitees_default(meeting: Meeting) -> list[Invitee]:
    """The invitees a meeting gets from its body on the meeting day (unsaved rows).

    member_mayors: the mayor of every municipality that is a member on the day, one row per municipality
    (kept with the municipality's name when no mayor is registered). members: the persons holding a
    leader, deputy leader or member office in the body on the day (substitutes are not invited).
    """
    body = meeting.body
    day = timezone.localtime(meeting.starts_at).date()
    lang = body.language
    rows = []
    if body.invite_mode == Body.InviteMode.MEMBER_MAYORS:
        memberships = list(memberships_on(body.cooperation_id, day))
        municipalities = [m.municipality for m in memberships]
        mayors = mayors_on(municipalities, day)
        word = ROLE_WORDS[Office.Kind.MAYOR][lang]
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
                    name=person.name if person else f"{word} i {municipality.display_name(lang)}",
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
                    role=ROLE_WORDS[office.kind][lang],
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
    from meetings.summons import meeting_cancel_notify  # summons builds on these services

    meeting = meeting_status_set(meeting=meeting, actor=actor, status=Status.CANCELLED, reason=reason)
    meeting_cancel_notify(meeting=meeting, actor=actor, reason=reason)
    return meeting


# ----------------------------------------------------------------------------------------------- cases

CASE_TEXT_FIELDS = ("background", "assessment", "proposed_resolution")
CASE_FIELDS = ("title", "kind", *CASE_TEXT_FIELDS, "signer_name", "signer_title", "document_place", "document_date")


def _case_editable_check(case: Case) -> None:
    if case.status == Case.Status.WITHDRAWN:
        raise MeetingsError(_("Sak %(label)s er trukket og kan ikke endres.") % {"label": case.label})
    if case.meeting_id is not None and not case.meeting.is_open:
        raise MeetingsError(
            _("Sak %(label)s kan ikke endres når møtet har status «%(status)s».")
            % {"label": case.label, "status": case.meeting.get_status_display()}
        )


def _agenda_end(meeting: Meeting) -> int:
    return (meeting.cases.aggregate(p=Max("agenda_position"))["p"] or 0) + 1


def _draw_case_number(body: Body, year: int) -> int:
    """The next number of the body's series for the year, with the series row locked until commit.

    Numbers already present (cases written before the series existed, e.g. imported) are stepped over,
    so a number is never given twice and none is left out.
    """
    series, _created = CaseNumberSeries.objects.select_for_update().get_or_create(body=body, year=year)
    highest = Case.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0
    series.last_number = max(series.last_number, highest) + 1
    series.save(update_fields=["last_number"])
    return series.last_number


@transaction.atomic
def case_register(
    *,
    body,
    actor,
    title: str,
    kind: str = Case.Kind.DECISION,
    background: str = "",
    assessment: str = "",
    proposed_resolution: str = "",
    signer_name: str = "",
    signer_title: str = "",
    document_place: str = "",
    document_date=None,
    meeting=None,
    registered_at: datetime | None = None,
) -> Case:
    """Register a case: it takes the next number of the body's series for the year of registration.

    `registered_at` is for entering an earlier case from the archive; it defaults to now.
    """
    title = (title or "").strip()
    if not title:
        raise MeetingsError(_("Saken må ha en tittel."))
    if kind not in Case.Kind.values:
        raise MeetingsError(_("Ukjent sakstype."))
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.body_id != body.pk:
            raise MeetingsError(_("Saken kan bare settes på et møte i samme organ."))
        _meeting_open_check(meeting, _("Sakslisten"))
    registered_at = registered_at or timezone.now()
    year = timezone.localtime(registered_at).year
    fields = dict(
        title=title,
        kind=kind,
        background=clean_html(background),
        assessment=clean_html(assessment),
        proposed_resolution=clean_html(proposed_resolution),
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        document_place=document_place.strip(),
        document_date=document_date,
        meeting=meeting,
        agenda_position=_agenda_end(meeting) if meeting else 0,
        registered_at=registered_at,
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for attempt in range(3):
        try:
            with transaction.atomic():
                case = Case.objects.create(body=body, year=year, number=_draw_case_number(body, year), **fields)
            break
        except IntegrityError:
            # Another transaction took the number between our read and write (only possible when rows
            # bypass the series); the savepoint is undone and the next free number drawn.
            if attempt == 2:
                raise MeetingsError(_("Saksnummeret kunne ikke trekkes. Prøv igjen.")) from None
    audit_log(
        actor=actor,
        action="create",
        verb="case_register",
        obj=case,
        at=registered_at,
        changes=snapshot(case, ["body", "year", "number", "title", "kind", "meeting"]),
        message=case.label,
        cooperation_id=body.cooperation_id,
    )
    return case


@transaction.atomic
def case_series_continue(*, body, year: int, last_number: int, actor) -> CaseNumberSeries:
    """Continue a paper series in khs: the next case registered in `year` gets last_number + 1.

    Only before khs has given out any number in that body and year, and never backwards.
    """
    series, _created = CaseNumberSeries.objects.select_for_update().get_or_create(body=body, year=year)
    if Case.objects.filter(body=body, year=year).exists() or last_number < series.last_number:
        raise MeetingsError(_("Nummerserien for %(year)s er allerede i bruk og kan ikke flyttes.") % {"year": year})
    old = series.last_number
    series.last_number = last_number
    series.save(update_fields=["last_number"])
    audit_log(
        actor=actor,
        action="update",
        verb="case_series_continue",
        obj=series,
        changes={"last_number": [old, last_number]},
        cooperation_id=body.cooperation_id,
    )
    return series


def _locked_case(case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("body", "meeting").get(pk=case.pk)


@transaction.atomic
def case_update(*, case, actor, **fields) -> Case:
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"case_update does not change {sorted(unknown)}")
    case = _locked_case(case)
    _case_editable_check(case)
    before = snapshot(case)
    for key, value in fields.items():
        if key in CASE_TEXT_FIELDS:
            value = clean_html(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(case, key, value)
    if not case.title:
        raise MeetingsError(_("Saken må ha en tittel."))
    if case.kind not in Case.Kind.values:
        raise MeetingsError(_("Ukjent sakstype."))
    case.save()
    changes = diff(before, snapshot(case))
    if changes:
        audit_log(
            actor=actor,
            action="update",
            verb="case_update",
            obj=case,
            changes=changes,
            message=case.label,
            cooperation_id=case.body.cooperation_id,
        )
    return case


@transaction.atomic
def case_withdraw(*, case, actor, reason: str = "") -> Case:
    """Withdraw a case: it keeps its number and its place on the agenda, marked withdrawn."""
    case = _locked_case(case)
    _case_editable_check(case)
    now = timezone.now()
    case.status = Case.Status.WITHDRAWN
    case.withdrawn_at = now
    case.withdrawn_reason = (reason or "").strip()[:500]
    case.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    audit_log(
        actor=actor,
        action="update",
        verb="case_withdraw",
        obj=case,
        at=now,
        changes={"status": [Case.Status.REGISTERED.value, Case.Status.WITHDRAWN.value]},
        message=case.withdrawn_reason or case.label,
        cooperation_id=case.body.cooperation_id,
    )
    return case


@transaction.atomic
def case_move(*, case, meeting, actor) -> Case:
    """Put a case on a (later) meeting of its body; it keeps its number and goes last on that agenda."""
    case = _locked_case(case)
    target = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if case.status == Case.Status.WITHDRAWN:
        raise MeetingsError(_("Sak %(label)s er trukket og kan ikke flyttes.") % {"label": case.label})
    if target.body_id != case.body_id:
        raise MeetingsError(_("En sak kan bare flyttes til et møte i samme organ."))
    if case.meeting_id == target.pk:
        raise MeetingsError(_("Saken står allerede på dette møtet."))
    _meeting_open_check(target, _("Sakslisten"))
    source = case.meeting
    if source is not None:
        if source.status in (Status.HELD, Status.MINUTES_APPROVED):
            raise MeetingsError(_("Saken er behandlet i et møte som er avholdt og kan ikke flyttes."))
        if target.starts_at <= source.starts_at:
            raise MeetingsError(_("En sak kan bare flyttes til et senere møte."))
    case.meeting = target
    case.agenda_position = _agenda_end(target)
    case.save(update_fields=["meeting", "agenda_position"])
    audit_log(
        actor=actor,
        action="update",
        verb="case_move",
        obj=case,
        changes={"meeting": [source.pk if source else None, target.pk]},
        message=case.label,
        cooperation_id=case.body.cooperation_id,
    )
    return case


@transaction.atomic
def agenda_reorder(*, meeting, actor, case_ids: list[int]) -> Meeting:
    """Set the order of the cases on a meeting's agenda; case_ids must name every case on it exactly once."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _meeting_open_check(meeting, _("Sakslisten"))
    cases = {c.pk: c for c in meeting.cases.all()}
    case_ids = [int(i) for i in case_ids]
    if len(case_ids) != len(set(case_ids)) or set(case_ids) != set(cases):
        raise MeetingsError(_("Sakslisten er endret i mellomtiden. Last siden på nytt og prøv igjen."))
    before = [c.pk for c in sorted(cases.values(), key=lambda c: (c.agenda_position, c.pk))]
    for position, pk in enumerate(case_ids, start=1):
        cases[pk].agenda_position = position
    Case.objects.bulk_update(cases.values(), ["agenda_position"])
    if before != case_ids:
        audit_log(
            actor=actor,
            action="update",
            verb="agenda_reorder",
            obj=meeting,
            changes={"agenda": [before, case_ids]},
            cooperation_id=meeting.body.cooperation_id,
        )
    return meeting


# ------------------------------------------------------------------------------------------ references


@transaction.atomic
def case_reference_add(*, case, earlier_case, actor, note: str = "") -> CaseReference:
    """Link a case to earlier handling of the same matter ("styret, møte 23.01.2017, sak 03/2017")."""
    case = _locked_case(case)
    earlier_case = Case.objects.select_related("body").get(pk=earlier_case.pk)
    if earlier_case.pk == case.pk:
        raise MeetingsError(_("En sak kan ikke vise til seg selv."))
    if earlier_case.body.cooperation_id != case.body.cooperation_id:
        raise MeetingsError(_("Saken det vises til må høre til samme samarbeid."))
    if (
        CaseReference.objects.filter(case=case, earlier_case=earlier_case).exists()
        or CaseReference.objects.filter(case=earlier_case, earlier_case=case).exists()
    ):
        raise MeetingsError(_("Sakene er allerede knyttet sammen."))
    reference = CaseReference.objects.create(case=case, earlier_case=earlier_case, note=(note or "").strip()[:300])
    audit_log(
        actor=actor,
        action="create",
        verb="case_reference_add",
        obj=reference,
        changes={"case": case.pk, "earlier_case": earlier_case.pk},
        message=str(reference),
        cooperation_id=case.body.cooperation_id,
    )
    return reference


@transaction.atomic
def case_reference_remove(*, reference, actor) -> Case:
    reference = CaseReference.objects.select_related("case__body", "earlier_case__body").get(pk=reference.pk)
    case = reference.case
    audit_log(
        actor=actor,
        action="delete",
        verb="case_reference_remove",
        obj=reference,
        changes={"case": case.pk, "earlier_case": reference.earlier_case_id},
        message=str(reference),
        cooperation_id=case.body.cooperation_id,
    )
    reference.delete()
    return case


# ----------------------------------------------------------------------------------------- attachments


@transaction.atomic
def case_attachment_add(*, case, actor, file, title: str = "") -> CaseAttachment:
    """Attach a file to a case after checking its size and content; stored with size and SHA-256."""
    case = _locked_case(case)
    _case_editable_check(case)
    kind = attachment_check(file)
    original_name = file.name.rsplit("/", 1)[-1][:255]
    title = (title or "").strip() or original_name.rsplit(".", 1)[0]
    position = (case.attachments.aggregate(p=Max("position"))["p"] or 0) + 1
    attachment = CaseAttachment(
        case=case,
        title=title[:300],
        original_name=original_name,
        content_type=kind.content_type,
        size=file.size,
        sha256=sha256_of(file),
        position=position,
        uploaded_at=timezone.now(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        attachment.file.save(original_name, file, save=False)
        attachment.save()
        audit_log(
            actor=actor,
            action="create",
            verb="case_attachment_add",
            obj=attachment,
            changes=snapshot(attachment, ["case", "title", "content_type", "size", "sha256"]),
            message=case.label,
            cooperation_id=case.body.cooperation_id,
        )
    except Exception:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)  # leave nothing behind
        raise
    return attachment


@transaction.atomic
def case_attachment_remove(*, attachment, actor) -> Case:
    attachment = CaseAttachment.objects.select_related("case__body", "case__meeting").get(pk=attachment.pk)
    case = attachment.case
    _case_editable_check(case)
    audit_log(
        actor=actor,
        action="delete",
        verb="case_attachment_remove",
        obj=attachment,
        changes=snapshot(attachment, ["case", "title", "size", "sha256"]),
        message=case.label,
        cooperation_id=case.body.cooperation_id,
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return case
