"""Pages of the summons: the panel (preview, send, dispatch log), the PDFs, calendar files and feeds.

The panel (`templates/meetings/_summons_panel.html`, context from `summons_panel_context`) is meant to
sit on the meeting's page; `/meetings/<pk>/summons/` shows it on a page of its own.
"""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from khs.lib.access import (
    cooperation_required,
    current_cooperation,
    get_for_cooperation_or_404,
    is_staff_role,
    member_person,
    member_required,
    perm_required,
)
from meetings import documents
from meetings.documents import calendar
from meetings.models import Case, Dispatch, DispatchRecipient, Meeting
from meetings.selectors import meetings_for_person
from meetings.services import summons
from membership.models import Body, Person


class ResendForm(forms.Form):
    change_note = forms.CharField(
        label=gettext_lazy("Hva er endret?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Står i e-posten, under endringene i tid, sted og saker som finnes automatisk."),
    )


class CancelNoticeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse for avlysningen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Access ---


def _meetings():
    return Meeting.objects.select_related("body__cooperation")


def _staff_meeting(cooperation, pk) -> Meeting:
    return get_for_cooperation_or_404(_meetings(), cooperation, path="body__cooperation", pk=pk)


def _staff_may_read(request) -> bool:
    return is_staff_role(request.user) and request.user.has_perm("meetings.view_meeting")


def _readable_meeting(request, pk) -> Meeting:
    """Staff in the meeting's cooperation, or a member invited to it once it is summoned; 404 for anyone else."""
    if _staff_may_read(request):
        meeting = _meetings().filter(body__cooperation=current_cooperation(request), pk=pk).first()
        if meeting is not None:
            return meeting
    person = member_person(request.user)
    if person is None:
        raise Http404
    return get_object_or_404(meetings_for_person(person), pk=pk)


def _readable_case(request, pk) -> Case:
    cases = Case.objects.select_related("body__cooperation", "meeting")
    if _staff_may_read(request):
        case = cases.filter(body__cooperation=current_cooperation(request), pk=pk).first()
        if case is not None:
            return case
    person = member_person(request.user)
    if person is None:
        raise Http404
    return get_object_or_404(
        cases.exclude(meeting__status=Meeting.Status.DRAFT).exclude(status=Case.Status.WITHDRAWN),
        pk=pk,
        meeting__invitees__person=person,
    )


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _next_or_panel(request, meeting) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("meetings:summons_panel", args=[meeting.pk])


# --- The panel ---


def summons_panel_context(request, meeting: Meeting, *, resend_form=None, cancel_form=None) -> dict:
    """Everything the summons panel shows, in a fixed number of queries."""
    cases = documents.agenda_cases(meeting)
    invitees = list(meeting.invitees.all())
    received = summons.cases_received(meeting)
    reached = set(received)
    dispatches = list(
        meeting.dispatches.select_related("sent_by")
        .prefetch_related(Prefetch("recipients", queryset=DispatchRecipient.objects.order_by("name", "pk")))
        .order_by("-sent_at", "-pk")
    )
    for d in dispatches:
        d.mailed = [r for r in d.recipients.all() if r.channel == DispatchRecipient.Channel.EMAIL and not r.error]
        d.to_print = [r for r in d.recipients.all() if r.channel == DispatchRecipient.Channel.PRINT]
        d.failed = [r for r in d.recipients.all() if r.error]
    told = [d for d in dispatches if d.kind != Dispatch.Kind.CANCEL]
    cancel_told = {
        r.invitee_id for d in dispatches if d.kind == Dispatch.Kind.CANCEL for r in d.recipients.all() if not r.error
    }
    lang = documents.document_language(meeting)
    changes = (
        documents.describe_changes(told[0].snapshot, documents.meeting_snapshot(meeting, cases, lang), lang)
        if told
        else []
    )
    status = meeting.status
    pending = [i for i in invitees if i.pk not in reached]
    summoned = status == Meeting.Status.SUMMONED
    return {
        "meeting": meeting,
        "cases": cases,
        "invitees": invitees,
        "pending_invitees": pending,
        "pending_without_email": [i for i in pending if not i.email.strip()],
        "new_cases": summons.missing_cases(cases, received),
        "changes": changes,
        "dispatches": dispatches,
        "latest_print": next((d for d in dispatches if d.to_print), None),
        "can_change": request.user.has_perm("meetings.change_meeting"),
        "can_send": status in summons.SENDABLE and bool(pending),
        "is_first": not told,
        "can_resend": summoned and bool(told),
        "can_cancel_notify": status == Meeting.Status.CANCELLED and bool(reached - cancel_told),
        "resend_form": resend_form or ResendForm(),
        "cancel_form": cancel_form or CancelNoticeForm(),
        "body_feed_url": calendar.body_feed_url(meeting.body),
        "next": request.get_full_path(),
    }


def _render_panel(request, meeting, *, status=200, **forms_):
    context = {"meeting": meeting, "summons": summons_panel_context(request, meeting, **forms_)}
    return render(request, "meetings/summons_panel.html", context, status=status)


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def summons_panel(request, pk, cooperation):
    return _render_panel(request, _staff_meeting(cooperation, pk))


def _report(request, summary, done: str):
    parts = {"done": done, "mailed": len(summary.mailed), "printed": len(summary.to_print)}
    messages.success(request, _("%(done)s: %(mailed)d e-poster sendt, %(printed)d til utskrift.") % parts)
    if summary.to_print:
        messages.warning(
            request,
            _("Disse har ingen e-postadresse og må få dokumentet i posten: %(names)s.")
            % {"names": ", ".join(r.name for r in summary.to_print)},
        )
    if summary.failed:
        messages.error(
            request,
            _("E-post til %(names)s kunne ikke sendes. De får den ved neste utsending.")
            % {"names": ", ".join(r.name for r in summary.failed)},
        )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_send(request, pk, cooperation):
    meeting = _staff_meeting(cooperation, pk)
    try:
        summary = summons.meeting_summon(meeting=meeting, actor=request.user)
    except summons.MeetingsError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, summary, _("Innkallingen er sendt"))
    return redirect(_next_or_panel(request, meeting))


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_resend(request, pk, cooperation):
    meeting = _staff_meeting(cooperation, pk)
    form = ResendForm(request.POST)
    if form.is_valid():
        try:
            summary = summons.meeting_summons_resend(
                meeting=meeting, actor=request.user, change_note=form.cleaned_data["change_note"]
            )
        except summons.MeetingsError as exc:
            form.add_error(None, str(exc))
        else:
            _report(request, summary, _("Den endrede innkallingen er sendt"))
            return redirect(_next_or_panel(request, meeting))
    return _render_panel(request, meeting, resend_form=form)


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_supplementary(request, pk, cooperation):
    meeting = _staff_meeting(cooperation, pk)
    try:
        summary = summons.meeting_supplementary_summon(meeting=meeting, actor=request.user)
    except summons.MeetingsError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, summary, _("Tilleggsinnkallingen er sendt"))
    return redirect(_next_or_panel(request, meeting))


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_cancel_notice(request, pk, cooperation):
    meeting = _staff_meeting(cooperation, pk)
    form = CancelNoticeForm(request.POST)
    if form.is_valid():
        try:
            summary = summons.meeting_cancel_notify(
                meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except summons.MeetingsError as exc:
            form.add_error(None, str(exc))
        else:
            _report(request, summary, _("Avlysningen er sendt"))
            return redirect(_next_or_panel(request, meeting))
    return _render_panel(request, meeting, cancel_form=form)


# --- Documents ---


def _file_stem(meeting: Meeting) -> str:
    return f"{meeting.starts_at:%Y-%m-%d}-{slugify(meeting.title)[:60]}"


@require_GET
@member_required
def summons_pdf(request, pk):
    """The summons as it reads now: a preview for the clerk, the document for invited members."""
    meeting = _readable_meeting(request, pk)
    return _pdf_response(documents.summons_pdf(meeting), f"innkalling-{_file_stem(meeting)}.pdf")


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def supplementary_pdf(request, pk, cooperation):
    """Preview of the supplementary summons: the cases no summons has carried yet."""
    meeting = _staff_meeting(cooperation, pk)
    added = summons.new_cases(meeting)
    if not added:
        raise Http404
    return _pdf_response(documents.supplementary_pdf(meeting, added), f"tilleggsinnkalling-{_file_stem(meeting)}.pdf")


@require_GET
@member_required
def case_document_pdf(request, pk):
    case = _readable_case(request, pk)
    return _pdf_response(documents.case_document_pdf(case), f"saksframlegg-{slugify(case.label)}.pdf")


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def dispatch_document(request, pk, cooperation):
    """The very document a dispatch sent, as it was sent."""
    dispatch = get_for_cooperation_or_404(
        Dispatch.objects.select_related("meeting"), cooperation, path="meeting__body__cooperation", pk=pk
    )
    if not dispatch.document:
        raise Http404
    with dispatch.document.open("rb") as handle:
        data = handle.read()
    return _pdf_response(data, dispatch.document.name.rsplit("/", 1)[-1])


# --- Calendar ---


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@member_required
def meeting_ics(request, pk):
    """One meeting as a calendar file, to add by hand."""
    meeting = _readable_meeting(request, pk)
    return _ics_response(calendar.meeting_ics(meeting, method="PUBLISH"), f"mote-{_file_stem(meeting)}.ics")


@require_GET
def body_feed(request, token):
    """Every published meeting of a body; the signed token in the address is the key."""
    body_id = calendar.body_from_token(token)
    body = get_object_or_404(Body.objects.select_related("cooperation"), pk=body_id) if body_id else None
    if body is None:
        raise Http404
    return _ics_response(calendar.body_feed(body), f"{slugify(body.name)}.ics")


@require_GET
def person_feed(request, token):
    """The meetings one person is invited to; the signed token in the address is the key."""
    person_id = calendar.person_from_token(token)
    if not person_id:
        raise Http404
    person = get_object_or_404(Person, pk=person_id)
    return _ics_response(calendar.person_feed(person), "mine-moter.ics")


@require_GET
@member_required
def calendar_links(request):
    """The private calendar addresses this user may subscribe to."""
    person = member_person(request.user)
    bodies = []
    if _staff_may_read(request):
        cooperation = current_cooperation(request)
        if cooperation is not None:
            bodies = [(b, calendar.body_feed_url(b)) for b in cooperation.bodies.order_by("name")]
    return render(
        request,
        "meetings/summons_calendar.html",
        {
            "person_url": calendar.person_feed_url(person) if person else "",
            "bodies": bodies,
        },
    )
