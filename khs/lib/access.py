"""Who may do what: small decorators and helpers every view uses."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER, user_roles

SESSION_COOPERATION_KEY = "khs_cooperation_id"


def is_staff_role(user) -> bool:
    return bool(user_roles(user) & {SECRETARIAT, TREASURER, ADMINISTRATOR})


def is_secretariat(user) -> bool:
    return SECRETARIAT in user_roles(user)


def is_treasurer(user) -> bool:
    return TREASURER in user_roles(user)


def is_administrator(user) -> bool:
    return ADMINISTRATOR in user_roles(user)


def member_person(user):
    """The Person a signed-in member is, or None (staff without a person, anonymous)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def _guard(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def perm_required(*perms):
    """Signed in (else to the sign-in page) and holding every permission (else 403)."""
    return _guard(lambda user: user.has_perms(perms))


def staff_required(view):
    """Any staff role: secretariat, treasurer or administrator."""
    return _guard(is_staff_role)(view)


def member_required(view):
    """A signed-in person with a member profile, or staff."""
    return _guard(lambda user: member_person(user) is not None or is_staff_role(user))(view)


def staff_cooperations(user):
    """The cooperations a staff user is given; administrators see all."""
    from membership.models import Cooperation

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
    from django.shortcuts import get_object_or_404

    return get_object_or_404(queryset, **{path: cooperation}, **lookup)
