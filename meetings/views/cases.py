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

from khs.lib.access import perm_required
from khs.lib.downloads import content_disposition
from meetings import rules, selectors, services
from meetings.errors import MeetingsError
from meetings.forms import (
    AttachmentForm,
    CaseForm,
    CaseMoveForm,
    CaseReferenceForm,
    CaseTextImportForm,
    CaseWithdrawForm,
)
from meetings.models import Case, CaseAttachment, CaseReference
from meetings.views.access import _body, _case, _meeting, _next, _readable_case
from membership.models import Body
from membership.scope import cooperation_required

PAGE_SIZE = 50

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
    """Write a case on a meeting's agenda, or in a body to wait for a meeting: a draft, or numbered at once."""
    meeting = _meeting(cooperation, meeting_pk) if meeting_pk else None
    body = meeting.body if meeting else _body(cooperation, body_pk)
    refusal = rules.meeting_open_refusal(meeting, _("Sakslisten")) if meeting is not None else None
    if refusal:
        messages.error(request, refusal)
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    last = body.cases.order_by("-registered_at").first()
    initial = (
        {"signer_name": last.signer_name, "signer_title": last.signer_title, "document_place": last.document_place}
        if last
        else {}
    )
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        register_now = bool(request.POST.get("register_now"))
        try:
            case = services.case_register(
                body=body, meeting=meeting, actor=request.user, draft=not register_now, **form.cleaned_data
            )
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            if register_now:
                messages.success(request, _("Sak %(label)s er registrert.") % {"label": case.label})
            else:
                messages.success(
                    request,
                    _(
                        "Saken er lagret som utkast. Den får nummer når sakslisten fastsettes, "
                        "senest når innkallingen sendes."
                    ),
                )
            return redirect("meetings:case_detail", pk=case.pk)
    year = timezone.localtime(meeting.starts_at).year if meeting else timezone.localdate().year
    next_number = selectors.case_number_preview(body, year)
    return render(
        request,
        "meetings/case_form.html",
        {"form": form, "case": None, "body": body, "meeting": meeting, "next_label": next_number},
    )


def _case_page(request, case, as_staff, *, attachment_form=None, reference_form=None, import_form=None, status=200):
    perms = request.user.get_all_permissions() if as_staff else set()
    editable = as_staff and rules.case_change_refusal(case) is None
    context = {
        "case": case,
        "as_staff": as_staff,
        "editable": editable,
        "can_change": editable and "meetings.change_case" in perms,
        "can_attach": editable and "meetings.add_caseattachment" in perms,
        "can_detach": editable and "meetings.delete_caseattachment" in perms,
        "can_refer": as_staff and "meetings.add_casereference" in perms,
        "can_unrefer": as_staff and "meetings.delete_casereference" in perms,
        "can_number": editable and case.is_draft and "meetings.change_case" in perms,
        "can_delete": editable and case.is_draft and "meetings.delete_case" in perms,
        "can_move": as_staff and "meetings.change_case" in perms and rules.case_move_refusal(case) is None,
    }
    if context["can_attach"]:
        context["attachment_form"] = attachment_form or AttachmentForm()
    if context["can_refer"]:
        context["reference_form"] = reference_form or CaseReferenceForm(case=case)
    if context["can_change"]:
        context["withdraw_form"] = CaseWithdrawForm()
        context["import_form"] = import_form or CaseTextImportForm()
    return render(request, "meetings/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    case, as_staff = _readable_case(request, pk)
    return _case_page(request, case, as_staff)


@perm_required("meetings.change_case")
@cooperation_required
def case_update(request, pk, cooperation):
    case = _case(cooperation, pk)
    refusal = rules.case_change_refusal(case)
    if refusal:
        # The form is not offered for a case that can no longer change. A form posted anyway (opened before
        # the meeting was held, another tab) gets the case page with the reason and nothing saved.
        messages.error(request, refusal)
        if request.method == "GET":
            return redirect("meetings:case_detail", pk=case.pk)
        return _case_page(request, case, True, status=409)
    form = CaseForm(request.POST or None, initial=CaseForm.initial_from(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            fresh = _case(cooperation, pk)
            if rules.case_change_refusal(fresh):  # closed while the form was being checked
                messages.error(request, exc.message)
                return _case_page(request, fresh, True, status=409)
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


@require_POST
@perm_required("meetings.change_case")
@cooperation_required
def case_text_import(request, pk, cooperation):
    """Import a Word document into one of the case's texts (mammoth, then the same cleaner as typed text)."""
    case = _case(cooperation, pk)
    form = CaseTextImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_text_import(case=case, actor=request.user, **form.cleaned_data)
        except MeetingsError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Word-dokumentet er lest inn i saken."))
            return redirect(case.get_absolute_url())
    case, _staff = _readable_case(request, pk)
    return _case_page(request, case, True, import_form=form, status=400)


@require_POST
@perm_required("meetings.change_case")
@cooperation_required
def case_number_give(request, pk, cooperation):
    case = _case(cooperation, pk)
    try:
        case = services.case_number_give(case=case, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sak %(label)s er registrert.") % {"label": case.label})
    return redirect("meetings:case_detail", pk=case.pk)


@require_POST
@perm_required("meetings.delete_case")
@cooperation_required
def case_delete(request, pk, cooperation):
    case = _case(cooperation, pk)
    try:
        services.case_delete(case=case, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:case_detail", pk=case.pk)
    messages.success(request, _("Utkastet «%(title)s» er slettet.") % {"title": case.title})
    if case.meeting_id:
        return redirect("meetings:meeting_detail", pk=case.meeting_id)
    return redirect("meetings:body_detail", pk=case.body_id)


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
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name or attachment.file.name)
    return response


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
