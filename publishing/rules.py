"""What the public may see (offentleglova): one home for the rule, asked by pages, feeds, search, API and export.

- A meeting is shown (time, place, agenda) once it is summoned; drafts stay with the secretariat.
- Its documents (summons, case documents) are public once the summons is sent, unless held back until a date
  (MeetingPublication.publish_from). Its minutes are public once approved, under the same hold.
- A case on such a meeting is public unless it is held back itself (CasePublication.publish_from), or its
  text is closed: marked exempt, or treated behind closed doors. A closed case shows its number and legal basis
  only, never its title or texts.
- The public title, when given, replaces the internal one on every public page.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from meetings.models import Case, Meeting, Minutes, MinutesItem

Status = Meeting.Status
DOCUMENT_STATUSES = (Status.SUMMONED, Status.HELD, Status.MINUTES_APPROVED)


def _meeting_ref(prefix: str) -> str:
    return prefix[:-2] if prefix else "pk"


def _meeting_not_held_back(now: datetime, prefix: str) -> Q:
    # NOT EXISTS (an anti-join) rather than a LEFT JOIN with ORs: the planner hashes it over any number of rows.
    from publishing.models import MeetingPublication

    held = MeetingPublication.objects.filter(meeting=OuterRef(_meeting_ref(prefix)), publish_from__gt=now)
    return ~Q(Exists(held))


def _case_not_held_back(now: datetime) -> Q:
    from publishing.models import CasePublication

    return ~Q(Exists(CasePublication.objects.filter(case=OuterRef("pk"), publish_from__gt=now)))


def shown_meetings_q(now: datetime, prefix: str = "") -> Q:
    """Meetings listed to the public: summoned or later (a cancelled one says so)."""
    return ~Q(**{f"{prefix}status": Status.DRAFT})


def meeting_documents_public_q(now: datetime, prefix: str = "") -> Q:
    """Meetings whose summons and case documents the public may read."""
    return Q(**{f"{prefix}status__in": DOCUMENT_STATUSES}) & _meeting_not_held_back(now, prefix)


def public_cases_q(now: datetime) -> Q:
    """Cases the public may see at all (some of them closed: number and legal basis only)."""
    return meeting_documents_public_q(now, "meeting__") & _case_not_held_back(now)


def _closed_items():
    return MinutesItem.objects.filter(case=OuterRef("pk"), closed_session=True)


def closed_case_q() -> Q:
    """Cases whose title and texts are not public (exempt, or treated behind closed doors)."""
    from publishing.models import CasePublication

    return Q(Exists(CasePublication.objects.filter(case=OuterRef("pk"), exempt=True))) | Q(Exists(_closed_items()))


def with_closed_session(cases):
    """Annotate each case with the legal basis of its closed session ('' when open): one subquery."""
    from django.db.models import Subquery

    return cases.annotate(closed_session_basis=Subquery(_closed_items().values("closed_basis")[:1]))


def _approved_items():
    return MinutesItem.objects.filter(case=OuterRef("pk"), minutes__status=Minutes.Status.APPROVED)


def with_adopted_resolution(cases):
    """Annotate each case with the resolution of its approved minutes item (None before approval)."""
    from django.db.models import Subquery

    return cases.annotate(
        adopted_resolution=Subquery(_approved_items().values("resolution")[:1]),
        adopted_decision=Subquery(_approved_items().values("decision")[:1]),
    )


def open_cases_q(now: datetime) -> Q:
    """Cases whose title and texts the public may read and search."""
    return public_cases_q(now) & ~closed_case_q()


def meeting_is_shown(meeting: Meeting, now: datetime) -> bool:
    return meeting.status != Status.DRAFT


def meeting_documents_public(meeting: Meeting, now: datetime) -> bool:
    if meeting.status not in DOCUMENT_STATUSES:
        return False
    publication = getattr(meeting, "publication", None)
    return publication is None or publication.publish_from is None or publication.publish_from <= now


def minutes_public(meeting: Meeting, now: datetime) -> bool:
    """Approved minutes are public (approval may not delay public access beyond the hold)."""
    return meeting.status == Status.MINUTES_APPROVED and meeting_documents_public(meeting, now)


def minutes_public_q(now: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Status.MINUTES_APPROVED}) & _meeting_not_held_back(now, prefix)


def case_is_public(case: Case, now: datetime) -> bool:
    if case.meeting is None or not meeting_documents_public(case.meeting, now):
        return False
    publication = getattr(case, "publication", None)
    return publication is None or publication.publish_from is None or publication.publish_from <= now


def _closed_session_basis(case: Case) -> str:
    if hasattr(case, "closed_session_basis"):
        return case.closed_session_basis or ""
    return (
        MinutesItem.objects.filter(case=case, closed_session=True).values_list("closed_basis", flat=True).first() or ""
    )


def case_is_closed(case: Case) -> bool:
    publication = getattr(case, "publication", None)
    return bool(publication and publication.exempt) or bool(_closed_session_basis(case))


def closed_legal_basis(case: Case) -> str:
    """The legal basis shown for a closed case: the one the minutes name, or the one given when exempting it."""
    from meetings.models import ClosedBasis

    basis = _closed_session_basis(case)
    if basis:
        return str(ClosedBasis(basis).label)
    publication = getattr(case, "publication", None)
    return publication.legal_basis if publication and publication.exempt else ""


def adopted_resolution(case: Case) -> str:
    """The vedtak as adopted (approved minutes), or the one recorded on the case; '' before that."""
    if case.meeting is None or case.meeting.status != Status.MINUTES_APPROVED:
        return ""
    if hasattr(case, "adopted_resolution"):
        text = case.adopted_resolution
    else:
        text = _approved_items_for(case).values_list("resolution", flat=True).first()
    return text or case.resolution


def _approved_items_for(case: Case):
    return MinutesItem.objects.filter(case=case, minutes__status=Minutes.Status.APPROVED)


def public_title(case: Case) -> str:
    """The title the public sees: the public version when there is one."""
    publication = getattr(case, "publication", None)
    return (publication.public_title if publication and publication.public_title else "") or case.title


def case_document_public(case: Case) -> bool:
    """The case document PDF prints the internal title, so it is published only when no public title replaces it."""
    publication = getattr(case, "publication", None)
    return not case_is_closed(case) and not (publication and publication.public_title)
