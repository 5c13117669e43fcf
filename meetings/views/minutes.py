"""Pages of the minutes: the clerk's draft (explicit save, versioned), approval, the PDF, the signers' link.

Writes: POST, one form, one service call, redirect with a message. A stale version or a broken rule is shown
as a message and changes nothing.
"""

from functools import partial

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from khs.lib.access import perm_required
from khs.lib.downloads import file_response
from meetings import rules
from meetings.documents.minutes import minutes_pdf as render_minutes_pdf
from meetings.errors import MeetingsError
from meetings.forms.minutes import (
    DisqualificationForm,
    ItemAddForm,
    MinutesHeaderForm,
    MinutesItemForm,
    MinutesSettingsForm,
    ParticipantAddForm,
    ProposalForm,
    SignForm,
)
from meetings.models import Meeting, Minutes, MinutesItem, Participant, Vote, VoteWeight
from meetings.services import minutes as svc
from meetings.views.access import _body, _meeting
from membership.scope import cooperation_required
from membership.selectors import memberships_on

Status = Meeting.Status


def _minutes(cooperation, pk) -> Minutes:
    """The minutes of a meeting of the staff user's cooperation, or 404."""
    meeting = _meeting(cooperation, pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting__body__cooperation").first()
    if minutes is None:
        raise Http404
    minutes.meeting = meeting
    return minutes


def _back(minutes, anchor=""):
    return redirect(f"{minutes.meeting.get_absolute_url()}minutes/{anchor}")


def _run(request, minutes, call, done: str, anchor=""):
    try:
        call()
    except MeetingsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(minutes, anchor)


def _form_run(request, minutes, form, *, invalid, service, done: str, anchor=""):
    """A POST of the minutes page: the form, then one service call with its data, the clerk and the version
    of the minutes the clerk edited; what was wrong or what was done is said on the minutes page."""
    if not form.is_valid():
        messages.error(request, invalid(form) if callable(invalid) else invalid)
        return _back(minutes, anchor)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    return _run(request, minutes, lambda: service(actor=request.user, version=version, **data), done, anchor)


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_start(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    try:
        minutes = svc.minutes_create(meeting=meeting, actor=request.user)
    except MeetingsError as exc:
        messages.error(request, exc.message)
        return redirect(meeting.get_absolute_url())
    minutes.meeting = meeting
    return _back(minutes)


def _item_rows(minutes, participants):
    items = list(
        minutes.items.select_related("case", "corrects__minutes__meeting").prefetch_related(
            "proposals",
            Prefetch("votes", queryset=Vote.objects.all()),
            "disqualifications__participant",
            "disqualifications__substitute",
        )
    )
    rows = []
    for item in items:
        voters = rules.item_voters(item, participants, list(item.disqualifications.all()))
        chosen = {v.participant_id: v.choice for v in item.votes.all()}
        initial = {
            "version": minutes.version,
            "resolution": item.resolution,
            "decision": item.decision,
            "vote_mode": item.vote_mode,
            "votes_for": item.votes_for if not chosen else None,
            "votes_against": item.votes_against if not chosen else None,
            "votes_blank": item.votes_blank if not chosen else None,
            "notes": item.notes,
            "closed_session": item.closed_session,
            "closed_basis": item.closed_basis,
        }
        rows.append(
            {
                "item": item,
                "form": MinutesItemForm(initial=initial, prefix=f"item{item.pk}"),
                "voters": [(p, chosen.get(p.pk, "")) for p in voters],
                "proposal_form": ProposalForm(initial={"version": minutes.version}, prefix=f"prop{item.pk}"),
                "disq_form": DisqualificationForm(
                    initial={"version": minutes.version}, prefix=f"disq{item.pk}", minutes=minutes
                ),
            }
        )
    return rows


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def minutes_detail(request, pk, cooperation):
    meeting = _meeting(cooperation, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        return render(
            request,
            "meetings/minutes_start.html",
            {"meeting": meeting, "may_start": rules.minutes_may_start(meeting, timezone.now())},
        )
    minutes.meeting = meeting
    participants = list(minutes.participants.select_related("municipality", "deputy_for", "invitee"))
    header = MinutesHeaderForm(
        initial={
            "version": minutes.version,
            **{f: getattr(minutes, f) for f in svc.HEADER_FIELDS},
            "started_at": timezone.localtime(minutes.started_at),
            "ended_at": timezone.localtime(minutes.ended_at) if minutes.ended_at else None,
        }
    )
    later_meetings = Meeting.objects.filter(
        body=meeting.body, starts_at__gt=meeting.starts_at, status__in=Meeting.OPEN_STATUSES
    ).order_by("starts_at")
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "editable": rules.minutes_is_editable(minutes) and request.user.has_perm("meetings.change_meeting"),
            "participants": participants,
            "attendance_choices": Participant.Attendance.choices,
            "vote_choices": Vote.Choice.choices,
            "header": header,
            "rows": _item_rows(minutes, participants),
            "item_add_form": ItemAddForm(initial={"version": minutes.version}, prefix="add"),
            "participant_add_form": ParticipantAddForm(initial={"version": minutes.version}, prefix="person"),
            "signers": list(minutes.signers.all()),
            "signable": [p for p in participants if p.is_present and p.invitee_id and p.invitee.email],
            "later_meetings": later_meetings,
        },
    )


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_header(request, pk, cooperation):
    minutes = _minutes(cooperation, pk)
    attendance = {}
    for participant in minutes.participants.all():
        value = request.POST.get(f"attendance_{participant.pk}")
        if value:
            attendance[participant.pk] = value
    return _form_run(
        request,
        minutes,
        MinutesHeaderForm(request.POST),
        invalid=lambda form: _("Sjekk tid og felt i protokollens hode: %(errors)s") % {"errors": form.errors.as_text()},
        service=partial(svc.minutes_update, minutes=minutes, attendance=attendance),
        done=_("Protokollen er lagret."),
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_item(request, pk, item_pk, cooperation):
    minutes = _minutes(cooperation, pk)
    item = get_object_or_404(MinutesItem, pk=item_pk, minutes=minutes)
    prefix = f"item{item.pk}-vote_"
    named = {
        int(key[len(prefix) :]): value
        for key, value in request.POST.items()
        if key.startswith(prefix) and key[len(prefix) :].isdigit() and value
    }
    return _form_run(
        request,
        minutes,
        MinutesItemForm(request.POST, prefix=f"item{item.pk}"),
        invalid=lambda form: _("Sjekk feltene: %(errors)s") % {"errors": form.errors.as_text()},
        service=partial(svc.minutes_item_update, item=item, named_votes=named or None),
        done=_("%(item)s er lagret.") % {"item": item.label or item.title},
        anchor=f"#item-{item.pk}",
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_proposal_add(request, pk, item_pk, cooperation):
    minutes = _minutes(cooperation, pk)
    item = get_object_or_404(MinutesItem, pk=item_pk, minutes=minutes)
    return _form_run(
        request,
        minutes,
        ProposalForm(request.POST, prefix=f"prop{item.pk}"),
        invalid=_("Skriv hvem som fremmet forslaget og hva det gikk ut på."),
        service=partial(svc.minutes_proposal_add, item=item),
        done=_("Forslaget er lagt til."),
        anchor=f"#item-{item.pk}",
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_disqualification_add(request, pk, item_pk, cooperation):
    minutes = _minutes(cooperation, pk)
    item = get_object_or_404(MinutesItem, pk=item_pk, minutes=minutes)
    return _form_run(
        request,
        minutes,
        DisqualificationForm(request.POST, prefix=f"disq{item.pk}", minutes=minutes),
        invalid=_("Velg den inhabile og skriv organets avgjørelse."),
        service=partial(svc.minutes_disqualification_add, item=item),
        done=_("Inhabiliteten er registrert."),
        anchor=f"#item-{item.pk}",
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_item_add(request, pk, cooperation):
    minutes = _minutes(cooperation, pk)
    return _form_run(
        request,
        minutes,
        ItemAddForm(request.POST, prefix="add"),
        invalid=_("Punktet må ha en tittel."),
        service=partial(svc.minutes_item_add, minutes=minutes),
        done=_("Punktet er lagt til."),
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_participant_add(request, pk, cooperation):
    minutes = _minutes(cooperation, pk)
    return _form_run(
        request,
        minutes,
        ParticipantAddForm(request.POST, prefix="person"),
        invalid=_("Skriv navnet på den som møtte."),
        service=partial(svc.minutes_participant_add, minutes=minutes),
        done=_("Deltakeren er lagt til."),
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_submit(request, pk, cooperation):
    minutes = _minutes(cooperation, pk)
    signer_ids = [int(v) for v in request.POST.getlist("signers") if v.isdigit()]
    signers = list(minutes.participants.filter(pk__in=signer_ids))
    approving = None
    if request.POST.get("approving_meeting", "").isdigit():
        approving = Meeting.objects.filter(pk=int(request.POST["approving_meeting"]), body=minutes.meeting.body).first()
    return _run(
        request,
        minutes,
        lambda: svc.minutes_submit(
            minutes=minutes, actor=request.user, version=_version(request), signers=signers, approving_meeting=approving
        ),
        _("Protokollen er sendt til godkjenning."),
    )


@require_POST
@perm_required("meetings.change_meeting")
@cooperation_required
def minutes_extract_send(request, pk, item_pk, cooperation):
    minutes = _minutes(cooperation, pk)
    item = get_object_or_404(MinutesItem, pk=item_pk, minutes=minutes)
    return _run(
        request,
        minutes,
        lambda: svc.case_extract_send(item=item, actor=request.user),
        _("Melding om vedtak er sendt til medlemskommunene."),
        f"#item-{item.pk}",
    )


@require_GET
@perm_required("meetings.view_meeting")
@cooperation_required
def minutes_pdf(request, pk, cooperation):
    """The approved PDF as stored (byte for byte), or the draft as it stands."""
    minutes = _minutes(cooperation, pk)
    if minutes.is_approved and minutes.document:
        data = minutes.document.read()
    else:
        data = render_minutes_pdf(minutes)
    filename = f"protokoll-{timezone.localtime(minutes.meeting.starts_at):%Y-%m-%d}.pdf"
    return file_response(data, filename, "application/pdf", inline=True)


# --- The signer's personal link (no sign-in: the signed link is the credential) --------------------------------


@never_cache
def minutes_sign(request, pk, token):
    try:
        signer = svc.signer_for_token(token, minutes_id=pk)
    except MeetingsError as exc:
        return render(request, "meetings/minutes_sign.html", {"problem": exc.message}, status=404)
    minutes = signer.minutes
    form = SignForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "correct":
                svc.minutes_correction_request(signer=signer, note=request.POST.get("note", ""))
                messages.success(request, _("Takk. Sekretariatet har fått beskjed om hva som bør rettes."))
            else:
                svc.minutes_sign(signer=signer)
                messages.success(request, _("Takk. Du har signert protokollen."))
        except MeetingsError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    signer.refresh_from_db()
    minutes.refresh_from_db()
    return render(
        request,
        "meetings/minutes_sign.html",
        {"signer": signer, "minutes": minutes, "meeting": minutes.meeting, "form": form, "token": token},
    )


@require_GET
def minutes_sign_pdf(request, pk, token):
    try:
        signer = svc.signer_for_token(token, minutes_id=pk)
    except MeetingsError as exc:
        raise Http404 from exc
    minutes = signer.minutes
    data = minutes.document.read() if minutes.is_approved and minutes.document else render_minutes_pdf(minutes)
    return HttpResponse(data, content_type="application/pdf")


# --- The body's minutes settings ------------------------------------------------------------------------------


@perm_required("membership.change_body")
@cooperation_required
def body_minutes_settings(request, pk, cooperation):
    body = _body(cooperation, pk)
    current = svc.minutes_settings_for(body)
    municipalities = [m.municipality for m in memberships_on(cooperation.pk, timezone.localdate())]
    weights = dict(VoteWeight.objects.filter(body=body).values_list("municipality_id", "weight"))
    form = MinutesSettingsForm(
        request.POST or None,
        initial={"approval_mode": current.approval_mode, "weighted_votes": current.weighted_votes},
        municipalities=municipalities,
        weights=weights,
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.body_minutes_settings_set(
                actor=request.user,
                body=body,
                approval_mode=form.cleaned_data["approval_mode"],
                weighted_votes=form.cleaned_data["weighted_votes"],
                weights=form.weights(),
            )
        except MeetingsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Innstillingene for protokollen er lagret."))
            return redirect("meetings:body_detail", pk=body.pk)
    return render(request, "meetings/body_minutes_settings.html", {"body": body, "form": form})
