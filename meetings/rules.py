"""The rules of meetings and cases in one place: views, selectors, services, calendars and PDFs ask these.

Read-only: each answers a question ("is this meeting upcoming?", "may a member see this case?", "may this
case still move?"). Services enforce the same answers again under their locks; a `*_refusal` function
returns the reason to show (None when the answer is yes), so a page and a service never disagree.
"""

from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from meetings.models import Case, Meeting

Status = Meeting.Status

# Which state a meeting may move to from each state. Anything else is refused.
TRANSITIONS = {
    Status.DRAFT: {Status.SUMMONED, Status.CANCELLED},
    Status.SUMMONED: {Status.HELD, Status.CANCELLED},
    Status.HELD: {Status.MINUTES_APPROVED},
    Status.MINUTES_APPROVED: set(),
    Status.CANCELLED: set(),
}

# What a clerk may set by hand on the meeting page. A meeting becomes summoned only by sending the
# summons (services.summons.meeting_summon), never by a status change that tells nobody.
MANUAL_STATUSES = {Status.HELD}

# --- Time: when a meeting is over, what "upcoming" means ---------------------------------------------------

# A meeting without an end time is taken to last this long (its links and "upcoming" end then).
ASSUMED_LENGTH = timedelta(days=1)


def meeting_end(meeting: Meeting) -> datetime:
    """When a meeting is over (its links stop working): its end, or a day after its start."""
    return meeting.ends_at or meeting.starts_at + ASSUMED_LENGTH


def is_upcoming(meeting: Meeting, now: datetime) -> bool:
    """Upcoming means not over yet, whatever its state (a cancelled meeting ahead is shown as cancelled)."""
    return meeting_end(meeting) > now


def upcoming_q(now: datetime, prefix: str = "") -> Q:
    """is_upcoming as a filter; `prefix` reaches the meeting from another model (e.g. "meeting__")."""
    return Q(**{f"{prefix}ends_at__gt": now}) | Q(
        **{f"{prefix}ends_at__isnull": True, f"{prefix}starts_at__gt": now - ASSUMED_LENGTH}
    )


def secretariat_upcoming_q(now: datetime) -> Q:
    """The secretariat's next meetings: still open (a past one not yet marked held needs doing too), or
    upcoming and not cancelled."""
    return Q(status__in=Meeting.OPEN_STATUSES) | (upcoming_q(now) & ~Q(status=Status.CANCELLED))


# --- What a member may see -----------------------------------------------------------------------------------


def published_q(prefix: str = "") -> Q:
    """Meetings whose summons has gone out (summoned or later): drafts are the secretariat's own."""
    return ~Q(**{f"{prefix}status": Status.DRAFT})


def member_meetings_q(person, prefix: str = "") -> Q:
    """The meetings a member may see: those they are invited to, once published."""
    return Q(**{f"{prefix}invitees__person": person}) & published_q(prefix)


def member_cases_q(person) -> Q:
    """The cases a member may see (page, document, attachments): every case on a meeting they may see,
    withdrawn ones too, as the agenda lists them marked."""
    return member_meetings_q(person, prefix="meeting__")


# --- Cases ---------------------------------------------------------------------------------------------------


def meeting_open_refusal(meeting: Meeting, what: str) -> str | None:
    """Why `what` (the agenda, the invitees …) of a meeting can no longer change, or None."""
    if meeting.is_open:
        return None
    return _("%(what)s kan ikke endres når møtet har status «%(status)s».") % {
        "what": what,
        "status": meeting.get_status_display(),
    }


def case_change_refusal(case: Case) -> str | None:
    """Why a case's texts and attachments can no longer change, or None: withdrawn, or its meeting closed."""
    if case.status == Case.Status.WITHDRAWN:
        return _("Sak %(label)s er trukket og kan ikke endres.") % {"label": case.label}
    if case.meeting_id is not None and not case.meeting.is_open:
        return _("Sak %(label)s kan ikke endres når møtet har status «%(status)s».") % {
            "label": case.label,
            "status": case.meeting.get_status_display(),
        }
    return None


def case_move_refusal(case: Case) -> str | None:
    """Why a case can no longer be put on another meeting, or None: withdrawn, or already dealt with."""
    if case.status == Case.Status.WITHDRAWN:
        return _("Sak %(label)s er trukket og kan ikke flyttes.") % {"label": case.label}
    if case.meeting_id is not None and case.meeting.status in (Status.HELD, Status.MINUTES_APPROVED):
        return _("Saken er behandlet i et møte som er avholdt og kan ikke flyttes.")
    return None


def next_case_number(body, year: int, last_drawn: int) -> int:
    """The number the next case of the body and year gets: after the series' last, stepping over numbers
    already present (cases written before the series existed, e.g. imported), so none is given twice."""
    highest = Case.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0
    return max(last_drawn, highest) + 1


def agenda_order_moved(ids: list[int], case_id: int, direction: str) -> list[int]:
    """The agenda order after moving one case one step "up" or "down" (unchanged at either end)."""
    i = ids.index(case_id)
    j = i - 1 if direction == "up" else i + 1
    wanted = list(ids)
    if 0 <= j < len(ids):
        wanted[i], wanted[j] = wanted[j], wanted[i]
    return wanted


# --- Summons -------------------------------------------------------------------------------------------------

# A summons (or the summons to those who have not had it) may go out until the meeting is held or cancelled.
SUMMONS_SENDABLE = (Status.DRAFT, Status.SUMMONED)


def may_send_summons(meeting: Meeting, *, pending: bool) -> bool:
    """The summons may go out to those who have not had it (`pending`: there are such invitees)."""
    return meeting.status in SUMMONS_SENDABLE and pending


def may_resend_summons(meeting: Meeting, *, told: bool) -> bool:
    """A changed summons goes to everyone told before (`told`), while the meeting stands summoned."""
    return meeting.status == Status.SUMMONED and told


def may_notify_cancellation(meeting: Meeting, *, untold: bool) -> bool:
    """A cancelled meeting's notice goes to those reached by a summons and not yet told (`untold`)."""
    return meeting.status == Status.CANCELLED and untold


# --- Attendance ----------------------------------------------------------------------------------------------

# Answers and check-in are closed for good once a meeting is cancelled or its minutes approved.
ATTENDANCE_CLOSED = (Status.CANCELLED, Status.MINUTES_APPROVED)


def answer_deadline(invitee) -> datetime:
    """Until when the invitee may answer themselves: the registration deadline; deputies, often named late,
    until the meeting starts. The clerk may answer for them after it."""
    meeting = invitee.meeting
    if invitee.deputy_for_id or meeting.registration_deadline is None:
        return meeting.starts_at
    return min(meeting.registration_deadline, meeting.starts_at)


def answer_refusal(invitee, *, now: datetime, by_clerk: bool = False) -> str | None:
    """Why this answer cannot be given now, or None."""
    meeting = invitee.meeting
    if meeting.status == Status.CANCELLED:
        return _("Møtet er avlyst.")
    if meeting.status == Status.MINUTES_APPROVED:
        return _("Protokollen er godkjent; svarene kan ikke endres lenger.")
    if not by_clerk and now > answer_deadline(invitee):
        return _("Fristen for å svare har gått ut. Kontakt sekretariatet for å endre svaret.")
    return None


def answer_is_open(invitee, *, now: datetime, by_clerk: bool = False) -> bool:
    return answer_refusal(invitee, now=now, by_clerk=by_clerk) is None


def may_remind(meeting: Meeting) -> bool:
    """Reminders go out for a summoned meeting only (a draft has not been sent, a held one is past)."""
    return meeting.status == Status.SUMMONED


def check_in_refusal(meeting: Meeting) -> str | None:
    if meeting.status in ATTENDANCE_CLOSED:
        return _("Oppmøtet kan ikke endres for et avlyst møte eller etter at protokollen er godkjent.")
    return None


# --- Bodies --------------------------------------------------------------------------------------------------


def quorum_minimum_refusal(minimum: int | None) -> str | None:
    """A body's own minimum for a quorum, when it has one, is at least 1."""
    if minimum is not None and minimum < 1:
        return _("Minstetallet må være minst 1.")
    return None


def quorum_required(total: int, minimum: int | None) -> int:
    """How many must be represented: more than half of `total`, and at least the body's minimum."""
    return max(total // 2 + 1, minimum or 0)


# --- Minutes (protokoll): who may vote on an item, its quorum, when minutes may be written and approved --------


def minutes_may_start(meeting, now) -> bool:
    """Minutes can be written for a held meeting, or one that has started (written during the meeting)."""
    return meeting.status == Status.HELD or (meeting.status == Status.SUMMONED and meeting.starts_at <= now)


def minutes_is_editable(minutes) -> bool:
    """A draft is edited by the clerk; minutes out for approval or approved are not."""
    return minutes.status == minutes.Status.DRAFT


def item_voters(item, participants, disqualifications) -> list:
    """Who may vote on this item: members and deputies present, less those disqualified for it, plus the
    substitutes who took a disqualified member's seat for this item only."""
    out = {d.participant_id for d in disqualifications if d.item_id == item.pk}
    subs = {d.substitute_id for d in disqualifications if d.item_id == item.pk and d.substitute_id}
    return [p for p in participants if (p.votes_in_meeting and p.pk not in out) or (p.pk in subs and p.is_present)]


def item_vote_units(item, voters) -> int:
    """How many votes can be cast: one per voter, or one per municipality when the item votes by municipality."""
    if item.vote_mode == item.VoteMode.MUNICIPALITIES:
        return len({p.municipality_id for p in voters if p.municipality_id})
    return len(voters)


def item_quorum(body, voters, *, members_total: int, municipalities_total: int) -> tuple[int, int]:
    """(present, required) for one item under the body's rule: more than half, and at least its minimum."""
    from membership.models import Body

    if body.quorum_rule == Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES:
        present, total = len({p.municipality_id for p in voters if p.municipality_id}), municipalities_total
    else:
        present, total = len(voters), members_total
    return present, quorum_required(total, body.quorum_minimum)
