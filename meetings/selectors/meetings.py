"""Shared reads of meetings and cases: a member's meetings, a meeting's agenda, the meeting page at a glance."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khs.lib.i18n import document_language
from meetings import rules
from meetings.models import Case, CaseNumberSeries, CaseReference, Invitee, Meeting

Status = Meeting.Status


def standard_items() -> list[str]:
    """The items that open every agenda, in the active language (a document's, under translation.override)."""
    return [
        pgettext("agenda", "Valg av møteleder og referent"),
        pgettext("agenda", "Godkjenning av innkalling og dagsorden"),
    ]


@dataclass
class AgendaItem:
    """One line of a meeting's agenda: a standard item (no case) or a case with its number."""

    position: int  # 1, 2, 3 … through the whole agenda
    title: str
    case: Case | None = None

    @property
    def is_standard(self) -> bool:
        return self.case is None

    @property
    def label(self) -> str:
        """The case number, e.g. "1/2017"; empty for a standard item."""
        return self.case.label if self.case else ""

    @property
    def withdrawn(self) -> bool:
        return bool(self.case and self.case.status == Case.Status.WITHDRAWN)


def meeting_cases(meeting: Meeting) -> QuerySet:
    """The cases on a meeting in agenda order, with their body, attachments and references, in a fixed
    number of queries."""
    return (
        meeting.cases.select_related("body")
        .prefetch_related(
            "attachments",
            Prefetch(
                "references",
                queryset=CaseReference.objects.select_related("earlier_case__body", "earlier_case__meeting"),
            ),
        )
        .order_by("agenda_position", "year", "number")
    )


def meeting_agenda(meeting: Meeting, lang: str | None = None, cases=None) -> list[AgendaItem]:
    """The standard items in the body's language (or `lang`), then the cases in the order the clerk set.

    Withdrawn cases stay on the list (AgendaItem.withdrawn) so their numbers are accounted for.
    Pass `cases` when they are already loaded (e.g. from meeting_cases) to avoid another query.
    """
    with translation.override(document_language(lang or meeting.body.language)):
        items = [AgendaItem(position=i, title=title) for i, title in enumerate(standard_items(), start=1)]
    if cases is None:
        cases = meeting_cases(meeting)
    for case in cases:
        case.body = meeting.body  # same body: no query per label
        items.append(AgendaItem(position=len(items) + 1, title=case.title, case=case))
    return items


def meetings_for_person(person) -> QuerySet:
    """The meetings a member is invited to, once the summons has gone out (drafts stay with the secretariat)."""
    return (
        Meeting.objects.filter(rules.member_meetings_q(person))
        .distinct()
        .select_related("body__cooperation")
        .order_by("starts_at")
    )


def meetings_for_cooperation(cooperation) -> QuerySet:
    """A cooperation's meetings with their numbers of cases and invitees (two subqueries, not a join)."""
    case_count = (
        Case.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk")).values("n")
    )
    invitee_count = (
        Invitee.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk")).values("n")
    )
    return (
        Meeting.objects.filter(body__cooperation=cooperation)
        .select_related("body")
        .annotate(case_count=Coalesce(Subquery(case_count), 0), invitee_count=Coalesce(Subquery(invitee_count), 0))
    )


def upcoming_meetings(cooperation, now: datetime | None = None) -> QuerySet:
    """The secretariat's next meetings (rules.secretariat_upcoming_q), soonest first."""
    now = now or timezone.now()
    return meetings_for_cooperation(cooperation).filter(rules.secretariat_upcoming_q(now)).order_by("starts_at")


def member_meetings_split(person, now: datetime) -> tuple[list[Meeting], list[Meeting]]:
    """A member's meetings as (upcoming soonest first, past latest first) by rules.is_upcoming."""
    meetings = list(meetings_for_person(person))
    upcoming = [m for m in meetings if rules.is_upcoming(m, now)]
    past = [m for m in reversed(meetings) if not rules.is_upcoming(m, now)]
    return upcoming, past


@dataclass
class MeetingDetail:
    """Everything the meeting page shows, loaded in a fixed number of queries."""

    meeting: Meeting
    agenda: list[AgendaItem]
    cases: list[Case]
    invitees: list[Invitee]
    next_steps: list[str] = field(default_factory=list)

    @property
    def response_counts(self) -> dict:
        counts = {value: 0 for value in Invitee.Response.values}
        for invitee in self.invitees:
            counts[invitee.response] += 1
        return counts


def meeting_next_steps(
    meeting: Meeting, cases: list[Case], invitees: list[Invitee], now: datetime | None = None
) -> list[str]:
    """What the secretariat should do next with this meeting, in plain words."""
    now = now or timezone.now()
    active = [c for c in cases if c.status != Case.Status.WITHDRAWN]
    steps = []
    if meeting.status == Status.DRAFT:
        if not active:
            steps.append(_("Registrer sakene som skal behandles."))
        missing = [c.label for c in active if c.kind == Case.Kind.DECISION and not c.proposed_resolution.strip()]
        if missing:
            steps.append(_("Skriv forslag til vedtak i sak %(cases)s.") % {"cases": ", ".join(missing)})
        if not invitees:
            steps.append(_("Legg til dem som skal inviteres."))
        if meeting.registration_deadline is None:
            steps.append(_("Sett en påmeldingsfrist."))
        steps.append(_("Sett sakene i riktig rekkefølge og send innkallingen."))
    elif meeting.status == Status.SUMMONED:
        if meeting.starts_at <= now:
            steps.append(_("Marker møtet som avholdt."))
        else:
            pending = sum(1 for i in invitees if i.response == Invitee.Response.PENDING)
            if pending:
                steps.append(
                    _("%(n)s av %(total)s inviterte har ikke svart ennå.") % {"n": pending, "total": len(invitees)}
                )
            steps.append(_("Møtet holdes som planlagt. Saker som kommer til, kan ettersendes."))
    elif meeting.status == Status.HELD:
        steps.append(_("Skriv protokollen og få den godkjent."))
    elif meeting.status == Status.CANCELLED:
        if active:
            steps.append(_("Flytt sakene til et senere møte."))
        else:
            steps.append(_("Møtet er avlyst; ingenting mer å gjøre."))
    else:
        steps.append(_("Protokollen er godkjent; ingenting mer å gjøre."))
    return steps


def meeting_detail(meeting: Meeting, now: datetime | None = None) -> MeetingDetail:
    """The meeting page at a glance: agenda with numbers, invitees, state and next steps."""
    # The page lists the cases; their long texts stay in the database.
    cases = list(meeting_cases(meeting).defer("background", "assessment", "resolution"))
    invitees = list(
        meeting.invitees.select_related("municipality", "person").order_by("is_guest", "municipality__number", "name")
    )
    agenda = meeting_agenda(meeting, cases=cases)
    return MeetingDetail(
        meeting=meeting,
        agenda=agenda,
        cases=cases,
        invitees=invitees,
        next_steps=meeting_next_steps(meeting, cases, invitees, now),
    )


def case_with_relations(case_qs: QuerySet) -> QuerySet:
    """Cases with everything the case page shows (body, meeting, attachments, references both ways)."""
    return case_qs.select_related("body__cooperation", "meeting", "registered_by").prefetch_related(
        "attachments",
        Prefetch(
            "references", queryset=CaseReference.objects.select_related("earlier_case__body", "earlier_case__meeting")
        ),
        Prefetch("referenced_by", queryset=CaseReference.objects.select_related("case__body", "case__meeting")),
    )


def cases_without_meeting(body) -> QuerySet:
    """Drafts and registered cases of a body that wait for a meeting."""
    return (
        Case.objects.filter(body=body, meeting=None, status__in=(Case.Status.DRAFT, Case.Status.REGISTERED))
        .select_related("body")
        .order_by("year", "number", "pk")
    )


def case_number_preview(body, year: int) -> str:
    """The label the next case of the body gets this year, as case_register will draw it."""
    series = CaseNumberSeries.objects.filter(body=body, year=year).first()
    return body.case_label(rules.next_case_number(body, year, series.last_number if series else 0), year)


def later_open_meetings(case: Case) -> QuerySet:
    """The meetings of a case's body it may be moved to (open, and later than its current meeting)."""
    qs = Meeting.objects.filter(body_id=case.body_id, status__in=Meeting.OPEN_STATUSES).exclude(pk=case.meeting_id)
    if case.meeting_id:
        qs = qs.filter(starts_at__gt=case.meeting.starts_at)
    return qs.order_by("starts_at")
