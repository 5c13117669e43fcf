"""Pages of the summons: the panel (preview, send, dispatch log), the PDFs, calendar files and feeds.

The panel (`templates/meetings/_summons_panel.html`, context from `summons_panel_context`) is meant to
sit on the meeting's page; `/meetings/<pk>/summons/` shows it on a page of its own.
"""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from khs.lib.access import member_person, member_required, perm_required
from khs.lib.downloads import file_response, file_stem
from meetings import documents, rules
from meetings.documents import calendar
from meetings.models import Dispatch, DispatchRecipient, Meeting
from meetings.selectors.dispatches import dispatch_progress, recipient_states
from meetings.services import summons
from meetings.views.access import _meeting, _readable_case, _readable_meeting, _staff_cooperation
from membership.models import Body, Person
from membership.scope import cooperation_required, get_for_cooperation_or_404


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


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename, "application/pdf", inline=True, cache="private, no-store")


def _next_or_panel(request, meeting) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("meetings:summons_panel", args=[meeting.pk])


def _next_or_dispatch(request, meeting, summary) -> str:
    """After a sending: the page asked for (other than the panel), else the new dispatch's page, which follows
    the worker live."""
    target = _next_or_panel(request, meeting)
    if target != reverse("meetings:summons_panel", args=[meeting.pk]) or not summary.dispatches:
        return target
    return reverse("meetings:dispatch_detail", args=[summary.dispatches[0].pk])


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
    states = {s.recipient.pk: s for s in recipient_states(r for d in dispatches for r in d.recipients.all())}
    for d in dispatches:
        for r in d.recipients.all():
            r.state = states[r.pk]
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
    pending = [i for i in invitees if i.pk not in reached]
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
        "can_send": rules.may_send_summons(meeting, pending=bool(pending)),
        "is_first": not told,
        "can_resend": rules.may_resend_summons(meeting, told=bool(told)),
        "can_cancel_notify": rules.may_notify_cancellation(meeting, untold=bool(reached - cancel_told)),
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
    return _render_panel(request, _meeting(cooperation, pk))


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
    """Send the summons, after one confirmation page saying how many get it and who."""
    meeting = _meeting(cooperation, pk)
    if not request.POST.get("confirmed"):
        reached = summons.reached_invitee_ids(meeting)
        pending = [i for i in meeting.invitees.select_related("municipality").order_by("name") if i.pk not in reached]
        if pending and meeting.status in rules.SUMMONS_SENDABLE:
            return render(
                request,
                "confirm.html",
                {
                    "heading": _("Send innkalling?"),
                    "summary": ngettext(
                        "Innkallingen til «%(title)s» sendes nå til %(n)s invitert med PDF og kalenderinvitasjon.",
                        "Innkallingen til «%(title)s» sendes nå til %(n)s inviterte med PDF og kalenderinvitasjon.",
                        len(pending),
                    )
                    % {"title": meeting.title, "n": len(pending)},
                    "items": [
                        f"{i.name} <{i.email}>" if i.email else f"{i.name} ({_('uten e-post: til utskrift')})"
                        for i in pending
                    ],
                    "action": request.path,
                    "fields": [("next", request.POST.get("next", ""))],
                    "button": ngettext(
                        "Send innkalling til %(n)s invitert", "Send innkalling til %(n)s inviterte", len(pending)
                    )
                    % {"n": len(pending)},
                    "back": _next_or_panel(request, meeting),
                },
            )
    try:
        summary = summons.meeting_summon(meeting=meeting, actor=request.user)
    except summons.MeetingsError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, summary, _("Innkallingen er sendt"))
        return redirect(_next_or_dispatch(request, meeting, summary))
    return redirect(_next_or_panel(request, meeting))


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_resend(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
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
            return redirect(_next_or_dispatch(request, meeting, summary))
    return _render_panel(request, meeting, resend_form=form)


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_supplementary(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    try:
        summary = summons.meeting_supplementary_summon(meeting=meeting, actor=request.user)
    except summons.MeetingsError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, summary, _("Tilleggsinnkallingen er sendt"))
        return redirect(_next_or_dispatch(request, meeting, summary))
    return redirect(_next_or_panel(request, meeting))


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def summons_cancel_notice(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
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
    return f"{meeting.starts_at:%Y-%m-%d}-{file_stem(meeting.title)[:60]}"


@require_GET
@member_required
def summons_pdf(request, pk):
    """The summons as it reads now: a preview for the clerk, the document for invited members."""
    meeting, _as_staff = _readable_meeting(request, pk)
    return _pdf_response(documents.summons_pdf(meeting), f"innkalling-{_file_stem(meeting)}.pdf")


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def supplementary_pdf(request, pk, cooperation):
    """Preview of the supplementary summons: the cases no summons has carried yet."""
    meeting = _meeting(cooperation, pk)
    added = summons.new_cases(meeting)
    if not added:
        raise Http404
    return _pdf_response(documents.supplementary_pdf(meeting, added), f"tilleggsinnkalling-{_file_stem(meeting)}.pdf")


@require_GET
@member_required
def case_document_pdf(request, pk):
    case, _as_staff = _readable_case(request, pk)
    return _pdf_response(documents.case_document_pdf(case), f"saksframlegg-{file_stem(case.label)}.pdf")


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


# --- A dispatch's progress ---


def _staff_dispatch(cooperation, pk) -> Dispatch:
    return get_for_cooperation_or_404(
        Dispatch.objects.select_related("meeting__body__cooperation", "sent_by"),
        cooperation,
        path="meeting__body__cooperation",
        pk=pk,
    )


def _state_label(state: str) -> str:
    return render_to_string("meetings/_dispatch_state.txt", {"state": state})


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def dispatch_detail(request, pk, cooperation):
    """Each recipient's copy of one dispatch: queued, sent when, retrying (why), failed (why)."""
    dispatch = _staff_dispatch(cooperation, pk)
    states, counts = dispatch_progress(dispatch)
    context = {
        "dispatch": dispatch,
        "meeting": dispatch.meeting,
        "states": states,
        "counts": counts,
        "can_change": request.user.has_perm("meetings.change_meeting"),
    }
    return render(request, "meetings/dispatch_detail.html", context)


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def dispatch_progress_json(request, pk, cooperation):
    """What the dispatch page polls while the worker sends."""
    dispatch = _staff_dispatch(cooperation, pk)
    states, counts = dispatch_progress(dispatch)

    def when(s):
        if s.sent_at:
            return f"{date_format(timezone.localtime(s.sent_at), 'd.m.Y')} {timezone.localtime(s.sent_at):%H:%M:%S}"
        if s.next_attempt_at:
            return f"{_('neste forsøk')} {timezone.localtime(s.next_attempt_at):%H:%M}"
        return ""

    return JsonResponse(
        {
            "counts": counts,
            "text": _("Sendt %(sent)s av %(total)s") % {"sent": counts["sent"], "total": counts["email"]},
            "recipients": [
                {
                    "id": s.recipient.pk,
                    "state": s.state,
                    "state_label": _state_label(s.state),
                    "when": when(s),
                    "why": s.why,
                }
                for s in states
            ],
        }
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def dispatch_resend_failed(request, pk, cooperation):
    dispatch = _staff_dispatch(cooperation, pk)
    try:
        count = summons.dispatch_resend_failed(dispatch=dispatch, actor=request.user)
    except summons.MeetingsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)d e-poster er lagt i kø på nytt.") % {"count": count})
    return redirect("meetings:dispatch_detail", dispatch.pk)


# --- Calendar ---


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename, "text/calendar; charset=utf-8", inline=True, cache="private, max-age=300")


@require_GET
@member_required
def meeting_ics(request, pk):
    """One meeting as a calendar file, to add by hand."""
    meeting, _as_staff = _readable_meeting(request, pk)
    return _ics_response(calendar.meeting_ics(meeting, method="PUBLISH"), f"mote-{_file_stem(meeting)}.ics")


@require_GET
def body_feed(request, token):
    """Every published meeting of a body; the signed token in the address is the key."""
    body_id = calendar.body_from_token(token)
    body = get_object_or_404(Body.objects.select_related("cooperation"), pk=body_id) if body_id else None
    if body is None:
        raise Http404
    return _ics_response(calendar.body_feed(body), f"{file_stem(body.name)}.ics")


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
    cooperation = _staff_cooperation(request)
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
