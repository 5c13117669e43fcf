"""Dashboard panel of this app (see khs/dashboard.py): open follow-ups, the overdue ones first."""

from django.utils import timezone

from khs.lib.dates import local
from membership.scope import current_cooperation
from publishing.selectors import open_follow_ups

PANEL_SIZE = 5


def panels(request) -> list[dict]:
    if not request.user.has_perm("meetings.view_case"):
        return []
    cooperation = current_cooperation(request)
    if cooperation is None:
        return []
    today = local(timezone.now()).date()
    follow_ups = open_follow_ups(cooperation)
    overdue = list(follow_ups.filter(deadline__lt=today)[:PANEL_SIZE])
    return [
        {
            "template": "publishing/dashboard_panel.html",
            "context": {"overdue": overdue, "open_count": follow_ups.count(), "today": today},
        }
    ]
