"""Reads of the public pages, the decision register, follow-ups and member decisions (fixed query counts)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from khs.lib.access import is_staff_role
from meetings.models import Case, CaseReference, Meeting
from membership.models import Body, Cooperation
from membership.scope import staff_cooperations
from publishing import rules
from publishing.models import FollowUp, MemberDecision

CASE_RELATED = ("body__cooperation", "meeting__body", "meeting__publication", "publication")


def public_cooperations() -> QuerySet:
    return Cooperation.objects.prefetch_related(Prefetch("bodies", queryset=Body.objects.order_by("name")))


def public_meetings(now: datetime) -> QuerySet:
    return (
        Meeting.objects.filter(rules.shown_meetings_q(now))
        .select_related("body__cooperation", "publication")
        .order_by("starts_at")
    )


def upcoming_public_meetings(now: datetime, **filters) -> QuerySet:
    return public_meetings(now).filter(starts_at__gte=now, **filters).exclude(status=Meeting.Status.CANCELLED)


def past_public_meetings(now: datetime, **filters) -> QuerySet:
    return public_meetings(now).filter(starts_at__lt=now, **filters).order_by("-starts_at")


def with_public_facts(cases: QuerySet) -> QuerySet:
    """What every public listing of cases shows, annotated in the same query (no query per case)."""
    return rules.with_adopted_resolution(rules.with_closed_session(cases.select_related(*CASE_RELATED)))


def public_cases(now: datetime) -> QuerySet:
    """Cases the public may see (closed ones among them, shown by number and legal basis only)."""
    return with_public_facts(Case.objects.filter(rules.public_cases_q(now)))


def open_cases(now: datetime) -> QuerySet:
    """Cases whose title and texts the public may read and search."""
    return with_public_facts(Case.objects.filter(rules.open_cases_q(now)))


def meeting_public_cases(meeting: Meeting, now: datetime) -> list[Case]:
    return list(
        public_cases(now)
        .filter(meeting=meeting)
        .prefetch_related("attachments")
        .order_by("agenda_position", "year", "number")
    )


def case_passage(case: Case) -> list[Case]:
    """The bodies a case passed through: earlier handling it refers to, then later handling referring to it."""
    earlier = [
        r.earlier_case
        for r in CaseReference.objects.filter(case=case).select_related(
            "earlier_case__body", "earlier_case__meeting", "earlier_case__publication"
        )
    ]
    later = [
        r.case
        for r in CaseReference.objects.filter(earlier_case=case).select_related(
            "case__body", "case__meeting", "case__publication"
        )
    ]
    return [*earlier, case, *later]


def searchable_cases(user, now: datetime) -> QuerySet:
    """What this reader may search: staff everything of the cooperations they are given, others the public part."""
    if user.is_authenticated and is_staff_role(user):
        return with_public_facts(Case.objects.filter(body__cooperation__in=staff_cooperations(user)))
    return open_cases(now)


def decided_q() -> Q:
    """Cases decided in a meeting whose minutes are approved (the register of adopted resolutions)."""
    return Q(meeting__status=Meeting.Status.MINUTES_APPROVED)


def register_filter(cases: QuerySet, *, body=None, year=None, kind=None, municipality=None) -> QuerySet:
    if body:
        cases = cases.filter(body=body)
    if year:
        cases = cases.filter(year=year)
    if kind:
        cases = cases.filter(kind=kind)
    if municipality:
        cases = cases.filter(
            Q(publication__municipalities=municipality) | Q(member_decisions__municipality=municipality)
        ).distinct()
    return cases


def open_follow_ups(cooperation, *, body=None) -> QuerySet:
    qs = (
        FollowUp.objects.filter(case__body__cooperation=cooperation)
        .exclude(status__in=FollowUp.CLOSED_STATUSES)
        .select_related("case__body", "case__meeting")
        .order_by("deadline", "pk")
    )
    return qs.filter(case__body=body) if body else qs


def overdue_follow_ups(cooperation, today) -> QuerySet:
    return open_follow_ups(cooperation).filter(deadline__lt=today)


@dataclass
class DecisionRow:
    """One municipality's own decision on a case, read from its invitation when the request is one."""

    decision: MemberDecision
    requested_on: object
    decided_on: object
    reference: str
    outcome: str  # MemberDecision.Outcome value

    @property
    def outcome_label(self) -> str:
        return MemberDecision.Outcome(self.outcome).label

    @property
    def decided(self) -> bool:
        return self.outcome != MemberDecision.Outcome.PENDING


def _row(decision: MemberDecision) -> DecisionRow:
    invitation = decision.invitation
    if invitation is None:
        return DecisionRow(
            decision, decision.requested_on, decision.decided_on, decision.their_case_number, decision.outcome
        )
    outcome = {
        "pending": MemberDecision.Outcome.PENDING,
        "accepted": MemberDecision.Outcome.YES,
        "declined": MemberDecision.Outcome.NO,
    }[invitation.answer]
    return DecisionRow(decision, invitation.sent_on, invitation.answered_on, invitation.answer_reference, outcome)


@dataclass
class DecisionSummary:
    rows: list[DecisionRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def decided(self) -> int:
        return sum(1 for r in self.rows if r.decided)

    @property
    def yes(self) -> int:
        return sum(1 for r in self.rows if r.outcome == MemberDecision.Outcome.YES)

    @property
    def no(self) -> int:
        return sum(1 for r in self.rows if r.outcome == MemberDecision.Outcome.NO)


def member_decisions(case: Case) -> DecisionSummary:
    """Per municipality the request and its own decision, and the summary "18 of 26 have decided, 17 yes"."""
    decisions = MemberDecision.objects.filter(case=case).select_related("municipality", "invitation")
    return DecisionSummary([_row(d) for d in decisions])
