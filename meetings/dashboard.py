"""Dashboard panels this app offers (see khs/dashboard.py)."""

from django.db.models import Prefetch
from django.utils import timezone

from khs.lib.access import member_person
from meetings import rules
from meetings.models import Case
from meetings.selectors import meeting_next_steps, meetings_for_person, upcoming_meetings
from membership.scope import current_cooperation

PANEL_SIZE = 5


def panels(request) -> list[dict]:
    user = request.user
    now = timezone.now()
    result = []
    cooperation = current_cooperation(request) if user.has_perm("meetings.view_meeting") else None
    if cooperation is not None:
        meetings = list(
            upcoming_meetings(cooperation, now).prefetch_related(
                Prefetch("cases", queryset=Case.objects.select_related("body")), "invitees"
            )[:PANEL_SIZE]
        )
        rows = [
            {"meeting": m, "next_step": meeting_next_steps(m, list(m.cases.all()), list(m.invitees.all()), now)[0]}
            for m in meetings
        ]
        result.append(
            {
                "template": "meetings/dashboard_panel.html",
                "context": {"rows": rows, "can_add": user.has_perm("meetings.add_meeting")},
            }
        )
    person = member_person(user)
    if person is not None:
        meetings = list(meetings_for_person(person).filter(rules.upcoming_q(now))[:PANEL_SIZE])
        result.append({"template": "meetings/dashboard_member_panel.html", "context": {"meetings": meetings}})
    return result
