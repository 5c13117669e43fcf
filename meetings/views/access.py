"""One access helper per object: each returns the object the user may see (or change) or raises 404.

Every page, PDF, file and calendar view of meetings gets its meeting, case or invitation here; what a
member may see is meetings.rules (member_meetings_q, member_cases_q, published_q).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from khs.lib.access import member_person
from meetings import rules, selectors
from meetings.models import Case, Invitee, Meeting
from membership.models import Body
from membership.scope import current_cooperation, get_for_cooperation_or_404


def _staff_cooperation(request):
    """The current cooperation of a staff user who may read meetings, else None."""
    if request.user.has_perm("meetings.view_meeting"):
        return current_cooperation(request)
    return None


def _meeting(cooperation, pk) -> Meeting:
    """A meeting of the staff user's current cooperation."""
    return get_for_cooperation_or_404(
        Meeting.objects.select_related("body__cooperation"), cooperation, path="body__cooperation", pk=pk
    )


def _case(cooperation, pk) -> Case:
    return get_for_cooperation_or_404(
        Case.objects.select_related("body__cooperation", "meeting"), cooperation, path="body__cooperation", pk=pk
    )


def _body(cooperation, pk) -> Body:
    return get_for_cooperation_or_404(Body.objects.select_related("cooperation"), cooperation, pk=pk)


def _readable_meeting(request, pk) -> tuple[Meeting, bool]:
    """(meeting, as_staff): staff see their current cooperation's meetings, members those they are invited to."""
    cooperation = _staff_cooperation(request)
    if cooperation is not None:
        meeting = (
            Meeting.objects.select_related("body__cooperation").filter(pk=pk, body__cooperation=cooperation).first()
        )
        if meeting is not None:
            return meeting, True
    person = member_person(request.user)
    if person is not None:
        meeting = selectors.meetings_for_person(person).filter(pk=pk).first()
        if meeting is not None:
            return meeting, False
    raise Http404


def _readable_case(request, pk) -> tuple[Case, bool]:
    """(case, as_staff): staff see their current cooperation's cases, members the cases rules.member_cases_q
    gives them (page, document and attachments alike)."""
    cases = selectors.case_with_relations(Case.objects.all())
    cooperation = _staff_cooperation(request)
    if cooperation is not None:
        case = cases.filter(pk=pk, body__cooperation=cooperation).first()
        if case is not None:
            return case, True
    person = member_person(request.user)
    if person is not None:
        visible = Case.objects.filter(rules.member_cases_q(person), pk=pk)
        case = cases.filter(pk__in=visible.values("pk")).first()
        if case is not None:
            return case, False
    raise Http404


def _my_invitee(request, invitee_pk) -> Invitee:
    """A signed-in member's own invitation to a published meeting."""
    person = member_person(request.user)
    if person is None:
        raise Http404
    return get_object_or_404(
        Invitee.objects.select_related("meeting__body__cooperation", "municipality", "deputy_for").filter(
            rules.published_q(prefix="meeting__")
        ),
        pk=invitee_pk,
        person=person,
    )


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default
