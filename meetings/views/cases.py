"""Pages of cases. Writes: POST, one service call, redirect with a message."""

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
    perm_required,
)
from meetings import selectors, services
from meetings.errors import MeetingsError
from meetings.forms import (
    AttachmentForm,
    CaseForm,
    CaseMoveForm,
    CaseReferenceForm,
    CaseWithdrawForm,
)
from meetings.models import Case, CaseAttachment, CaseReference, Meeting
from meetings.views.access import _body, _case, _meeting, _next, _readable_case
from membership.models import Body

PAGE_SIZE = 50
WAITING_SHOWN = 20  # cases waiting for a meeting offered on a meeting page; the rest are on the body's page
Status = Meeting.Status

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
