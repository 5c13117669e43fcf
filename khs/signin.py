"""Sign-in rules in one place: who may use an e-mail link, which address a request comes from (behind
the trusted reverse proxies), and how often links may be asked for."""

from django.conf import settings
from django.core.cache import cache
from sesame.backends import ModelBackend as SesameModelBackend

from khs.lib.access import is_staff_role


def may_sign_in_by_link(user) -> bool:
    """Only members sign in by e-mail link; a staff account always needs its password (and lockout)."""
    return not (user.is_staff or user.is_superuser or user.has_usable_password() or is_staff_role(user))


class MemberLinkBackend(SesameModelBackend):
    """django-sesame's backend, refusing links for staff accounts (a staff user linked to a person)."""

    def authenticate(self, request, sesame, scope="", max_age=None):
        user = super().authenticate(request, sesame, scope=scope, max_age=max_age)
        if user is not None and not may_sign_in_by_link(user):
            return None
        return user


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, each of which appends the
    address it saw to X-Forwarded-For, the client is the entry that many places from the right;
    anything further left was written by the client and is not trusted. With no trusted proxy
    (the default), X-Forwarded-For is ignored."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-count] if len(forwarded) >= count else forwarded[0]


def axes_skips(request, credentials) -> bool:
    """django-axes does not count member-link failures: a link is a signed one-time token nobody can
    guess, so locking would only shut out every member behind one address (a municipality's NAT, a
    mail scanner that mangles links). Requests for links are throttled instead (hit_limit)."""
    return bool(credentials) and "sesame" in credentials


def hit_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one request under `key`; True once more than `limit` came within `window` seconds."""
    cache_key = f"khs-throttle:{key}"
    if cache.add(cache_key, 1, window):
        return 1 > limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window)
        count = 1
    return count > limit
