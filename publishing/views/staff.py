"""The secretariat's pages of this app: publication of a case, follow-ups, member decisions, archive export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from khs.lib.access import perm_required
from khs.lib.dates import local
from khs.lib.downloads import file_response, file_stem
from meetings.models import Case, DecisionExtract, Meeting
from membership.models import Body
from membership.scope import cooperation_required, get_for_cooperation_or_404
from publishing import archive, selectors, services
from publishing.errors import PublishingError
from publishing.forms import CasePublicationForm, FollowUpForm, MeetingPublicationForm, MemberDecisionForm
from publishing.models import CasePublication, FollowUp, MeetingPublication, MemberDecision


def _case(cooperation, pk) -> Case:
    return get_for_cooperation_or_404(
        Case.objects.select_related("body__cooperation", "meeting"), cooperation, path="body__cooperation", pk=pk
    )


@perm_required("meetings.change_case")
@cooperation_required
def case_publication(request, pk, cooperation):
    case = _case(cooperation, pk)
    publication = CasePublication.objects.filter(case=case).first()
    initial = {}
    if publication:
        initial = {
            "public_title": publication.public_title,
            "publish_from": local(publication.publish_from) if publication.publish_from else None,
            "exempt": publication.exempt,
            "legal_basis": publication.legal_basis,
            "municipalities": list(publication.municipalities.all()),
        }
    form = CasePublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_publication_set(case=case, actor=request.user, **form.cleaned_data)
        except PublishingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Publiseringen er lagret."))
            return redirect(case.get_absolute_url())
    return render(request, "publishing/case_publication.html", {"case": case, "form": form})


@perm_required("meetings.change_meeting")
@cooperation_required
def meeting_publication(request, pk, cooperation):
    """Hold a meeting's summons and minutes back from the public until a date."""
    meeting = get_for_cooperation_or_404(
        Meeting.objects.select_related("body"), cooperation, path="body__cooperation", pk=pk
    )
    publication = MeetingPublication.objects.filter(meeting=meeting).first()
    initial = {"publish_from": local(publication.publish_from) if publication and publication.publish_from else None}
    form = MeetingPublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.meeting_publication_set(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Publiseringen er lagret."))
        return redirect(meeting.get_absolute_url())
    return render(request, "publishing/meeting_publication.html", {"meeting": meeting, "form": form})


@require_GET
@perm_required("meetings.view_case")
@cooperation_required
def follow_up_list(request, cooperation):
    body = None
    if request.GET.get("body", "").isdigit():
        body = get_for_cooperation_or_404(Body.objects.all(), cooperation, pk=int(request.GET["body"]))
    today = local(timezone.now()).date()
    return render(
        request,
        "publishing/follow_up_list.html",
        {
            "follow_ups": selectors.open_follow_ups(cooperation, body=body),
            "bodies": cooperation.bodies.order_by("name"),
            "body": body,
            "today": today,
            "archive_years": [today.year - 1, today.year],
        },
    )


@perm_required("meetings.change_case")
@cooperation_required
def follow_up_create(request, pk, cooperation):
    case = _case(cooperation, pk)
    form = FollowUpForm(request.POST or None, initial={"status": FollowUp.Status.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(case=case, actor=request.user, **form.cleaned_data)
        except PublishingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Oppfølgingen er registrert."))
            return redirect("publishing:follow_up_list")
    return render(request, "publishing/follow_up_form.html", {"case": case, "form": form})


@perm_required("meetings.change_case")
@cooperation_required
def follow_up_update(request, pk, cooperation):
    follow_up = get_for_cooperation_or_404(
        FollowUp.objects.select_related("case__body"), cooperation, path="case__body__cooperation", pk=pk
    )
    form = FollowUpForm(
        request.POST or None,
        initial={k: getattr(follow_up, k) for k in ("responsible", "deadline", "status", "notes")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(follow_up=follow_up, actor=request.user, **form.cleaned_data)
        except PublishingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Oppfølgingen er oppdatert."))
            return redirect("publishing:follow_up_list")
    return render(
        request, "publishing/follow_up_form.html", {"case": follow_up.case, "form": form, "follow_up": follow_up}
    )


@perm_required("meetings.view_case")
@cooperation_required
def member_decision_list(request, pk, cooperation):
    """Per municipality the request and its own decision; POST follows up the latest extract's recipients."""
    case = _case(cooperation, pk)
    extract = DecisionExtract.objects.filter(case=case).order_by("-sent_at").first()
    if request.method == "POST":
        if not request.user.has_perm("meetings.change_case"):
            raise PermissionDenied
        if extract is not None:
            created = services.member_decisions_from_extract(extract=extract, actor=request.user)
            messages.success(request, _("%(n)s kommuner følges opp.") % {"n": len(created)})
        return redirect("publishing:member_decision_list", case.pk)
    return render(
        request,
        "publishing/member_decision_list.html",
        {"case": case, "summary": selectors.member_decisions(case), "extract": extract},
    )


@perm_required("meetings.change_case")
@cooperation_required
def member_decision_record(request, pk, cooperation):
    decision = get_for_cooperation_or_404(
        MemberDecision.objects.select_related("case__body", "municipality", "invitation"),
        cooperation,
        path="case__body__cooperation",
        pk=pk,
    )
    form = MemberDecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_decision_record(decision=decision, actor=request.user, **form.cleaned_data)
        except PublishingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kommunens vedtak er registrert."))
            return redirect("publishing:member_decision_list", decision.case_id)
    return render(request, "publishing/member_decision_form.html", {"decision": decision, "form": form})


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def archive_export(request, pk, year, cooperation):
    body = get_for_cooperation_or_404(Body.objects.select_related("cooperation"), cooperation, pk=pk)
    data = archive.export_zip(body, year)
    return file_response(data, f"noark5-{file_stem(body.name)}-{year}.zip", "application/zip")
