"""Approving the minutes and sending them on: submitting for approval, signing by personal link, approval at a
later meeting, the approval itself (outcomes, the stored PDF), and the extract (særutskrift) sent to the
member municipalities."""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khs.lib import dates
from khs.lib.audit import audit_log
from khs.lib.pdf import html_to_pdf_pages
from khs.mail import cooperation_sender
from meetings.errors import MeetingsError
from meetings.models import (
    ApprovalMode,
    Case,
    DecisionExtract,
    DecisionExtractRecipient,
    Meeting,
    Minutes,
    MinutesItem,
    Participant,
    Signer,
)
from meetings.services.minutes.common import (
    SIGN_SALT,
    Decision,
    _audit,
    _lock,
    _send_after_commit,
    _touch,
    _user,
    document_words,
)
from membership.selectors import memberships_on

T = TypeVar("T")

# --- Approval --------------------------------------------------------------------------------------------------


def _content_check(minutes: Minutes) -> None:
    items = list(minutes.items.select_related("case"))
    if not items or not any(i.decision for i in items):
        raise MeetingsError(_("Protokollen er tom: registrer behandlingen av sakene før den godkjennes."))
    missing = [i.label or i.title for i in items if i.kind == MinutesItem.Kind.CASE and not i.decision]
    if missing:
        raise MeetingsError(_("Behandlingen mangler i sak %(cases)s.") % {"cases": ", ".join(missing)})


def signer_token(signer: Signer) -> str:
    return signing.dumps({"s": signer.pk, "m": signer.minutes_id, "n": str(signer.nonce)}, salt=SIGN_SALT)


def signer_url(signer: Signer) -> str:
    return settings.SITE_URL + reverse("meetings:minutes_sign", args=[signer.minutes_id, signer_token(signer)])


def signer_for_token(token: str, *, minutes_id: int) -> Signer:
    """The signer a personal link belongs to; a forged, foreign or replaced link is refused."""
    try:
        data = signing.loads(token, salt=SIGN_SALT)
    except signing.BadSignature as exc:
        raise MeetingsError(_("Lenken er ugyldig. Bruk lenken i e-posten du fikk.")) from exc
    if data.get("m") != minutes_id:
        raise MeetingsError(_("Lenken gjelder en annen protokoll."))
    signer = Signer.objects.select_related("minutes__meeting__body__cooperation").filter(pk=data.get("s")).first()
    if signer is None or str(signer.nonce) != data.get("n") or signer.minutes_id != minutes_id:
        raise MeetingsError(_("Lenken er ikke lenger gyldig: protokollen er sendt på nytt med nye lenker."))
    return signer


def _sign_message(signer: Signer, minutes: Minutes) -> EmailMessage:
    meeting, words = minutes.meeting, document_words(minutes.meeting.body)
    context = {
        "name": signer.name,
        "title": meeting.title,
        "date": dates.format_date(meeting.starts_at),
        "link": signer_url(signer),
        "cooperation": meeting.body.cooperation.name,
    }
    return EmailMessage(
        subject=words["sign_subject"] % context,
        body=words["sign_body"] % context,
        to=[signer.email],
        **cooperation_sender(meeting.body.cooperation),
    )


@transaction.atomic
def minutes_submit(
    *, minutes: Minutes, actor, version: int, signers=(), approving_meeting=None, notify: bool = True
) -> Minutes:
    """Put the draft up for approval: mail the chosen signers their personal links, or (approval at the next
    meeting) put "Godkjenning av protokoll fra forrige møte" on that meeting's agenda."""
    from meetings.services.cases import case_register

    minutes = _lock(minutes, version)
    _content_check(minutes)
    meeting = minutes.meeting
    messages = []
    if minutes.approval_mode == ApprovalMode.SIGNED:
        chosen = list(
            Participant.objects.filter(minutes=minutes, pk__in=[p.pk for p in signers]).select_related("invitee")
        )
        if not chosen:
            raise MeetingsError(_("Velg møtelederen og de som skal signere protokollen."))
        for participant in chosen:
            if not participant.is_present:
                raise MeetingsError(_("%(name)s var ikke til stede og kan ikke signere.") % {"name": participant.name})
            if not (participant.invitee and participant.invitee.email):
                raise MeetingsError(_("%(name)s har ingen e-postadresse.") % {"name": participant.name})
        minutes.signers.all().delete()
        for position, participant in enumerate(chosen, start=1):
            signer = Signer.objects.create(
                minutes=minutes,
                participant=participant,
                name=participant.name,
                email=participant.invitee.email,
                position=position,
            )
            messages.append(_sign_message(signer, minutes))
    else:
        if minutes.approval_case_id is None:
            if approving_meeting is None:
                raise MeetingsError(_("Velg møtet der protokollen skal godkjennes."))
            if approving_meeting.body_id != meeting.body_id or approving_meeting.starts_at <= meeting.starts_at:
                raise MeetingsError(_("Protokollen godkjennes i et senere møte i samme organ."))
            words, date = document_words(meeting.body), dates.format_date(meeting.starts_at)
            case = case_register(
                body=meeting.body,
                actor=actor,
                meeting=approving_meeting,
                title=words["approval_item"],
                proposed_resolution=f"<p>{words['approval_proposal'] % {'date': date}}</p>",
            )
            minutes.approval_case = case
            minutes.save(update_fields=["approval_case"])
    minutes.status = Minutes.Status.AWAITING
    minutes.save(update_fields=["status"])
    _touch(minutes, actor)
    _audit(
        actor=actor,
        verb="minutes_submit",
        obj=minutes,
        minutes=minutes,
        changes={"status": [Minutes.Status.DRAFT, Minutes.Status.AWAITING]},
        message=", ".join(s.to[0] for s in messages) if messages else str(minutes.approval_case or ""),
    )
    if notify:
        _send_after_commit(messages)
    return minutes


def _locked_signer(signer: Signer) -> tuple[Signer, Minutes]:
    minutes = Minutes.objects.select_for_update().select_related("meeting__body__cooperation").get(pk=signer.minutes_id)
    signer = Signer.objects.get(pk=signer.pk)
    if minutes.is_approved:
        raise MeetingsError(_("Protokollen er allerede godkjent."))
    if minutes.status != Minutes.Status.AWAITING:
        raise MeetingsError(_("Protokollen er ikke til signering nå; sekretariatet retter den."))
    if signer.signed_at is not None:
        raise MeetingsError(
            _("Lenken er brukt: du signerte protokollen %(when)s.")
            % {"when": f"{dates.format_date(signer.signed_at)} {dates.format_time(signer.signed_at)}"}
        )
    return signer, minutes


def minutes_sign(*, signer: Signer, now=None) -> Signer:
    """A signer confirms the minutes through their link; the last signature approves them."""
    now = now or timezone.now()
    return approving(lambda: _minutes_sign(signer=signer, now=now))


@transaction.atomic
def _minutes_sign(*, signer: Signer, now) -> Signer:
    signer, minutes = _locked_signer(signer)
    signer.signed_at = now
    signer.save(update_fields=["signed_at"])
    _audit(actor=None, verb="minutes_sign", obj=minutes, minutes=minutes, message=signer.name, action="event")
    if not minutes.signers.filter(signed_at__isnull=True).exists():
        _approve(minutes, actor=None, now=now)
    return signer


@transaction.atomic
def minutes_correction_request(*, signer: Signer, note: str, now=None) -> Signer:
    """A signer asks for a correction: the minutes go back to the clerk as a draft; signatures given lapse."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise MeetingsError(_("Skriv hva som bør rettes."))
    signer, minutes = _locked_signer(signer)
    signer.correction_requested_at, signer.correction_note = now, note[:2000]
    signer.save(update_fields=["correction_requested_at", "correction_note"])
    minutes.status = Minutes.Status.DRAFT
    minutes.save(update_fields=["status"])
    _touch(minutes, None, now)
    _audit(
        actor=None,
        verb="minutes_correction_request",
        obj=minutes,
        minutes=minutes,
        changes={"status": [Minutes.Status.AWAITING, Minutes.Status.DRAFT]},
        message=f"{signer.name}: {note[:200]}",
    )
    return signer


OUTCOMES = {
    Decision.UNANIMOUS: Case.Outcome.ADOPTED,
    Decision.VOTE: Case.Outcome.ADOPTED,
    Decision.NOT_ADOPTED: Case.Outcome.NOT_ADOPTED,
    Decision.DEFERRED: Case.Outcome.DEFERRED,
    Decision.NOTED: Case.Outcome.NOTED,
}


class _Rehearsal(Exception):
    """Rolls back the rehearsal of a change (see approving)."""


_rehearsal: ContextVar[list | None] = ContextVar("minutes_approval_rehearsal", default=None)


def approving(change: Callable[[], T]) -> T:
    """Run a change that may approve minutes, with the approved PDF rendered outside its transaction.

    The change is rehearsed first in a transaction that is rolled back, which collects the HTML of the
    minutes it would approve; that version is rendered (no transaction open, no row locked) and stored;
    then the change runs for real, and its approval takes the stored bytes of the same version. If the
    minutes changed in between, the approval refuses and the user tries again.
    """
    from meetings.documents import store
    from meetings.models import RenderedDocument

    collected = []
    token = _rehearsal.set(collected)
    try:
        with transaction.atomic():
            change()
            raise _Rehearsal
    except (_Rehearsal, MeetingsError):
        pass  # a refusal is raised again by the real run
    finally:
        _rehearsal.reset(token)
    for minutes_pk, html, key in collected:
        store.stored(
            RenderedDocument.Kind.MINUTES,
            minutes_pk,
            key,
            lambda html=html: html_to_pdf_pages(html),
            name=f"protokoll-{minutes_pk}.pdf",
        )
    return change()


def _approved_pdf(minutes: Minutes) -> bytes | None:
    """The stored PDF of the minutes as they now stand (approved); None while rehearsing (see approving)."""
    from meetings.documents import store
    from meetings.documents.minutes import minutes_html
    from meetings.documents.papers import document_language
    from meetings.models import RenderedDocument

    html = minutes_html(minutes)
    key = store.version_key(html, lang=document_language(minutes.meeting.body))
    rehearsal = _rehearsal.get()
    if rehearsal is not None:
        rehearsal.append((minutes.pk, html, key))
        return None
    document = RenderedDocument.objects.filter(
        kind=RenderedDocument.Kind.MINUTES, object_id=minutes.pk, content_sha256=key
    ).first()
    if document is None:
        raise MeetingsError(_("Protokollen ble endret mens den ble godkjent. Prøv igjen."))
    return store.read(document)


def _approve(minutes: Minutes, *, actor, now=None, by_meeting=None) -> Minutes:
    """Approve and lock: each case gets its outcome (deferred ones wait for a later meeting), the meeting becomes
    "minutes approved", and the PDF as approved is stored with its SHA-256.

    The PDF was rendered before the transaction (approving); here its stored bytes are copied.
    """
    from meetings.services.meetings import meeting_status_set

    now = now or timezone.now()
    meeting = minutes.meeting
    for item in minutes.items.select_related("case").filter(case__isnull=False):
        case = item.case
        case.outcome = OUTCOMES.get(item.decision, "")
        case.resolution = item.resolution if item.decision != Decision.DEFERRED else ""
        case.decided_at = meeting.starts_at
        fields = ["outcome", "resolution", "decided_at"]
        if item.decision == Decision.DEFERRED:
            case.meeting, case.agenda_position = None, 0  # keeps its number; can be put on a later meeting
            fields += ["meeting", "agenda_position"]
        case.save(update_fields=fields)
    if meeting.status == Meeting.Status.SUMMONED:
        meeting_status_set(meeting=meeting, actor=actor, status=Meeting.Status.HELD)
    meeting_status_set(meeting=meeting, actor=actor, status=Meeting.Status.MINUTES_APPROVED)
    minutes.meeting.refresh_from_db()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = now
    minutes.approved_by_meeting = by_meeting
    pdf = _approved_pdf(minutes)
    if pdf is not None:  # None only in the rehearsal, which is rolled back
        minutes.document.save(
            f"protokoll-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf", ContentFile(pdf), save=False
        )
        minutes.document_sha256 = hashlib.sha256(pdf).hexdigest()
    minutes.save()
    _audit(
        actor=actor,
        verb="minutes_approve",
        obj=minutes,
        minutes=minutes,
        changes={
            "status": [Minutes.Status.AWAITING, Minutes.Status.APPROVED],
            "document_sha256": minutes.document_sha256,
        },
        message=f"approved at {by_meeting}" if by_meeting else "signed",
    )
    return minutes


# --- Melding om vedtak / særutskrift ---------------------------------------------------------------------------


def _municipality_address(meeting: Meeting, municipality) -> tuple[str, str]:
    """(name, e-mail) of the municipality's representative at the meeting (usually the mayor)."""
    invitee = (
        meeting.invitees.filter(municipality=municipality, deputy_for=None, is_guest=False).exclude(email="").first()
    )
    if invitee is not None:
        return invitee.name, invitee.email
    return municipality.name, ""


def case_extract_send(*, item: MinutesItem, actor, now=None) -> DecisionExtract:
    """Send each member municipality a one-case extract (PDF) of the decision; recorded per recipient.

    The extract is the stored version of the item as it stands, rendered (if new) before the transaction.
    """
    from meetings.documents import store
    from meetings.documents.minutes import extract_document

    item = MinutesItem.objects.select_related("case", "minutes__meeting__body__cooperation").get(pk=item.pk)
    if item.case_id is None or not item.decision:
        raise MeetingsError(_("Melding om vedtak kan sendes for en sak som er behandlet."))
    document = extract_document(item)
    return _extract_record(item=item, pdf=store.read(document), actor=actor, now=now or timezone.now())


@transaction.atomic
def _extract_record(*, item: MinutesItem, pdf: bytes, actor, now) -> DecisionExtract:
    meeting, words = item.minutes.meeting, document_words(item.minutes.meeting.body)
    extract = DecisionExtract(
        case=item.case, item=item, sent_at=now, sent_by=_user(actor), document_sha256=hashlib.sha256(pdf).hexdigest()
    )
    extract.document.save(f"saerutskrift-{item.case.year}-{item.case.number}.pdf", ContentFile(pdf), save=False)
    extract.save()
    context = {
        "label": item.case.label,
        "title": item.case.title,
        "body": meeting.body.name,
        "date": dates.format_date(meeting.starts_at),
        "cooperation": meeting.body.cooperation.name,
    }
    messages, recipients = [], []
    for membership in memberships_on(meeting.body.cooperation_id, timezone.localdate(meeting.starts_at)):
        name, email = _municipality_address(meeting, membership.municipality)
        channel = DecisionExtractRecipient.Channel.EMAIL if email else DecisionExtractRecipient.Channel.PRINT
        recipients.append(
            DecisionExtractRecipient(
                extract=extract, municipality=membership.municipality, name=name, email=email, channel=channel
            )
        )
        if email:
            message = EmailMessage(
                subject=words["extract_subject"] % context,
                body=words["extract_body"] % {"name": name, **context},
                to=[email],
                **cooperation_sender(meeting.body.cooperation),
            )
            message.attach(extract.document.name.rsplit("/", 1)[-1], pdf, "application/pdf")
            messages.append(message)
    DecisionExtractRecipient.objects.bulk_create(recipients)
    audit_log(
        actor=actor,
        action="event",
        verb="case_extract_send",
        obj=item.case,
        message=f"{len(messages)} e-post, {len(recipients) - len(messages)} til utskrift",
        cooperation_id=meeting.body.cooperation_id,
    )
    _send_after_commit(messages)
    return extract
