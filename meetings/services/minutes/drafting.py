"""Drafting the minutes: the body's minutes settings, the draft filled in from the meeting, its head, who met,
each item's treatment, votes and quorum, alternative proposals and disqualifications (inhabilitet)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, diff, snapshot
from meetings import rules
from meetings.errors import MeetingsError
from meetings.models import (
    ApprovalMode,
    Case,
    ClosedBasis,
    Disqualification,
    Meeting,
    Minutes,
    MinutesItem,
    MinutesSettings,
    Participant,
    Proposal,
    Vote,
    VoteWeight,
)
from meetings.services.minutes.approval import _approve, approving
from meetings.services.minutes.common import Decision, Response, VoteMode, _audit, _lock, _touch, _user, document_words
from membership.models import Office
from membership.selectors import memberships_on

# --- Settings of a body --------------------------------------------------------------------------------------


def minutes_settings_for(body) -> MinutesSettings:
    """The body's minutes settings (an unsaved default when it has none)."""
    found = MinutesSettings.objects.filter(body=body).first()
    return found or MinutesSettings(body=body)


@transaction.atomic
def body_minutes_settings_set(*, actor, body, approval_mode: str, weighted_votes: bool = False, weights=None):
    """How the body approves its minutes and whether its municipalities' votes are weighted ({municipality: w})."""
    if approval_mode not in ApprovalMode.values:
        raise MeetingsError(_("Ukjent godkjenningsmåte."))
    found = minutes_settings_for(body)
    before = snapshot(found, ["approval_mode", "weighted_votes"]) if found.pk else {}
    found.approval_mode, found.weighted_votes = approval_mode, bool(weighted_votes)
    found.save()
    for municipality, weight in (weights or {}).items():
        weight = Decimal(str(weight))
        if weight <= 0:
            raise MeetingsError(_("En stemmevekt må være større enn null."))
        VoteWeight.objects.update_or_create(body=body, municipality=municipality, defaults={"weight": weight})
    audit_log(
        actor=actor,
        action="update",
        verb="body_minutes_settings_set",
        obj=body,
        changes=diff(before, snapshot(found, ["approval_mode", "weighted_votes"])),
        message=f"{len(weights or {})} vote weights" if weights else "",
        cooperation_id=body.cooperation_id,
    )
    return found


# --- The draft -----------------------------------------------------------------------------------------------


def _prefill_participants(minutes: Minutes, meeting: Meeting) -> None:
    invitees = list(meeting.invitees.select_related("municipality"))
    checked_in = any(i.present is not None for i in invitees)
    deputies = {i.deputy_for_id: i for i in sorted(invitees, key=lambda i: i.pk) if i.deputy_for_id}

    def came(invitee) -> bool:
        return bool(invitee.present) if checked_in else invitee.response == Response.ATTENDING

    def key(i):
        return (i.municipality.number if i.municipality_id else "~", i.name)

    position = 0
    for invitee in sorted((i for i in invitees if not i.deputy_for_id and not i.is_guest), key=key):
        position += 1
        if came(invitee):
            attendance = Participant.Attendance.PRESENT
        elif invitee.response in (Response.ABSENT, Response.DEPUTY):
            attendance = Participant.Attendance.ABSENT_NOTICE
        else:
            attendance = Participant.Attendance.ABSENT
        member = Participant.objects.create(
            minutes=minutes,
            invitee=invitee,
            name=invitee.name,
            municipality=invitee.municipality,
            role=Participant.Role.MEMBER,
            attendance=attendance,
            position=position * 10,
        )
        deputy = deputies.get(invitee.pk)
        if deputy is not None and came(deputy):
            Participant.objects.create(
                minutes=minutes,
                invitee=deputy,
                name=deputy.name,
                municipality=invitee.municipality,
                role=Participant.Role.DEPUTY,
                deputy_for=member,
                position=position * 10 + 1,
            )
    for guest in sorted((i for i in invitees if i.is_guest and not i.deputy_for_id), key=key):
        if came(guest):
            position += 1
            Participant.objects.create(
                minutes=minutes,
                invitee=guest,
                name=guest.name,
                municipality=guest.municipality,
                role=Participant.Role.GUEST,
                position=position * 10,
            )


def _chair_name(meeting: Meeting) -> str:
    day = timezone.localdate(meeting.starts_at)
    office = (
        Office.objects.filter(body=meeting.body, kind=Office.Kind.BODY_LEADER, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .select_related("person")
        .first()
    )
    return office.person.name if office else ""


@transaction.atomic
def minutes_create(*, meeting: Meeting, actor, now=None) -> Minutes:
    """The draft, filled in from what the product knows: time, place, who came (check-in, answers), each case
    with its proposal as the resolution to adopt. Returns the existing minutes when there are some."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("body__cooperation").get(pk=meeting.pk)
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if not rules.minutes_may_start(meeting, now):
        raise MeetingsError(_("Protokollen kan skrives når møtet har startet eller er avholdt."))
    words = document_words(meeting.body)
    actor_name = (actor.get_full_name() or actor.get_username()) if _user(actor) else ""
    minutes = Minutes.objects.create(
        meeting=meeting,
        approval_mode=minutes_settings_for(meeting.body).approval_mode,
        started_at=meeting.starts_at,
        ended_at=meeting.ends_at,
        place=", ".join(p for p in (meeting.place_name.strip(), meeting.place_address.strip()) if p),
        chair_name=_chair_name(meeting),
        minute_taker_name=actor_name,
        created_at=now,
        updated_at=now,
        updated_by=_user(actor),
    )
    _prefill_participants(minutes, meeting)
    cases = meeting.cases.exclude(status=Case.Status.WITHDRAWN).order_by("agenda_position", "number")
    for position, case in enumerate(cases, start=1):
        orientation = case.kind == Case.Kind.ORIENTATION
        MinutesItem.objects.create(
            minutes=minutes,
            case=case,
            kind=MinutesItem.Kind.ANY_OTHER if case.kind == Case.Kind.OTHER else MinutesItem.Kind.CASE,
            position=position * 10,
            title=case.title,
            proposed_resolution=case.proposed_resolution,
            resolution=f"<p>{words['noted']}</p>" if orientation else case.proposed_resolution,
            decision=Decision.NOTED if orientation else "",
        )
    _quorum_refresh(minutes)
    _audit(actor=actor, verb="minutes_create", obj=minutes, minutes=minutes, action="create")
    return minutes


HEADER_FIELDS = (
    "started_at",
    "ended_at",
    "place",
    "chair_name",
    "minute_taker_name",
    "summons_approved",
    "summons_note",
)


@transaction.atomic
def minutes_update(*, minutes: Minutes, actor, version: int, attendance: dict | None = None, **fields) -> Minutes:
    """Change the head of the minutes (time, place, chair, minute-taker, summons approved) and who attended."""
    minutes = _lock(minutes, version)
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise MeetingsError(_("Ukjente felt: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if fields.get("ended_at") and fields["ended_at"] < fields.get("started_at", minutes.started_at):
        raise MeetingsError(_("Møtet kan ikke heves før det er satt."))
    before = snapshot(minutes, list(HEADER_FIELDS))
    for name, value in fields.items():
        setattr(minutes, name, value.strip() if isinstance(value, str) else value)
    minutes.save(update_fields=list(fields) or None)
    changes = diff(before, snapshot(minutes, list(HEADER_FIELDS)))
    for participant in minutes.participants.filter(pk__in=list(attendance or {})):
        value = attendance[participant.pk]
        if value not in Participant.Attendance.values:
            raise MeetingsError(_("Ukjent oppmøte."))
        if value != participant.attendance:
            changes[f"attendance:{participant.name}"] = [participant.attendance, value]
            participant.attendance = value
            participant.save(update_fields=["attendance"])
    _quorum_refresh(minutes)
    _touch(minutes, actor)
    _audit(actor=actor, verb="minutes_update", obj=minutes, minutes=minutes, changes=changes)
    return minutes


@transaction.atomic
def minutes_participant_add(
    *, minutes: Minutes, actor, version: int, name: str, role: str = Participant.Role.GUEST, municipality=None
) -> Participant:
    """Someone not on the invitation list who met (a guest, a deputy who came unannounced)."""
    minutes = _lock(minutes, version)
    name = " ".join((name or "").split())
    if not name:
        raise MeetingsError(_("Skriv navnet på den som møtte."))
    if role not in (Participant.Role.GUEST, Participant.Role.MEMBER, Participant.Role.DEPUTY):
        raise MeetingsError(_("Ukjent rolle."))
    last = minutes.participants.order_by("-position").values_list("position", flat=True).first() or 0
    participant = Participant.objects.create(
        minutes=minutes, name=name, role=role, municipality=municipality, position=last + 10
    )
    _quorum_refresh(minutes)
    _touch(minutes, actor)
    _audit(actor=actor, verb="minutes_participant_add", obj=minutes, minutes=minutes, message=f"{name} ({role})")
    return participant


# --- Items: what was decided and how ---------------------------------------------------------------------------


def _participants(minutes) -> list[Participant]:
    return list(minutes.participants.all())


def _item_voters(item: MinutesItem, participants=None) -> list[Participant]:
    participants = participants if participants is not None else _participants(item.minutes)
    return rules.item_voters(item, participants, list(item.disqualifications.all()))


def _quorum_refresh(minutes: Minutes) -> None:
    """Recompute each item's quorum (present, required) after attendance or disqualifications change."""
    meeting = minutes.meeting
    participants = _participants(minutes)
    members_total = sum(1 for p in participants if p.role == Participant.Role.MEMBER)
    municipalities_total = memberships_on(meeting.body.cooperation_id, timezone.localdate(meeting.starts_at)).count()
    disqualifications = list(Disqualification.objects.filter(item__minutes=minutes))
    for item in minutes.items.all():
        voters = rules.item_voters(item, participants, disqualifications)
        present, required = rules.item_quorum(
            meeting.body, voters, members_total=members_total, municipalities_total=municipalities_total
        )
        if (item.quorum_present, item.quorum_required) != (present, required):
            item.quorum_present, item.quorum_required = present, required
            item.save(update_fields=["quorum_present", "quorum_required"])


def _weights(minutes: Minutes) -> dict:
    body = minutes.meeting.body
    if not minutes_settings_for(body).weighted_votes:
        return {}
    return dict(VoteWeight.objects.filter(body=body).values_list("municipality_id", "weight"))


def _count(value, label) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise MeetingsError(_("%(what)s må være et helt tall.") % {"what": label}) from exc
    if number < 0:
        raise MeetingsError(_("%(what)s kan ikke være negativt.") % {"what": label})
    return number


def _counts_check(counts: tuple, units: int) -> None:
    if sum(c or 0 for c in counts) > units:
        raise MeetingsError(
            _("Stemmene (%(cast)s) er flere enn de %(units)s som kan stemme i saken.")
            % {"cast": sum(c or 0 for c in counts), "units": units}
        )


def minutes_item_update(*, item: MinutesItem, **fields) -> MinutesItem:
    """Record how an item was treated and decided; adopting "Godkjenning av protokoll" approves those minutes
    (their PDF rendered outside the transaction: approval.approving)."""
    earlier = getattr(item.case, "approves_minutes", None) if item.case_id else None
    if earlier is not None and not earlier.is_approved:
        return approving(lambda: _minutes_item_update(item=item, **fields))
    return _minutes_item_update(item=item, **fields)


@transaction.atomic
def _minutes_item_update(
    *,
    item: MinutesItem,
    actor,
    version: int,
    resolution: str | None = None,
    decision: str = "",
    vote_mode: str = VoteMode.COUNTS,
    votes_for=None,
    votes_against=None,
    votes_blank=None,
    named_votes: dict | None = None,
    notes: str = "",
    closed_session: bool = False,
    closed_basis: str = "",
) -> MinutesItem:
    """Record how an item was decided: the adopted text, unanimously or by vote (counts, or per member or
    municipality in `named_votes` {participant id: for/against/blank}), not adopted or deferred."""
    from meetings.richtext import clean_html

    minutes = _lock(item.minutes, version)
    item = MinutesItem.objects.select_related("case").get(pk=item.pk, minutes=minutes)
    item.minutes = minutes
    if decision and decision not in Decision.values:
        raise MeetingsError(_("Ukjent behandling."))
    if vote_mode not in VoteMode.values:
        raise MeetingsError(_("Ukjent stemmemåte."))
    if closed_session and closed_basis not in ClosedBasis.values:
        raise MeetingsError(_("Velg hjemmelen for å behandle saken for lukkede dører."))
    earlier = getattr(item.case, "approves_minutes", None) if item.case_id else None
    if earlier is not None and earlier.is_approved and decision not in (Decision.UNANIMOUS, Decision.VOTE):
        raise MeetingsError(_("Protokollen fra forrige møte er godkjent i denne saken; vedtaket kan ikke endres."))
    before = snapshot(item, ["resolution", "decision", "vote_mode", "votes_for", "votes_against", "votes_blank"])
    labels = (_("Stemmer for"), _("Stemmer mot"), _("Blanke stemmer"))
    counts = tuple(_count(v, label) for v, label in zip((votes_for, votes_against, votes_blank), labels, strict=True))
    voters = _item_voters(item)
    item.vote_mode = vote_mode
    voting = decision in (Decision.VOTE, Decision.NOT_ADOPTED)
    votes = []
    if voting and vote_mode != VoteMode.COUNTS and named_votes:
        by_id = {p.pk: p for p in _participants(minutes)}
        allowed = {p.pk for p in voters}
        weights = _weights(minutes) if vote_mode == VoteMode.MUNICIPALITIES else {}
        seen_municipalities = set()
        for pid, choice in named_votes.items():
            if not choice:
                continue
            participant = by_id.get(int(pid))
            if participant is None:
                raise MeetingsError(_("Stemmen gjelder noen som ikke står i protokollen."))
            if choice not in Vote.Choice.values:
                raise MeetingsError(_("Ukjent stemme."))
            if participant.pk not in allowed:
                raise MeetingsError(
                    _("%(name)s kan ikke stemme i denne saken: ikke til stede, inhabil eller uten stemmerett.")
                    % {"name": participant.name}
                )
            if vote_mode == VoteMode.MUNICIPALITIES:
                if not participant.municipality_id:
                    raise MeetingsError(_("%(name)s representerer ingen kommune.") % {"name": participant.name})
                if participant.municipality_id in seen_municipalities:
                    raise MeetingsError(_("Hver kommune har én stemme i saken."))
                seen_municipalities.add(participant.municipality_id)
            votes.append(
                Vote(
                    item=item,
                    participant=participant,
                    choice=choice,
                    weight=weights.get(participant.municipality_id, Decimal(1)),
                )
            )
        counts = tuple(sum(1 for v in votes if v.choice == c) for c in Vote.Choice.values)
    if voting:
        _counts_check(counts, rules.item_vote_units(item, voters))
        if decision == Decision.VOTE and counts[0] is None and not votes:
            raise MeetingsError(_("Skriv inn stemmetallene for avstemningen."))
        weighted = _weighted_result(votes) if votes and _weights(minutes) else None
        in_favour, against = weighted if weighted else (counts[0] or 0, counts[1] or 0)
        if decision == Decision.VOTE and in_favour <= against:
            raise MeetingsError(_("Forslaget fikk ikke flertall; velg «Ikke vedtatt»."))
    else:
        counts = (None, None, None)
    item.votes_for, item.votes_against, item.votes_blank = counts
    item.decision = decision
    if resolution is not None:
        item.resolution = clean_html(resolution)
    item.notes = clean_html(notes or "")
    item.closed_session = bool(closed_session)
    item.closed_basis = closed_basis if closed_session else ""
    item.save()
    item.votes.all().delete()
    Vote.objects.bulk_create(votes)
    _touch(minutes, actor)
    after = snapshot(item, ["resolution", "decision", "vote_mode", "votes_for", "votes_against", "votes_blank"])
    _audit(
        actor=actor,
        verb="minutes_item_update",
        obj=minutes,
        minutes=minutes,
        changes=diff(before, after),
        message=str(item)[:200],
    )
    if earlier is not None and not earlier.is_approved and item.adopted:
        _approve(earlier, actor=actor, by_meeting=minutes.meeting)
    return item


def _weighted_result(votes) -> tuple[Decimal, Decimal]:
    return (
        sum((v.weight for v in votes if v.choice == Vote.Choice.FOR), Decimal(0)),
        sum((v.weight for v in votes if v.choice == Vote.Choice.AGAINST), Decimal(0)),
    )


@transaction.atomic
def minutes_item_add(
    *, minutes: Minutes, actor, version: int, kind: str, title: str, resolution: str = "", corrects=None
) -> MinutesItem:
    """An item raised at the meeting (eventuelt, referatsak), or a correction of an item of approved minutes."""
    from meetings.richtext import clean_html

    minutes = _lock(minutes, version)
    title = " ".join((title or "").split())
    if not title:
        raise MeetingsError(_("Punktet må ha en tittel."))
    if kind not in (MinutesItem.Kind.ANY_OTHER, MinutesItem.Kind.REPORT):
        raise MeetingsError(_("Ukjent type punkt."))
    if corrects is not None:
        corrects = MinutesItem.objects.select_related("minutes__meeting").get(pk=corrects.pk)
        if not corrects.minutes.is_approved or corrects.minutes.meeting.body_id != minutes.meeting.body_id:
            raise MeetingsError(_("Bare et punkt i en godkjent protokoll fra samme organ kan rettes."))
    last = minutes.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = MinutesItem.objects.create(
        minutes=minutes,
        kind=kind,
        title=title[:300],
        resolution=clean_html(resolution),
        decision=Decision.NOTED if kind == MinutesItem.Kind.REPORT else "",
        position=last + 10,
        corrects=corrects,
    )
    _quorum_refresh(minutes)
    _touch(minutes, actor)
    _audit(actor=actor, verb="minutes_item_add", obj=minutes, minutes=minutes, message=title[:200])
    return item


@transaction.atomic
def minutes_proposal_add(
    *,
    item: MinutesItem,
    actor,
    version: int,
    proposer: str,
    text: str,
    votes_for=None,
    votes_against=None,
    votes_blank=None,
    adopted: bool = False,
) -> Proposal:
    """An alternative proposal put forward at the meeting, by whom, and its votes."""
    minutes = _lock(item.minutes, version)
    item = MinutesItem.objects.get(pk=item.pk, minutes=minutes)
    item.minutes = minutes
    proposer, text = " ".join((proposer or "").split()), (text or "").strip()
    if not proposer or not text:
        raise MeetingsError(_("Skriv hvem som fremmet forslaget og hva det gikk ut på."))
    labels = (_("Stemmer for"), _("Stemmer mot"), _("Blanke stemmer"))
    counts = tuple(_count(v, label) for v, label in zip((votes_for, votes_against, votes_blank), labels, strict=True))
    _counts_check(counts, rules.item_vote_units(item, _item_voters(item)))
    proposal = Proposal.objects.create(
        item=item,
        proposer=proposer[:200],
        text=text,
        votes_for=counts[0],
        votes_against=counts[1],
        votes_blank=counts[2],
        adopted=bool(adopted),
        position=item.proposals.count() + 1,
    )
    _touch(minutes, actor)
    _audit(actor=actor, verb="minutes_proposal_add", obj=minutes, minutes=minutes, message=f"{item}: {proposer}")
    return proposal


@transaction.atomic
def minutes_proposal_remove(*, proposal: Proposal, actor, version: int) -> Minutes:
    minutes = _lock(proposal.item.minutes, version)
    proposal.delete()
    _touch(minutes, actor)
    _audit(actor=actor, verb="minutes_proposal_remove", obj=minutes, minutes=minutes, message=proposal.proposer)
    return minutes


@transaction.atomic
def minutes_disqualification_add(
    *,
    item: MinutesItem,
    actor,
    version: int,
    participant: Participant,
    body_decision: str,
    ground: str = "forvaltningsloven § 6",
    substitute_name: str = "",
) -> Disqualification:
    """Declare a member disqualified for one item (the body's decision recorded); a substitute may take the seat
    for this item only. The member's vote in the item is dropped and the quorum recomputed."""
    minutes = _lock(item.minutes, version)
    item = MinutesItem.objects.get(pk=item.pk, minutes=minutes)
    item.minutes = minutes
    participant = Participant.objects.get(pk=participant.pk, minutes=minutes)
    body_decision = " ".join((body_decision or "").split())
    if not body_decision:
        raise MeetingsError(_("Skriv organets avgjørelse om inhabiliteten (forvaltningsloven § 8)."))
    if not participant.votes_in_meeting:
        raise MeetingsError(_("%(name)s var ikke til stede som medlem.") % {"name": participant.name})
    if item.disqualifications.filter(participant=participant).exists():
        raise MeetingsError(_("%(name)s er allerede erklært inhabil i saken.") % {"name": participant.name})
    substitute = None
    substitute_name = " ".join((substitute_name or "").split())
    if substitute_name:
        substitute = Participant.objects.create(
            minutes=minutes,
            name=substitute_name[:200],
            municipality=participant.municipality,
            role=Participant.Role.SUBSTITUTE,
            deputy_for=participant,
            position=participant.position,
        )
    disqualification = Disqualification.objects.create(
        item=item,
        participant=participant,
        ground=(ground or "forvaltningsloven § 6").strip()[:300],
        body_decision=body_decision[:500],
        substitute=substitute,
    )
    item.votes.filter(participant=participant).delete()
    _quorum_refresh(minutes)
    _touch(minutes, actor)
    _audit(
        actor=actor,
        verb="minutes_disqualification_add",
        obj=minutes,
        minutes=minutes,
        message=f"{item}: {participant.name}" + (f" ({substitute_name})" if substitute_name else ""),
    )
    return disqualification


@transaction.atomic
def minutes_disqualification_remove(*, disqualification: Disqualification, actor, version: int) -> Minutes:
    minutes = _lock(disqualification.item.minutes, version)
    substitute = disqualification.substitute
    disqualification.delete()
    if substitute is not None:
        Vote.objects.filter(participant=substitute).delete()
        substitute.delete()
    _quorum_refresh(minutes)
    _touch(minutes, actor)
    _audit(actor=actor, verb="minutes_disqualification_remove", obj=minutes, minutes=minutes)
    return minutes
