"""Pages of bodies, meetings and cases. Writes: POST, one service call, redirect with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khs.lib.access import (
    cooperation_required,
    current_cooperation,
    get_for_cooperation_or_404,
    member_person,
    perm_required,
)
from meetings import selectors, services
from meetings.forms import (
    AttachmentForm,
    BodyForm,
    CaseForm,
    CaseMoveForm,
    CaseReferenceForm,
    CaseWithdrawForm,
    InviteeForm,
    MeetingCancelForm,
    MeetingForm,
)
from meetings.models import Body, Case, CaseAttachment, CaseReference, Invitee, Meeting
from meetings.services import MeetingsError
from membership.models import Office
from membership.selectors import active_on

PAGE_SIZE = 50
WAITING_SHOWN = 20  # cases waiting for a meeting offered on a meeting page; the rest are on the body's page
Status = Meeting.Status


# --------------------------------------------------------------------------------------------- access


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


# --------------------------------------------------------------------------------------------- bodies


@perm_required("meetings.view_body")
@cooperation_required
def body_list(request, cooperation):
    bodies = Body.objects.filter(cooperation=cooperation).order_by("name")
    return render(request, "meetings/body_list.html", {"bodies": bodies})


@perm_required("meetings.view_body")
@cooperation_required
def body_detail(request, pk, cooperation):
    body = _body(cooperation, pk)
    today = timezone.localdate()
    offices = (
        Office.objects.filter(body=body)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("person", "municipality")
        .order_by("kind", "person__name")
    )
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
        },
    )


@perm_required("meetings.add_body")
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


@perm_required("meetings.change_body")
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
        meetings = selectors.meetings_for_person(person).select_related("body__cooperation")
        now = timezone.now()
        return render(
            request,
            "meetings/meeting_list_member.html",
            {
                "upcoming": [m for m in meetings if m.starts_at >= now or m.status == Status.SUMMONED],
                "past": [
                    m for m in reversed(list(meetings)) if not (m.starts_at >= now or m.status == Status.SUMMONED)
                ],
            },
        )
    show = request.GET.get("show", "upcoming")
    meetings = selectors.meetings_for_cooperation(cooperation)
    body_id = request.GET.get("body", "")
    if body_id.isdigit():
        meetings = meetings.filter(body_id=int(body_id))
    if show == "all":
        meetings = meetings.order_by("-starts_at")
    else:
        show = "upcoming"
        meetings = meetings.filter(Q(status__in=Meeting.OPEN_STATUSES) | Q(starts_at__gte=timezone.now())).order_by(
            "starts_at"
        )
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
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


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
    }
    if can_edit:
        context["invitee_form"] = invitee_form or InviteeForm(meeting=meeting)
        waiting = selectors.cases_without_meeting(meeting.body)
        context["waiting"] = list(waiting[:WAITING_SHOWN])
        context["waiting_more"] = waiting.count() - WAITING_SHOWN if len(context["waiting"]) == WAITING_SHOWN else 0
    if can_change:
        # A meeting becomes summoned by sending the summons (summons panel), not by a button here.
        context["transitions"] = [s for s in (Status.HELD,) if s in services.TRANSITIONS[Status(meeting.status)]]
        context["can_cancel"] = Status.CANCELLED in services.TRANSITIONS[Status(meeting.status)]
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
    if wanted not in (Status.SUMMONED, Status.HELD):
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
            i = ids.index(int(case_id))
            j = i - 1 if direction == "up" else i + 1
            wanted = list(ids)
            if 0 <= j < len(ids):
                wanted[i], wanted[j] = wanted[j], wanted[i]
        services.agenda_reorder(meeting=meeting, actor=request.user, case_ids=wanted)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rekkefølgen på sakslisten er lagret."))
    moved = request.POST.get("move", "").partition(":")[0]
    anchor = f"#agenda-case-{moved}" if moved.isdigit() else "#agenda"
    return redirect(f"{meeting.get_absolute_url()}{anchor}")


# ---------------------------------------------------------------------------------------------- cases


@perm_required("meetings.view_case")
@cooperation_required
def case_list(request, cooperation):
    cases = (
        Case.objects.filter(body__cooperation=cooperation)
        .select_related("body", "meeting")
        .order_by("-year", "body__name", "-number")
    )
    body_id = request.GET.get("body", "")
    if body_id.isdigit():
        cases = cases.filter(body_id=int(body_id))
    year = request.GET.get("year", "")
    if year.isdigit():
        cases = cases.filter(year=int(year))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/case_list.html",
        {
            "page": page,
            "bodies": Body.objects.filter(cooperation=cooperation).order_by("name"),
            "body_id": int(body_id) if body_id.isdigit() else None,
            "year": year if year.isdigit() else "",
        },
    )


@perm_required("meetings.add_case")
@cooperation_required
def case_create(request, cooperation, meeting_pk=None, body_pk=None):
    """Register a case on a meeting's agenda, or in a body to wait for a meeting."""
    meeting = _meeting(cooperation, meeting_pk) if meeting_pk else None
    body = meeting.body if meeting else _body(cooperation, body_pk)
    if meeting is not None and not meeting.is_open:
        messages.error(
            request,
            _("Sakslisten kan ikke endres når møtet har status «%(status)s».")
            % {"status": meeting.get_status_display()},
        )
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    last = body.cases.order_by("-registered_at").first()
    initial = (
        {"signer_name": last.signer_name, "signer_title": last.signer_title, "document_place": last.document_place}
        if last
        else {}
    )
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(body=body, meeting=meeting, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sak %(label)s er registrert.") % {"label": case.label})
            return redirect("meetings:case_detail", pk=case.pk)
    next_number = body.case_label(_preview_number(body), timezone.localdate().year)
    return render(
        request,
        "meetings/case_form.html",
        {"form": form, "case": None, "body": body, "meeting": meeting, "next_label": next_number},
    )


def _preview_number(body) -> int:
    from meetings.models import CaseNumberSeries

    year = timezone.localdate().year
    series = CaseNumberSeries.objects.filter(body=body, year=year).first()
    return (series.last_number if series else 0) + 1


def _case_page(request, case, as_staff, *, attachment_form=None, reference_form=None, status=200):
    perms = request.user.get_all_permissions() if as_staff else set()
    editable = as_staff and case.status == Case.Status.REGISTERED and (case.meeting is None or case.meeting.is_open)
    context = {
        "case": case,
        "as_staff": as_staff,
        "editable": editable,
        "can_change": editable and "meetings.change_case" in perms,
        "can_attach": editable and "meetings.add_caseattachment" in perms,
        "can_detach": editable and "meetings.delete_caseattachment" in perms,
        "can_refer": as_staff and "meetings.add_casereference" in perms,
        "can_unrefer": as_staff and "meetings.delete_casereference" in perms,
        "can_move": as_staff
        and "meetings.change_case" in perms
        and case.status == Case.Status.REGISTERED
        and (case.meeting is None or case.meeting.status not in (Status.HELD, Status.MINUTES_APPROVED)),
    }
    if context["can_attach"]:
        context["attachment_form"] = attachment_form or AttachmentForm()
    if context["can_refer"]:
        context["reference_form"] = reference_form or CaseReferenceForm(case=case)
    if context["can_change"]:
        context["withdraw_form"] = CaseWithdrawForm()
    return render(request, "meetings/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    case, as_staff = _readable_case(request, pk)
    return _case_page(request, case, as_staff)


@perm_required("meetings.change_case")
@cooperation_required
def case_update(request, pk, cooperation):
    case = _case(cooperation, pk)
    form = CaseForm(request.POST or None, initial=CaseForm.initial_from(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sak %(label)s er lagret.") % {"label": case.label})
            return redirect("meetings:case_detail", pk=case.pk)
    return render(
        request, "meetings/case_form.html", {"form": form, "case": case, "body": case.body, "meeting": case.meeting}
    )


@require_POST
@perm_required("meetings.change_case")
@cooperation_required
def case_withdraw(request, pk, cooperation):
    case = _case(cooperation, pk)
    form = CaseWithdrawForm(request.POST)
    form.is_valid()
    try:
        services.case_withdraw(case=case, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sak %(label)s er trukket. Den beholder nummeret sitt.") % {"label": case.label})
    return redirect("meetings:case_detail", pk=case.pk)


@perm_required("meetings.change_case")
@cooperation_required
def case_move(request, pk, cooperation):
    case = _case(cooperation, pk)
    form = CaseMoveForm(request.POST or None, meetings=selectors.later_open_meetings(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_move(case=case, meeting=form.cleaned_data["meeting"], actor=request.user)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            target = form.cleaned_data["meeting"]
            messages.success(
                request, _("Sak %(label)s er satt på %(meeting)s.") % {"label": case.label, "meeting": target}
            )
            return redirect(_next(request, case.get_absolute_url()))
        if request.POST.get("next"):
            for error in form.errors.get("meeting", []) + form.non_field_errors():
                messages.error(request, error)
            return redirect(_next(request, case.get_absolute_url()))
    return render(request, "meetings/case_move.html", {"form": form, "case": case})


@require_POST
@perm_required("meetings.add_caseattachment")
@cooperation_required
def case_attachment_add(request, pk, cooperation):
    case = _case(cooperation, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.case_attachment_add(
                case=case, actor=request.user, file=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Vedlegget «%(title)s» er lagt til.") % {"title": attachment.title})
            return redirect(f"{case.get_absolute_url()}#attachments")
    case, _staff = _readable_case(request, pk)
    return _case_page(request, case, True, attachment_form=form, status=400)


@require_POST
@perm_required("meetings.delete_caseattachment")
@cooperation_required
def case_attachment_remove(request, pk, attachment_pk, cooperation):
    case = _case(cooperation, pk)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_pk, case=case)
    try:
        services.case_attachment_remove(attachment=attachment, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Vedlegget «%(title)s» er fjernet.") % {"title": attachment.title})
    return redirect(f"{case.get_absolute_url()}#attachments")


@login_required
def case_attachment_download(request, pk, attachment_pk):
    case, _staff = _readable_case(request, pk)
    attachment = next((a for a in case.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or attachment.file.name,
        content_type=attachment.content_type,
    )


@require_POST
@perm_required("meetings.add_casereference")
@cooperation_required
def case_reference_add(request, pk, cooperation):
    case = _case(cooperation, pk)
    form = CaseReferenceForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_reference_add(case=case, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Henvisningen er lagt til."))
            return redirect(f"{case.get_absolute_url()}#references")
    case, _staff = _readable_case(request, pk)
    return _case_page(request, case, True, reference_form=form, status=400)


@require_POST
@perm_required("meetings.delete_casereference")
@cooperation_required
def case_reference_remove(request, pk, reference_pk, cooperation):
    case = _case(cooperation, pk)
    reference = get_object_or_404(CaseReference, Q(case=case) | Q(earlier_case=case), pk=reference_pk)
    services.case_reference_remove(reference=reference, actor=request.user)
    messages.success(request, _("Henvisningen er fjernet."))
    return redirect(f"{case.get_absolute_url()}#references")
