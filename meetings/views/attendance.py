"""Views of attendance: the invitee's personal link, a member's own meetings, and the secretariat's pages."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from khs.lib import dates
from khs.lib.access import member_person, member_required, perm_required
from khs.lib.downloads import content_disposition, file_response
from meetings import rules
from meetings.documents.participants import participant_list_csv, participant_list_pdf
from meetings.forms.attendance import AnswerForm, CheckInForm
from meetings.models import CaseAttachment
from meetings.selectors.attendance import (
    agenda_cases,
    attendance_overview,
    meetings_with_answers,
    member_invitations,
    present_count,
)
from meetings.services.attendance import (
    AnswerLinkError,
    MeetingsError,
    attendance_answer,
    attendance_check_in,
    attendance_remind,
    deadline_text,
    deputy_candidates,
    invitee_for_token,
    meeting_contact,
)
from meetings.views.access import _meeting, _my_invitee
from membership.scope import cooperation_required

VIEW, CHANGE = "meetings.view_meeting", "meetings.change_meeting"


def _answer_page(request, invitee, *, by_clerk: bool, template: str, done_url: str, extra: dict | None = None):
    """GET shows the meeting and the answer form; POST answers through the service and redirects."""
    now = timezone.now()
    actor = request.user if request.user.is_authenticated else None
    is_open = rules.answer_is_open(invitee, now=now, by_clerk=by_clerk)
    candidates = deputy_candidates(invitee) if is_open and not invitee.deputy_for_id else []
    deputy = invitee.deputies.order_by("pk").first() if not invitee.deputy_for_id else None
    form = AnswerForm(invitee=invitee, candidates=candidates, deputy=deputy, by_clerk=by_clerk)
    if request.method == "POST":
        form = AnswerForm(request.POST, invitee=invitee, candidates=candidates, deputy=deputy, by_clerk=by_clerk)
        if not is_open:
            messages.error(request, _("Fristen for å svare har gått ut. Svaret ble ikke endret."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                invitee = attendance_answer(
                    actor=actor,
                    invitee=invitee,
                    response=data["response"],
                    note=data["note"],
                    deputy_person=data["deputy"],
                    deputy_name=data.get("deputy_name", ""),
                    deputy_email=data.get("deputy_email", ""),
                    by_clerk=by_clerk,
                    now=now,
                )
            except MeetingsError as exc:
                form.add_error(None, str(exc))
            else:
                answer = invitee.get_response_display()
                if by_clerk:
                    messages.success(
                        request,
                        _("Svaret for %(name)s er registrert: %(answer)s.") % {"name": invitee.name, "answer": answer},
                    )
                else:
                    messages.success(
                        request,
                        _("Takk! Svaret ditt er registrert: %(answer)s. Du får en bekreftelse på e-post.")
                        % {"answer": answer},
                    )
                return redirect(done_url)
    deadline = rules.answer_deadline(invitee)
    lang = (translation.get_language() or "nb")[:2]
    context = {
        "invitee": invitee,
        "meeting": invitee.meeting,
        "form": form,
        "is_open": is_open,
        "deputy": deputy,
        "deadline": deadline,
        "deadline_text": deadline_text(deadline, lang),
        "contact": meeting_contact(invitee.meeting),
        "by_clerk": by_clerk,
        **(extra or {}),
    }
    return render(request, template, context)


def _link_problem(request, problem: AnswerLinkError):
    return render(
        request,
        "meetings/attendance_link_problem.html",
        {"reason": problem.reason, "meeting": problem.meeting},
        status=problem.status,
    )


def _document(meeting, pk):
    attachment = get_object_or_404(CaseAttachment.objects.select_related("case"), pk=pk, case__meeting=meeting)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    name = getattr(attachment, "original_name", "") or attachment.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = content_disposition(name, inline=True)
    return response


def _pdf(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename, "application/pdf", inline=True)


def _summons(meeting):
    from meetings import documents

    return _pdf(documents.summons_pdf(meeting), f"innkalling-{meeting.pk}.pdf")


def _case_document(meeting, pk):
    from meetings import documents
    from meetings.models import Case

    case = get_object_or_404(Case.objects.exclude(status=Case.Status.WITHDRAWN), pk=pk, meeting=meeting)
    return _pdf(documents.case_document_pdf(case), f"saksframlegg-{case.pk}.pdf")


# --- The invitee's personal link (no sign-in) ------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        invitee = invitee_for_token(token, now=timezone.now())
    except AnswerLinkError as problem:
        return _link_problem(request, problem)
    url = reverse("meetings:attendance_answer", args=[token])
    return _answer_page(
        request,
        invitee,
        by_clerk=False,
        template="meetings/attendance_answer.html",
        done_url=url,
        extra={"cases": agenda_cases(invitee.meeting), "document_url": url + "documents/"},
    )


def _for_link(request, token, show):
    """A paper of the meeting behind a personal answer link, or the page that says what is wrong with it."""
    try:
        invitee = invitee_for_token(token, now=timezone.now())
    except AnswerLinkError as problem:
        return _link_problem(request, problem)
    return show(invitee.meeting)


@never_cache
@require_GET
def answer_document(request, token, pk):
    return _for_link(request, token, lambda meeting: _document(meeting, pk))


@never_cache
@require_GET
def answer_summons(request, token):
    return _for_link(request, token, _summons)


@never_cache
@require_GET
def answer_case_document(request, token, pk):
    return _for_link(request, token, lambda meeting: _case_document(meeting, pk))


# --- A signed-in member ----------------------------------------------------------------------------------


@require_GET
@member_required
def my_meetings(request):
    person = member_person(request.user)
    upcoming, past = member_invitations(person, now=timezone.now()) if person else ([], [])
    return render(request, "meetings/attendance_my_meetings.html", {"upcoming": upcoming, "past": past})


@never_cache
@require_http_methods(["GET", "POST"])
@member_required
def my_answer(request, invitee_pk):
    invitee = _my_invitee(request, invitee_pk)
    url = reverse("meetings:attendance_my_answer", args=[invitee.pk])
    return _answer_page(
        request,
        invitee,
        by_clerk=False,
        template="meetings/attendance_answer.html",
        done_url=url,
        extra={"cases": agenda_cases(invitee.meeting), "document_url": url + "documents/", "signed_in": True},
    )


@require_GET
@member_required
def my_document(request, invitee_pk, pk):
    return _document(_my_invitee(request, invitee_pk).meeting, pk)


@require_GET
@member_required
def my_summons(request, invitee_pk):
    return _summons(_my_invitee(request, invitee_pk).meeting)


@require_GET
@member_required
def my_case_document(request, invitee_pk, pk):
    return _case_document(_my_invitee(request, invitee_pk).meeting, pk)


# --- The secretariat ---------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
@cooperation_required
def index(request, cooperation):
    meetings = meetings_with_answers(cooperation, now=timezone.now())
    return render(request, "meetings/attendance_index.html", {"meetings": meetings})


@require_GET
@perm_required(VIEW)
@cooperation_required
def overview(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    return render(
        request,
        "meetings/attendance_overview.html",
        {
            "meeting": meeting,
            "overview": attendance_overview(meeting),
            "can_change": request.user.has_perm(CHANGE),
            "can_remind": request.user.has_perm(CHANGE) and rules.may_remind(meeting),
        },
    )


@require_POST
@perm_required(CHANGE)
@cooperation_required
def remind(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    try:
        sent = attendance_remind(actor=request.user, meeting=meeting)
    except MeetingsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Påminnelse sendt til %(count)s som ikke har svart.") % {"count": len(sent)})
    return redirect("meetings:attendance_overview", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
@perm_required(CHANGE)
@cooperation_required
def clerk_answer(request, pk, invitee_pk, cooperation):
    meeting = _meeting(cooperation, pk)
    invitee = get_object_or_404(meeting.invitees.select_related("municipality", "deputy_for"), pk=invitee_pk)
    invitee.meeting = meeting
    return _answer_page(
        request,
        invitee,
        by_clerk=True,
        template="meetings/attendance_clerk_answer.html",
        done_url=reverse("meetings:attendance_overview", args=[meeting.pk]),
    )


def _participant_file(meeting, render_list, content_type: str, suffix: str, disposition: str) -> HttpResponse:
    """The participant list as a file: deltakere-<date>-<meeting>.<suffix>."""
    filename = f"deltakere-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{meeting.pk}.{suffix}"
    data = render_list(attendance_overview(meeting))
    return file_response(data, filename, content_type, inline=disposition == "inline")


@require_GET
@perm_required(VIEW)
@cooperation_required
def participants_pdf(request, pk, cooperation):
    return _participant_file(_meeting(cooperation, pk), participant_list_pdf, "application/pdf", "pdf", "inline")


@require_GET
@perm_required(VIEW)
@cooperation_required
def participants_csv(request, pk, cooperation):
    return _participant_file(
        _meeting(cooperation, pk), participant_list_csv, "text/csv; charset=utf-8", "csv", "attachment"
    )


@require_GET
@perm_required(VIEW)
@cooperation_required
def check_in(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    return render(
        request,
        "meetings/attendance_check_in.html",
        {
            "meeting": meeting,
            "overview": attendance_overview(meeting),
            "can_change": request.user.has_perm(CHANGE),
            "today": dates.format_date(timezone.now()),
        },
    )


@require_POST
@perm_required(CHANGE)
@cooperation_required
def check_in_mark(request, pk, invitee_pk, cooperation):
    """One row of the check-in list; answers JSON to the page's script, else redirects back to the row."""
    meeting = _meeting(cooperation, pk)
    invitee = get_object_or_404(meeting.invitees, pk=invitee_pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = CheckInForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Ugyldig verdi for oppmøte.")
    else:
        try:
            invitee = attendance_check_in(actor=request.user, invitee=invitee, present=form.cleaned_data["present"])
        except MeetingsError as exc:
            error = str(exc)
    if wants_json:
        if error:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"present": invitee.present, "present_count": present_count(meeting)})
    if error:
        messages.error(request, error)
    return redirect(reverse("meetings:attendance_check_in", args=[meeting.pk]) + f"#invitee-{invitee.pk}")
