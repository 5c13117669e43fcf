"""Dashboard panels this app offers (see khs/dashboard.py)."""

from django.utils import timezone

from membership.scope import current_cooperation


def panels(request) -> list[dict]:
    """Staff who read the register see today's members of the cooperation they work in."""
    from membership.selectors import member_list

    if not request.user.has_perm("membership.view_membership"):
        return []
    cooperation = current_cooperation(request)
    if cooperation is None:
        return []
    members = member_list(cooperation, timezone.localdate())
    return [{"template": "membership/_dashboard_members.html", "context": {"members": members}}]
