"""The cooperation a staff user works in: which they are given, the current one, views scoped to it."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from khs.lib.access import is_administrator
from membership.models import Cooperation

SESSION_COOPERATION_KEY = "khs_cooperation_id"


def staff_cooperations(user):
    """The cooperations a staff user is given; administrators see all."""
    if not user.is_authenticated:
        return Cooperation.objects.none()
    if is_administrator(user):
        return Cooperation.objects.all()
    return Cooperation.objects.filter(staff=user)


def current_cooperation(request):
    """The cooperation this staff user works in now (the switcher's choice), or None."""
    cached = getattr(request, "_khs_cooperation", False)
    if cached is not False:
        return cached
    allowed = staff_cooperations(request.user).order_by("name")
    chosen = None
    wanted = request.session.get(SESSION_COOPERATION_KEY)
    if wanted is not None:
        chosen = allowed.filter(pk=wanted).first()
    if chosen is None:
        chosen = allowed.first()
    request._khs_cooperation = chosen
    return chosen


def cooperation_required(view):
    """Staff view that works inside the current cooperation, passed as `cooperation`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        cooperation = current_cooperation(request)
        if cooperation is None:
            raise PermissionDenied("No cooperation is given to this user.")
        return view(request, *args, cooperation=cooperation, **kwargs)

    return wrapped


def get_for_cooperation_or_404(queryset, cooperation, *, path="cooperation", **lookup):
    """One object that belongs to the given cooperation (404 for any other)."""
    return get_object_or_404(queryset, **{path: cooperation}, **lookup)
