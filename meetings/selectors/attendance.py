"""Reads of attendance: the clerk's overview with counts and quorum, a member's meetings, the answer page."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Case, Invitee, Meeting
from membership.models import Body
from membership.selectors import memberships_on

Response = Invitee.Response


@dataclass
class AttendanceRow:
    """One invited member (a mayor, a board member) or guest, with the deputy sent in their place."""

    invitee: Invitee
    deputy: Invitee | None = None

    @property
    def represented(self) -> str:
        """Will this member be represented: "yes", "maybe" (no answer yet) or "no"."""
        response = self.invitee.response
        if response == Response.ATTENDING:
            return "yes"
        if response == Response.PENDING:
            return "maybe"
        if response == Response.DEPUTY and self.deputy is not None:
            return {Response.ATTENDING: "yes", Response.PENDING: "maybe"}.get(self.deputy.response, "no")
        return "no"

    @property
    def is_present(self) -> bool:
        return bool(self.invitee.present or (self.deputy is not None and self.deputy.present))


@dataclass
class Quorum:
    """Whether the body will be (and is) vedtaksfør under its rule."""

    rule: str
    total: int  # members, or member municipalities
    required: int
    confirmed: int  # represented by a yes (attending, or a deputy who attends)
    possible: int  # confirmed + those still open
    present: int | None = None  # represented by someone checked in; None before any check-in

    @property
    def rule_label(self):
        return Body.QuorumRule(self.rule).label

    @property
    def unit_label(self):
        return _("kommuner") if self.rule == Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES else _("medlemmer")

    @property
    def expected(self) -> str:
        """ "yes" when the answers already give a quorum, "no" when they no longer can, else "open"."""
        if self.confirmed >= self.required:
            return "yes"
        return "no" if self.possible < self.required else "open"

    @property
    def present_ok(self) -> bool | None:
        return None if self.present is None else self.present >= self.required


@dataclass
class AttendanceOverview:
    meeting: Meeting
    rows: list[AttendanceRow]
    quorum: Quorum
    counts: dict = field(default_factory=dict)

    @property
    def not_answered(self) -> list[Invitee]:
        """Who has not answered yet: members, and deputies sent who have not confirmed."""
        return [i for i in self.invitees if i.response == Response.PENDING]

    @property
    def invitees(self) -> list[Invitee]:
        """Everyone on the list, each deputy right after the one they represent (for check-in and CSV)."""
        result = []
        for row in self.rows:
            result.append(row.invitee)
            if row.deputy is not None:
                result.append(row.deputy)
        return result


def _sort_key(invitee):
    return (invitee.is_guest, invitee.municipality.number if invitee.municipality_id else "~", invitee.name)


def attendance_overview(meeting) -> AttendanceOverview:
    """Who answered what, by municipality, who comes in whose place, counts and quorum: two or three queries."""
    invitees = list(
        meeting.invitees.select_related("municipality", "responded_by").annotate(
            last_reminder_at=Max("reminders__sent_at")
        )
    )
    deputies = {i.deputy_for_id: i for i in sorted(invitees, key=lambda i: i.pk) if i.deputy_for_id}
    rows = [AttendanceRow(i, deputies.get(i.pk)) for i in sorted(invitees, key=_sort_key) if not i.deputy_for_id]
    for row in rows:
        row.invitee.meeting = meeting
        if row.deputy is not None:
            row.deputy.deputy_for, row.deputy.meeting = row.invitee, meeting
    originals = [r.invitee for r in rows]
    deputy_list = [r.deputy for r in rows if r.deputy is not None]
    counts = {
        "invited": len(originals),
        **{key: sum(1 for i in originals if i.response == key) for key in Response.values},
        "deputies_attending": sum(1 for d in deputy_list if d.response == Response.ATTENDING),
        "deputies_absent": sum(1 for d in deputy_list if d.response == Response.ABSENT),
        "deputies_pending": sum(1 for d in deputy_list if d.response == Response.PENDING),
        "present": sum(1 for i in invitees if i.present),
    }
    counts["coming"] = counts[Response.ATTENDING] + counts["deputies_attending"]
    return AttendanceOverview(meeting, rows, meeting_quorum(meeting, rows), counts)


def meeting_quorum(meeting, rows: list[AttendanceRow]) -> Quorum:
    """Count the members (or member municipalities) represented against the body's rule: more than half,
    and at least the body's minimum when it has one. Guests never count."""
    body = meeting.body
    members = [r for r in rows if not r.invitee.is_guest]
    checked_in = any(i.present is not None for r in rows for i in (r.invitee, r.deputy) if i is not None)
    if body.quorum_rule == Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES:
        day = timezone.localdate(meeting.starts_at)
        member_ids = set(memberships_on(body.cooperation_id, day).values_list("municipality_id", flat=True))
        units = {}
        for row in members:
            if row.invitee.municipality_id in member_ids:
                units.setdefault(row.invitee.municipality_id, []).append(row)
        total = len(member_ids)
    else:
        units = {row.invitee.pk: [row] for row in members}
        total = len(members)
    states = [{r.represented for r in unit_rows} for unit_rows in units.values()]
    confirmed = sum(1 for s in states if "yes" in s)
    possible = confirmed + sum(1 for s in states if "yes" not in s and "maybe" in s)
    present = sum(1 for unit_rows in units.values() if any(r.is_present for r in unit_rows)) if checked_in else None
    required = total // 2 + 1
    if body.quorum_minimum:
        required = max(required, body.quorum_minimum)
    return Quorum(body.quorum_rule, total, required, confirmed, possible, present)


def agenda_cases(meeting) -> list[Case]:
    """The meeting's cases in agenda order, with their attachments (withdrawn cases left out)."""
    return list(
        Case.objects.filter(meeting=meeting)
        .exclude(status=Case.Status.WITHDRAWN)
        .select_related("body")
        .prefetch_related("attachments")
        .order_by("agenda_position", "number")
    )


def member_invitations(person, *, now) -> tuple[list[Invitee], list[Invitee]]:
    """A member's invitations to summoned meetings: (upcoming, past), the nearest first, with their deputy."""
    invitations = list(
        Invitee.objects.filter(person=person)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .select_related("meeting__body", "municipality", "deputy_for__municipality")
        .prefetch_related(Prefetch("deputies", queryset=Invitee.objects.order_by("pk")))
        .order_by("meeting__starts_at")
    )
    from meetings.services.attendance import meeting_end

    upcoming = [i for i in invitations if meeting_end(i.meeting) > now]
    past = [i for i in reversed(invitations) if meeting_end(i.meeting) <= now]
    return upcoming, past


def meetings_with_answers(cooperation, *, now):
    """The cooperation's coming and recent meetings with the count of each answer (one query)."""
    original = Q(invitees__deputy_for__isnull=True)
    return (
        Meeting.objects.filter(body__cooperation=cooperation, starts_at__gte=now - timedelta(days=30))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .annotate(
            n_invited=Count("invitees", filter=original),
            n_attending=Count("invitees", filter=original & Q(invitees__response=Response.ATTENDING)),
            n_deputy=Count("invitees", filter=original & Q(invitees__response=Response.DEPUTY)),
            n_absent=Count("invitees", filter=original & Q(invitees__response=Response.ABSENT)),
            n_pending=Count("invitees", filter=original & Q(invitees__response=Response.PENDING)),
        )
        .order_by("starts_at")
    )
