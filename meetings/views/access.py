"""One access helper per object: each returns the object the user may see (or change) or raises 404."""

from django.http import Http404

from khs.lib.access import (
    current_cooperation,
    get_for_cooperation_or_404,
    member_person,
)
from meetings import selectors
from meetings.models import Case, Meeting
from membership.models import Body

PAGE_SIZE = 50
WAITING_SHOWN = 20  # cases waiting for a meeting offered on a meeting page; the rest are on the body's page
Status = Meeting.Status


def _staff_cooperation(request):
    """The current cooperation of a staff user who may read meetings, else None."""
    if request.user.has_perm("meetings.view_meeting"):
        return current_cooperation(request)
    return None


def _meeting(cooperation, pk) -> Meeting:
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
    cases = selectors.case_with_relations(Case.objects.all())
    cooperation = _staff_cooperation(request)
    if cooperation is not None:
        case = cases.filter(pk=pk, body__cooperation=cooperation).first()
        if case is not None:
            return case, True
    person = member_person(request.user)
    if person is not None:
        visible = Case.objects.filter(selectors.member_cases_q(person), pk=pk)
        case = cases.filter(pk__in=visible.values("pk")).first()
        if case is not None:
            return case, False
    raise Http404


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default
