"""Pages of bodies and meetings. Writes: POST, one service call, redirect with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khs.lib.access import member_person, perm_required
from meetings import rules, selectors, services
from meetings.errors import MeetingsError
from meetings.forms import (
    BodyForm,
    InviteeForm,
    MeetingCancelForm,
    MeetingForm,
)
from meetings.models import Invitee, Meeting
from meetings.views.access import _body, _meeting, _readable_meeting, _staff_cooperation
from membership.models import Body, Office
from membership.scope import cooperation_required
from membership.selectors import active_on, body_offices_from

PAGE_SIZE = 50
WAITING_SHOWN = 20  # cases waiting for a meeting offered on a meeting page; the rest are on the body's page
Status = Meeting.Status

# --------------------------------------------------------------------------------------------- bodies


@perm_required("membership.view_body")
@cooperation_required
def body_list(request, cooperation):
    bodies = Body.objects.filter(cooperation=cooperation).order_by("name")
    return render(request, "meetings/body_list.html", {"bodies": bodies})


@perm_required("membership.view_body")
@cooperation_required
def body_detail(request, pk, cooperation):
    body = _body(cooperation, pk)
    today = timezone.localdate()
    offices = body_offices_from(body, today)
    meetings = selectors.meetings_for_cooperation(cooperation).filter(body=body).order_by("-starts_at")[:20]
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "offices": offices,
            "current": Office.objects.filter(active_on(today), body=body).count(),
            "meetings": meetings,
            "waiting": selectors.cases_without_meeting(body),
            "series": body.number_series.order_by("-year")[:10],
            # The outcomes of approved minutes (meetings.services.minutes), newest first.
            "decisions": body.cases.select_related("body").exclude(outcome="").order_by("-decided_at", "-number")[:20],
        },
    )


@perm_required("membership.add_body")
@cooperation_required
def body_create(request, cooperation):
    form = BodyForm(request.POST or None, initial={"language": cooperation.language})
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(cooperation=cooperation, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Organet «%(name)s» er opprettet.") % {"name": body.name})
            return redirect("meetings:body_detail", pk=body.pk)
    return render(request, "meetings/body_form.html", {"form": form, "body": None})


@perm_required("membership.change_body")
@cooperation_required
def body_update(request, pk, cooperation):
    body = _body(cooperation, pk)
    form = BodyForm(request.POST or None, instance=Body.objects.get(pk=body.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Organet er lagret."))
            return redirect("meetings:body_detail", pk=body.pk)
    return render(request, "meetings/body_form.html", {"form": form, "body": body})


# ------------------------------------------------------------------------------------------- meetings


@login_required
def meeting_list(request):
    cooperation = _staff_cooperation(request)
    if cooperation is None:
        person = member_person(request.user)
        if person is None:
            raise Http404
        upcoming, past = selectors.member_meetings_split(person, timezone.now())
        return render(request, "meetings/meeting_list_member.html", {"upcoming": upcoming, "past": past})
    show = request.GET.get("show", "upcoming")
    meetings = selectors.meetings_for_cooperation(cooperation)
    body_id = request.GET.get("body", "")
    if body_id.isdigit():
        meetings = meetings.filter(body_id=int(body_id))
    if show == "all":
        meetings = meetings.order_by("-starts_at")
    else:
        show = "upcoming"
        meetings = meetings.filter(rules.secretariat_upcoming_q(timezone.now())).order_by("starts_at")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "show": show,
            "bodies": Body.objects.filter(cooperation=cooperation).order_by("name"),
            "body_id": int(body_id) if body_id.isdigit() else None,
        },
    )


@perm_required("meetings.add_meeting")
@cooperation_required
def meeting_create(request, cooperation):
    initial = {"contact": cooperation.contact_email}
    if request.GET.get("body", "").isdigit():
        initial["body"] = int(request.GET["body"])
    form = MeetingForm(request.POST or None, cooperation=cooperation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                body=form.cleaned_data["body"], actor=request.user, **form.service_fields()
            )
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Møtet er opprettet med %(n)s inviterte. Registrer sakene til møtet.")
                % {"n": meeting.invitees.count()},
            )
            _warn_about_time(request, meeting)
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@perm_required("meetings.change_meeting")
@cooperation_required
def meeting_update(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **form.service_fields())
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Møtet er lagret."))
            meeting.refresh_from_db()
            _warn_about_time(request, meeting)
            if meeting.status == Status.SUMMONED and meeting.dispatches.exists():
                messages.warning(
                    request,
                    format_html(
                        '{} <a href="{}#resend">{}</a>',
                        _(
                            "Innkallingen er allerede sendt: de inviterte får ikke vite om endringen før du sender en endret innkalling."
                        ),
                        reverse("meetings:summons_panel", args=[meeting.pk]),
                        _("Send endret innkalling"),
                    ),
                )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _warn_about_time(request, meeting) -> None:
    """Say it when a meeting was saved in the past, or with a registration deadline already passed."""
    now = timezone.now()
    if meeting.starts_at < now:
        messages.warning(request, _("Møtet ligger i fortiden. Er dato og klokkeslett riktig?"))
    elif meeting.registration_deadline and meeting.registration_deadline < now:
        messages.warning(request, _("Påmeldingsfristen er allerede passert: de inviterte kan ikke melde seg på selv."))


def _meeting_page(request, meeting, as_staff, *, invitee_form=None, status=200):
    detail = selectors.meeting_detail(meeting)
    can_change = as_staff and request.user.has_perm("meetings.change_meeting")
    can_edit = can_change and meeting.is_open
    context = {
        "detail": detail,
        "meeting": meeting,
        "as_staff": as_staff,
        "can_change": can_change,
        "can_edit": can_edit,
        "can_add_case": can_edit and request.user.has_perm("meetings.add_case"),
        "has_drafts": any(c.is_draft for c in detail.cases),
    }
    if can_edit:
        context["invitee_form"] = invitee_form or InviteeForm(meeting=meeting)
        waiting = selectors.cases_without_meeting(meeting.body)
        context["waiting"] = list(waiting[:WAITING_SHOWN])
        context["waiting_more"] = waiting.count() - WAITING_SHOWN if len(context["waiting"]) == WAITING_SHOWN else 0
    if can_change:
        # A meeting becomes summoned by sending the summons (summons panel), not by a button here.
        # "Held" is offered once the meeting has started, not before.
        started = meeting.starts_at <= timezone.now()
        context["transitions"] = [
            s for s in (Status.HELD,) if s in rules.TRANSITIONS[Status(meeting.status)] and started
        ]
        context["can_cancel"] = Status.CANCELLED in rules.TRANSITIONS[Status(meeting.status)]
    if not as_staff:
        person = member_person(request.user)
        context["my_invitation"] = next((i for i in detail.invitees if i.person_id == person.pk), None)
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, pk):
    """The meeting page: staff of the meeting's cooperation, and members invited to it (read-only)."""
    meeting, as_staff = _readable_meeting(request, pk)
    return _meeting_page(request, meeting, as_staff)


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def meeting_status(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    wanted = request.POST.get("status")
    if wanted == Status.SUMMONED:
        messages.error(request, _("Et møte blir innkalt når innkallingen sendes; bruk «Send innkalling»."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    if wanted not in rules.MANUAL_STATUSES:
        messages.error(request, _("Ukjent status."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    try:
        meeting = services.meeting_status_set(meeting=meeting, actor=request.user, status=wanted)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Møtet har nå status «%(status)s».") % {"status": meeting.get_status_display()})
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@perm_required("meetings.change_meeting")
@cooperation_required
def meeting_cancel(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"])
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Møtet er avlyst."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_cancel.html", {"form": form, "meeting": meeting})


@require_POST
@perm_required("meetings.add_invitee")
@cooperation_required
def meeting_invitee_add(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    form = InviteeForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            invitee = services.meeting_invitee_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s er lagt til som invitert.") % {"name": invitee.name})
            return redirect(f"{meeting.get_absolute_url()}#invitees")
    return _meeting_page(request, meeting, True, invitee_form=form, status=400)


@require_POST
@perm_required("meetings.delete_invitee")
@cooperation_required
def meeting_invitee_remove(request, pk, invitee_pk, cooperation):
    meeting = _meeting(cooperation, pk)
    invitee = get_object_or_404(Invitee, pk=invitee_pk, meeting=meeting)
    try:
        services.meeting_invitee_remove(invitee=invitee, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s er fjernet fra de inviterte.") % {"name": invitee.name})
    return redirect(f"{meeting.get_absolute_url()}#invitees")


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def meeting_invitees_reset(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    try:
        services.meeting_invitees_reset(meeting=meeting, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De inviterte er hentet på nytt fra organet."))
    return redirect(f"{meeting.get_absolute_url()}#invitees")


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def agenda_reorder(request, pk, cooperation):
    """Either the whole order (drag and drop: order=3,1,2) or one case one step (move=<id>:up|down)."""
    meeting = _meeting(cooperation, pk)
    ids = list(meeting.cases.order_by("agenda_position", "year", "number").values_list("pk", flat=True))
    try:
        if request.POST.get("order"):
            try:
                wanted = [int(x) for x in request.POST["order"].split(",") if x.strip()]
            except ValueError:
                raise MeetingsError(_("Ugyldig rekkefølge.")) from None
        else:
            case_id, _sep, direction = request.POST.get("move", "").partition(":")
            if not case_id.isdigit() or int(case_id) not in ids or direction not in ("up", "down"):
                raise MeetingsError(_("Ugyldig flytting."))
            wanted = rules.agenda_order_moved(ids, int(case_id), direction)
        services.agenda_reorder(meeting=meeting, actor=request.user, case_ids=wanted)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rekkefølgen på sakslisten er lagret."))
    moved = request.POST.get("move", "").partition(":")[0]
    anchor = f"#agenda-case-{moved}" if moved.isdigit() else "#agenda"
    return redirect(f"{meeting.get_absolute_url()}{anchor}")


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def agenda_finalise(request, pk, cooperation):
    """Finalise the agenda: the drafts on it take their numbers in agenda order, in the meeting's year."""
    meeting = _meeting(cooperation, pk)
    try:
        numbered = services.agenda_finalise(meeting=meeting, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        if numbered:
            messages.success(
                request,
                _("Sakslisten er fastsatt: %(labels)s.") % {"labels": ", ".join(c.label for c in numbered)},
            )
        else:
            messages.info(request, _("Alle sakene på sakslisten har allerede nummer."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")
