"""Who may do what: small decorators and helpers every view uses.

The cooperation a staff user works in (the switcher) needs the membership app, so it lives in
membership/scope.py; this module is ground and imports no app.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER, user_roles


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
