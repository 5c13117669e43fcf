from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from khs.dashboard import dashboard_panels
from khs.forms import MemberLinkForm
from khs.services import member_login_link
from khs.signin import client_ip, hit_limit
from membership.scope import SESSION_COOPERATION_KEY, staff_cooperations


def home(request):
    """The public start page."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "khs/home.html")


@login_required
def dashboard(request):
    return render(request, "khs/dashboard.html", {"panels": dashboard_panels(request)})


def member_link_request(request):
    """A member asks for a one-time sign-in link by e-mail (throttled per address and per client)."""
    if request.method == "POST":
        form = MemberLinkForm(request.POST)
        if hit_limit(
            f"link-client:{client_ip(request)}",
            limit=settings.MEMBER_LINK_LIMIT_PER_CLIENT,
            window=settings.MEMBER_LINK_WINDOW,
        ):
            form.errors.clear()
            form.add_error(None, _("For mange forespørsler fra denne adressen. Vent et kvarter og prøv igjen."))
            return render(request, "khs/member_link_request.html", {"form": form}, status=429)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            # Over the limit for one address: the same answer, but no more mail to that inbox.
            if not hit_limit(
                f"link-address:{email}",
                limit=settings.MEMBER_LINK_LIMIT_PER_ADDRESS,
                window=settings.MEMBER_LINK_WINDOW,
            ):
                member_login_link(email=email)
            # Same answer whether or not the address is known: nobody learns who is registered.
            return render(request, "khs/member_link_sent.html", {"email": form.cleaned_data["email"]})
    else:
        form = MemberLinkForm()
    return render(request, "khs/member_link_request.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def member_login(request):
    """The one-time link from the mail. Opening it (GET) only shows one "Logg inn" button, so that mail
    scanners that open links do not use it up; pressing the button (POST) signs the member in. A used or
    expired link says so and offers a new one."""
    from django.contrib.auth import authenticate, login

    from khs.signin import may_sign_in_by_link

    token = request.POST.get("sesame") if request.method == "POST" else request.GET.get("sesame")
    # Authenticating does not use the link up; signing in does (SESAME_ONE_TIME, through last_login).
    user = authenticate(request, sesame=token) if token else None
    if user is None or not may_sign_in_by_link(user):  # staff accounts never sign in by link
        return render(request, "khs/member_login.html", {"form": MemberLinkForm(), "invalid": True}, status=403)
    if request.method != "POST":
        return render(request, "khs/member_login.html", {"token": token, "invalid": False})
    login(request, user, backend="khs.signin.MemberLinkBackend")
    return redirect("dashboard")


@require_POST
@login_required
def cooperation_switch(request):
    wanted = request.POST.get("cooperation")
    cooperation = staff_cooperations(request.user).filter(pk=wanted).first() if wanted and wanted.isdigit() else None
    if cooperation is None:
        messages.error(request, _("Du har ikke tilgang til det samarbeidet."))
    else:
        request.session[SESSION_COOPERATION_KEY] = cooperation.pk
        messages.success(request, _("Du arbeider nå i %(name)s.") % {"name": cooperation.name})
    next_url = request.POST.get("next") or reverse("dashboard")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("dashboard")
    return redirect(next_url)


def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "time": timezone.now().isoformat()})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico; the icon is a static SVG (its URL known only once static files are)."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)
