"""Sending the summons (innkalling): to every invitee, once per version, with the PDF and a calendar invitation.

Services (state changes, audited):
- meeting_summon: the summons to every invitee who has not had it yet (draft -> summoned).
- meeting_summons_resend: after a change, the updated summons to everyone, saying what changed.
- meeting_supplementary_summon: the cases added since, as a supplementary summons (tilleggsinnkalling).
- meeting_cancel_notify: the cancellation (METHOD:CANCEL) to everyone who was summoned.

Each renders its document once per meeting, then sends one message per recipient over one
connection. Every recipient is recorded (Dispatch / DispatchRecipient); invitees without an e-mail
address are listed for printing. A mail that cannot be handed over is recorded with its error and
tried again at the next sending.
"""

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.mime.application import MIMEApplication
from email.utils import parseaddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khs.lib import dates
from khs.lib.audit import audit_log
from khs.lib.text import mail_subject
from meetings import documents
from meetings.documents import calendar
from meetings.errors import MeetingsError
from meetings.models import Dispatch, DispatchRecipient, Meeting
from meetings.services.attendance import invitee_answer_url

MAIL_WORDS = {
    "nb": {
        "subject_summons": "Innkalling: {title} {date}",
        "subject_update": "Endret innkalling: {title} {date}",
        "subject_supplementary": "Tilleggsinnkalling: {title} {date}",
        "subject_cancel": "Avlyst: {title} {date}",
        "greeting": "Til {name}",
        "intro_summons": "Du er innkalt til {title}. Innkallingen med sakene ligger ved som PDF, og møtet ligger "
        "ved som kalenderinvitasjon.",
        "intro_update": "Innkallingen til {title} er endret. Den oppdaterte innkallingen og kalenderinvitasjonen "
        "ligger ved.",
        "intro_supplementary": "Det er meldt flere saker til {title}. Tilleggsinnkallingen med de nye sakene "
        "ligger ved.",
        "intro_cancel": "Møtet «{title}» er avlyst. Kalenderinvitasjonen som ligger ved, fjerner møtet fra "
        "kalenderen din.",
        "what_changed": "Dette er endret:",
        "reason": "Begrunnelse",
        "register_deadline": "Meld deg på eller av innen {deadline} her:",
        "register": "Meld deg på eller av her:",
        "questions": "Spørsmål kan rettes til {contact}.",
        "regards": "Med vennlig hilsen",
        "file_summons": "innkalling",
        "file_update": "innkalling",
        "file_supplementary": "tilleggsinnkalling",
        "file_cancel": "avlysning",
        "file_calendar": "invitasjon.ics",
    },
    "nn": {
        "subject_summons": "Innkalling: {title} {date}",
        "subject_update": "Endra innkalling: {title} {date}",
        "subject_supplementary": "Tilleggsinnkalling: {title} {date}",
        "subject_cancel": "Avlyst: {title} {date}",
        "greeting": "Til {name}",
        "intro_summons": "Du er kalla inn til {title}. Innkallinga med sakene ligg ved som PDF, og møtet ligg "
        "ved som kalenderinvitasjon.",
        "intro_update": "Innkallinga til {title} er endra. Den oppdaterte innkallinga og kalenderinvitasjonen "
        "ligg ved.",
        "intro_supplementary": "Det er meldt fleire saker til {title}. Tilleggsinnkallinga med dei nye sakene "
        "ligg ved.",
        "intro_cancel": "Møtet «{title}» er avlyst. Kalenderinvitasjonen som ligg ved, fjernar møtet frå "
        "kalenderen din.",
        "what_changed": "Dette er endra:",
        "reason": "Grunngjeving",
        "register_deadline": "Meld deg på eller av innan {deadline} her:",
        "register": "Meld deg på eller av her:",
        "questions": "Spørsmål kan rettast til {contact}.",
        "regards": "Med venleg helsing",
        "file_summons": "innkalling",
        "file_update": "innkalling",
        "file_supplementary": "tilleggsinnkalling",
        "file_cancel": "avlysing",
        "file_calendar": "invitasjon.ics",
    },
}

SENDABLE = (Meeting.Status.DRAFT, Meeting.Status.SUMMONED)


@dataclass
class DispatchSummary:
    """What one sending did: the dispatches made and their recipients, by outcome."""

    meeting: Meeting
    dispatches: list = field(default_factory=list)
    mailed: list = field(default_factory=list)
    to_print: list = field(default_factory=list)
    failed: list = field(default_factory=list)

    def add(self, dispatch, recipients):
        self.dispatches.append(dispatch)
        for r in recipients:
            if r.channel == DispatchRecipient.Channel.PRINT:
                self.to_print.append(r)
            elif r.error:
                self.failed.append(r)
            else:
                self.mailed.append(r)

    def describe(self) -> str:
        return f"{len(self.mailed)} e-post, {len(self.to_print)} til utskrift, {len(self.failed)} feilet"


# --- Links ---


def invitee_link(invitee) -> str:
    """The invitee's personal link to register attendance (meetings.services.attendance)."""
    return invitee_answer_url(invitee)


# --- Reads the services and the panel share ---


def cases_received(meeting: Meeting) -> dict[int, set[int]]:
    """{invitee id: ids of the cases they have been sent} for every invitee the summons has reached.

    Reached means mailed or listed for printing, by a summons, update or supplementary summons
    (a cancellation does not count; a refused mail neither).
    """
    received: dict[int, set[int]] = {}
    rows = (
        DispatchRecipient.objects.filter(dispatch__meeting=meeting, error="", invitee__isnull=False)
        .exclude(dispatch__kind=Dispatch.Kind.CANCEL)
        .values_list("invitee_id", "dispatch__cases")
    )
    for invitee_id, case_id in rows:
        got = received.setdefault(invitee_id, set())
        if case_id is not None:
            got.add(case_id)
    return received


def reached_invitee_ids(meeting: Meeting) -> set[int]:
    return set(cases_received(meeting))


def cancelled_invitee_ids(meeting: Meeting) -> set[int]:
    return set(
        DispatchRecipient.objects.filter(
            dispatch__meeting=meeting, dispatch__kind=Dispatch.Kind.CANCEL, error="", invitee__isnull=False
        ).values_list("invitee_id", flat=True)
    )


def missing_cases(cases, received: dict[int, set[int]]) -> list:
    """Cases on the agenda that someone already summoned has not been sent (for a supplementary summons)."""
    return [c for c in cases if any(c.pk not in got for got in received.values())]


def new_cases(meeting: Meeting, cases=None) -> list:
    cases = documents.agenda_cases(meeting) if cases is None else cases
    return missing_cases(cases, cases_received(meeting))


def last_snapshot(meeting: Meeting) -> dict:
    """The meeting as the invitees were last told it (the baseline of "what changed")."""
    last = (
        meeting.dispatches.exclude(kind=Dispatch.Kind.CANCEL)
        .order_by("-sent_at", "-pk")
        .values_list("snapshot", flat=True)
        .first()
    )
    return last or {}


# --- Sending ---


def _lock(meeting: Meeting) -> Meeting:
    """The meeting row, locked for this transaction: two clerks pressing "send" at once mail nobody twice."""
    return Meeting.objects.select_for_update().select_related("body__cooperation").get(pk=meeting.pk)


def _raise_sequence(meeting: Meeting) -> tuple[int, int]:
    """SEQUENCE for a changed invitation: above every one sent, and never lower than the meeting's own
    (meeting_cancel and edits may have raised it already). Returns (before, after)."""
    sent = meeting.dispatches.aggregate(top=Max("sequence"))["top"]
    before = meeting.sequence
    meeting.sequence = max(before, (sent if sent is not None else -1) + 1)
    if meeting.sequence != before:
        meeting.save(update_fields=["sequence", "updated_at"])
    return before, meeting.sequence


def _done(given: Meeting, summary: "DispatchSummary") -> "DispatchSummary":
    """The caller's meeting object learns the new status and sequence (a later save() keeps them)."""
    given.status, given.sequence, given.updated_at = (
        summary.meeting.status,
        summary.meeting.sequence,
        summary.meeting.updated_at,
    )
    return summary


def _file_name(kind: str, meeting: Meeting, lang: str) -> str:
    date = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    return f"{MAIL_WORDS[lang]['file_' + kind]}-{date}.pdf"


def _address(name: str, email: str) -> str:
    """'Ordfører i Lier <ordforer@lier.kommune.no>', quoted where the name needs it."""
    return str(Address(display_name=" ".join(name.split()), addr_spec=email))


def _pdf_part(pdf: bytes, filename: str) -> MIMEApplication:
    """The document as a mail part, encoded once and shared by every recipient's message."""
    part = MIMEApplication(pdf, "pdf")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _message(*, meeting, kind, invitee, lang, pdf_part, ics, changes, note, link, connection):
    kind = getattr(kind, "value", kind)
    m = MAIL_WORDS[lang]
    w = documents.words(lang)
    title = documents.title_in_sentence(meeting)
    context = {
        "m": m,
        "w": w,
        "kind": kind,
        "greeting": m["greeting"].format(name=invitee.name),
        "intro": m[f"intro_{kind}"].format(title=meeting.title if kind == "cancel" else title),
        "time_text": documents.time_text(meeting, lang),
        "place_text": documents.place_text(meeting),
        "changes": changes,
        "note": note,
        "link": link if kind != "cancel" else "",
        "register": (
            m["register_deadline"].format(deadline=documents.deadline_text(meeting, lang))
            if meeting.registration_deadline
            else m["register"]
        ),
        "questions": m["questions"].format(contact=documents.contact_text(meeting))
        if documents.contact_text(meeting)
        else "",
        "cooperation": meeting.body.cooperation,
        "lang": lang,
    }
    subject = mail_subject(m[f"subject_{kind}"].format(title=meeting.title, date=dates.format_date(meeting.starts_at)))
    cooperation = meeting.body.cooperation
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("meetings/mail/summons_message.txt", context),
        from_email=_address(cooperation.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]),
        to=[_address(invitee.name, invitee.email.strip())],
        reply_to=[cooperation.contact_email] if cooperation.contact_email else None,
        connection=connection,
    )
    message.attach_alternative(render_to_string("meetings/mail/summons_message.html", context), "text/html")
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    # Shown as an invitation by mail programs that read the calendar part, and attached for the others.
    message.attach_alternative(ics.decode("utf-8"), f"text/calendar; method={method}")
    message.attach(pdf_part)
    message.attach(m["file_calendar"], ics, "application/ics")
    return message


def _deliver(
    *, meeting, kind, invitees, actor, now, pdf, cases, connection, changes=(), note="", snapshot=None
) -> tuple[Dispatch, list[DispatchRecipient]]:
    """Record one dispatch, mail each invitee with an address, list the others for printing."""
    lang = documents.document_language(meeting)
    dispatch = Dispatch.objects.create(
        meeting=meeting,
        kind=kind,
        sequence=meeting.sequence,
        sent_at=now,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        changes=list(changes),
        snapshot=snapshot or {},
    )
    pdf_name = _file_name(getattr(kind, "value", kind), meeting, lang)
    dispatch.document.save(pdf_name, ContentFile(pdf), save=True)
    pdf_part = _pdf_part(pdf, pdf_name)
    if cases:
        dispatch.cases.set(cases)
    method = "CANCEL" if kind == Dispatch.Kind.CANCEL else "REQUEST"
    extra = "\n".join([*changes, note]).strip()
    recipients = []
    for invitee in invitees:
        invitee.meeting = meeting
        email = invitee.email.strip()
        if not email:
            recipients.append(
                DispatchRecipient(
                    dispatch=dispatch, invitee=invitee, name=invitee.name, channel=DispatchRecipient.Channel.PRINT
                )
            )
            continue
        recipient = DispatchRecipient(
            dispatch=dispatch, invitee=invitee, name=invitee.name, email=email, channel=DispatchRecipient.Channel.EMAIL
        )
        try:
            ics = calendar.meeting_ics(
                meeting, method=method, attendee=invitee, cases=cases, stamp=now, description_extra=extra
            )
            with translation.override(lang):
                message = _message(
                    meeting=meeting,
                    kind=kind,
                    invitee=invitee,
                    lang=lang,
                    pdf_part=pdf_part,
                    ics=ics,
                    changes=changes,
                    note=note,
                    link=invitee_link(invitee),
                    connection=connection,
                )
            if not connection.send_messages([message]):
                recipient.error = "not sent"
        except Exception as exc:  # noqa: BLE001 - one bad address or SMTP hiccup must not stop the others
            recipient.error = f"{type(exc).__name__}: {exc}"[:300]
        recipients.append(recipient)
    DispatchRecipient.objects.bulk_create(recipients)
    return dispatch, recipients


def _connection():
    return get_connection(fail_silently=False)


def _audit(*, actor, verb, meeting, summary, changes=None, message=""):
    audit_log(
        actor=actor,
        action="update" if changes else "event",
        verb=verb,
        obj=meeting,
        changes=changes,
        message=(message + " – " if message else "") + summary.describe(),
        cooperation_id=meeting.body.cooperation_id,
    )


@transaction.atomic
def meeting_summon(*, meeting: Meeting, actor) -> DispatchSummary:
    """Send the summons to every invitee who has not had it yet; a drafted meeting becomes summoned."""
    given, meeting = meeting, _lock(meeting)
    if meeting.status not in SENDABLE:
        raise MeetingsError(_("Innkallingen kan bare sendes for et møte som ikke er avholdt eller avlyst."))
    invitees = list(meeting.invitees.all())
    if not invitees:
        raise MeetingsError(_("Møtet har ingen inviterte ennå."))
    reached = reached_invitee_ids(meeting)
    pending = [i for i in invitees if i.pk not in reached]
    if not pending:
        raise MeetingsError(
            _("Alle inviterte har allerede fått innkallingen. Send en endret innkalling hvis noe er endret.")
        )
    now = timezone.now()
    changes = None
    if meeting.status == Meeting.Status.DRAFT:
        changes = {"status": [meeting.status, Meeting.Status.SUMMONED]}
        meeting.status = Meeting.Status.SUMMONED
        meeting.save(update_fields=["status", "updated_at"])
    lang = documents.document_language(meeting)
    cases = documents.agenda_cases(meeting)
    # Invitees added late get today's summons, but what the others were told stays the baseline of
    # the next "what changed".
    snapshot = last_snapshot(meeting) or documents.meeting_snapshot(meeting, cases, lang)
    # Rendered once for everyone: the mails differ only in greeting, link and calendar attendee.
    pdf = documents.summons_pdf(meeting, cases=cases)
    summary = DispatchSummary(meeting=meeting)
    with _connection() as connection:
        summary.add(
            *_deliver(
                meeting=meeting,
                kind=Dispatch.Kind.SUMMONS,
                invitees=pending,
                actor=actor,
                now=now,
                pdf=pdf,
                cases=cases,
                connection=connection,
                snapshot=snapshot,
            )
        )
    _audit(actor=actor, verb="meeting_summon", meeting=meeting, summary=summary, changes=changes)
    return _done(given, summary)


@transaction.atomic
def meeting_summons_resend(*, meeting: Meeting, actor, change_note: str = "") -> DispatchSummary:
    """After a change: a new SEQUENCE and the updated summons to every invitee, saying what changed."""
    given, meeting = meeting, _lock(meeting)
    if meeting.status != Meeting.Status.SUMMONED:
        raise MeetingsError(_("Bare en innkalling som er sendt, kan sendes på nytt."))
    if not meeting.dispatches.exclude(kind=Dispatch.Kind.CANCEL).exists():
        raise MeetingsError(_("Innkallingen er ikke sendt ennå."))
    invitees = list(meeting.invitees.all())
    if not invitees:
        raise MeetingsError(_("Møtet har ingen inviterte ennå."))
    lang = documents.document_language(meeting)
    cases = documents.agenda_cases(meeting)
    snapshot = documents.meeting_snapshot(meeting, cases, lang)
    changes = documents.describe_changes(last_snapshot(meeting), snapshot, lang)
    note = (change_note or "").strip()
    if not changes and not note:
        raise MeetingsError(_("Ingenting er endret siden forrige utsending. Skriv hva som er endret."))
    now = timezone.now()
    before, _after = _raise_sequence(meeting)
    pdf = documents.summons_pdf(meeting, cases=cases)
    summary = DispatchSummary(meeting=meeting)
    with _connection() as connection:
        summary.add(
            *_deliver(
                meeting=meeting,
                kind=Dispatch.Kind.UPDATE,
                invitees=invitees,
                actor=actor,
                now=now,
                pdf=pdf,
                cases=cases,
                connection=connection,
                changes=changes,
                note=note,
                snapshot=snapshot,
            )
        )
    _audit(
        actor=actor,
        verb="meeting_summons_resend",
        meeting=meeting,
        summary=summary,
        changes={"sequence": [before, meeting.sequence]},
        message="; ".join([*changes, note]).strip("; "),
    )
    return _done(given, summary)


@transaction.atomic
def meeting_supplementary_summon(*, meeting: Meeting, actor) -> DispatchSummary:
    """The cases added after the summons went out, as a supplementary summons to those already summoned.

    Invitees who have not had the summons at all get the whole (current) summons instead.
    """
    given, meeting = meeting, _lock(meeting)
    if meeting.status != Meeting.Status.SUMMONED:
        raise MeetingsError(_("Tilleggsinnkalling kan bare sendes etter at innkallingen er sendt, og før møtet."))
    lang = documents.document_language(meeting)
    cases = documents.agenda_cases(meeting)
    received = cases_received(meeting)
    added = missing_cases(cases, received)
    if not added:
        raise MeetingsError(_("Ingen nye saker er lagt til siden innkallingen ble sendt."))
    invitees = list(meeting.invitees.all())
    now = timezone.now()
    before, _after = _raise_sequence(meeting)
    # The baseline learns the added cases, nothing else: other changes still wait for an update.
    current = documents.meeting_snapshot(meeting, cases, lang)
    snapshot = dict(last_snapshot(meeting))
    snapshot["cases"] = {**snapshot.get("cases", {}), **{str(c.pk): current["cases"][str(c.pk)] for c in added}}
    summary = DispatchSummary(meeting=meeting)
    added_ids = {c.pk for c in added}
    earlier = [i for i in invitees if i.pk in received and not added_ids <= received[i.pk]]
    later = [i for i in invitees if i.pk not in received]
    with _connection() as connection:
        summary.add(
            *_deliver(
                meeting=meeting,
                kind=Dispatch.Kind.SUPPLEMENTARY,
                invitees=earlier,
                actor=actor,
                now=now,
                pdf=documents.supplementary_pdf(meeting, added),
                cases=added,
                connection=connection,
                snapshot=snapshot,
                changes=[
                    documents.words(lang)["case_added"].format(case=documents.case_heading(c, lang)) for c in added
                ],
            )
        )
        if later:
            summary.add(
                *_deliver(
                    meeting=meeting,
                    kind=Dispatch.Kind.SUMMONS,
                    invitees=later,
                    actor=actor,
                    now=now,
                    pdf=documents.summons_pdf(meeting, cases=cases),
                    cases=cases,
                    connection=connection,
                    snapshot=snapshot,
                )
            )
    _audit(
        actor=actor,
        verb="meeting_supplementary_summon",
        meeting=meeting,
        summary=summary,
        changes={"sequence": [before, meeting.sequence]},
        message=", ".join(documents.case_heading(c, lang) for c in added),
    )
    return _done(given, summary)


@transaction.atomic
def meeting_cancel_notify(*, meeting: Meeting, actor, reason: str = "") -> DispatchSummary:
    """Tell everyone who was summoned that the meeting is cancelled (METHOD:CANCEL, SEQUENCE + 1).

    Called once the meeting's status is cancelled (by meeting_cancel); a meeting nobody was summoned
    to sends nothing, and nobody is told twice.
    """
    given, meeting = meeting, _lock(meeting)
    if meeting.status != Meeting.Status.CANCELLED:
        raise MeetingsError(_("Møtet er ikke avlyst."))
    reached = reached_invitee_ids(meeting) - cancelled_invitee_ids(meeting)
    summary = DispatchSummary(meeting=meeting)
    if not reached:
        return _done(given, summary)
    invitees = list(meeting.invitees.filter(pk__in=reached))
    now = timezone.now()
    before, _after = _raise_sequence(meeting)
    reason = (reason or meeting.cancel_reason or "").strip()
    with _connection() as connection:
        summary.add(
            *_deliver(
                meeting=meeting,
                kind=Dispatch.Kind.CANCEL,
                invitees=invitees,
                actor=actor,
                now=now,
                pdf=documents.cancellation_pdf(meeting, reason=reason),
                cases=[],
                connection=connection,
                note=reason,
            )
        )
    _audit(
        actor=actor,
        verb="meeting_cancel_notify",
        meeting=meeting,
        summary=summary,
        changes={"sequence": [before, meeting.sequence]},
        message=reason,
    )
    return _done(given, summary)
