"""Sending the summons (innkalling): to every invitee, once per version, with the PDF and a calendar invitation.

Services (state changes, audited):
- meeting_summon: the summons to every invitee who has not had it yet (draft -> summoned).
- meeting_summons_resend: after a change, the updated summons to everyone, saying what changed.
- meeting_supplementary_summon: the cases added since, as a supplementary summons (tilleggsinnkalling).
- meeting_cancel_notify: the cancellation (METHOD:CANCEL) to everyone who was summoned.

Each records a dispatch and its recipients in the request; a worker renders the document once (dispatch_prepare)
and queues one message per recipient in the outbox, which sends them over one
connection. Every recipient is recorded (Dispatch / DispatchRecipient); invitees without an e-mail
address are listed for printing. A mail that cannot be handed over is recorded with its error and
tried again at the next sending.
"""

from dataclasses import dataclass, field
from email.headerregistry import Address

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khs.lib import dates
from khs.lib.audit import acting_user, audit_log
from khs.mail import mail_queue, make_message
from meetings import documents, rules
from meetings.documents import calendar
from meetings.errors import MeetingsError
from meetings.models import Dispatch, DispatchRecipient, Meeting
from meetings.services.attendance import invitee_answer_url
from meetings.services.cases import agenda_number_drafts


def _file_stem(kind: str) -> str:
    return {
        "supplementary": pgettext("file name", "tilleggsinnkalling"),
        "cancel": pgettext("file name", "avlysning"),
    }.get(kind, pgettext("file name", "innkalling"))


@dataclass
class DispatchSummary:
    """What one sending did: the dispatches made and their recipients, by outcome.

    The mail goes out through the outbox after commit, so the outcome is read when asked: mailed are the
    copies queued or sent, failed those the outbox gave up on (or that could not be built at all).
    """

    meeting: Meeting
    dispatches: list = field(default_factory=list)
    recipients: list = field(default_factory=list)

    def add(self, dispatch, recipients):
        self.dispatches.append(dispatch)
        self.recipients.extend(recipients)

    def _by_outcome(self, failed: bool) -> list:
        errors = dict(
            DispatchRecipient.objects.filter(pk__in=[r.pk for r in self.recipients]).values_list("pk", "error")
        )
        for r in self.recipients:
            r.error = errors.get(r.pk, r.error)
        return [r for r in self.recipients if r.channel == DispatchRecipient.Channel.EMAIL and bool(r.error) == failed]

    @property
    def mailed(self) -> list:
        return self._by_outcome(failed=False)

    @property
    def failed(self) -> list:
        return self._by_outcome(failed=True)

    @property
    def to_print(self) -> list:
        return [r for r in self.recipients if r.channel == DispatchRecipient.Channel.PRINT]

    def describe(self) -> str:
        return f"{len(self.mailed)} e-post, {len(self.to_print)} til utskrift, {len(self.failed)} feilet"


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
    with translation.override(lang):
        return f"{_file_stem(kind)}-{date}.pdf"


def _address(name: str, email: str) -> str:
    """'Ordfører i Lier <ordforer@lier.kommune.no>', quoted where the name needs it."""
    return str(Address(display_name=" ".join(name.split()), addr_spec=email))


def _message(*, meeting, kind, invitee, lang, ics, changes, note, link):
    """One invitee's mail (meetings/mail/summons-*), with the calendar invitation; the PDF is added when sent."""
    kind = getattr(kind, "value", kind)
    contact = documents.contact_text(meeting)
    context = {
        "kind": kind,
        "invitee": invitee,
        "title": meeting.title if kind == "cancel" else documents.title_in_sentence(meeting),
        "meeting_title": meeting.title,
        "date": dates.format_date(meeting.starts_at),
        "time_text": documents.time_text(meeting, lang),
        "place_text": documents.place_text(meeting),
        "changes": changes,
        "note": note,
        "link": link if kind != "cancel" else "",
        "deadline": documents.deadline_text(meeting, lang) if meeting.registration_deadline else "",
        "contact": contact or "",
        "cooperation": meeting.body.cooperation,
    }
    cooperation = meeting.body.cooperation
    with translation.override(lang):
        message = make_message(
            "meetings/summons",
            _address(invitee.name, invitee.email.strip()),
            context,
            lang,
            cooperation=cooperation,
        )
        calendar_name = pgettext("file name", "invitasjon.ics")
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    # Shown as an invitation by mail programs that read the calendar part, and attached for the others.
    message.attach_alternative(ics.decode("utf-8"), f"text/calendar; method={method}")
    message.attach(calendar_name, ics, "application/ics")
    return message


def _deliver(
    *, meeting, kind, invitees, actor, now, cases, changes=(), note="", snapshot=None
) -> tuple[Dispatch, list[DispatchRecipient]]:
    """Record one dispatch and its recipients (e-mail, or print for those without an address).

    The rest happens after commit, off the request: a worker renders the document once (dispatch_prepare),
    puts one mail per recipient in the outbox, and the outbox sends them.
    """
    dispatch = Dispatch.objects.create(
        meeting=meeting,
        kind=kind,
        sequence=meeting.sequence,
        sent_at=now,
        sent_by=acting_user(actor),
        note=note,
        changes=list(changes),
        snapshot=snapshot or {},
    )
    if cases:
        dispatch.cases.set(cases)
    recipients = []
    for invitee in invitees:
        email = invitee.email.strip()
        channel = DispatchRecipient.Channel.EMAIL if email else DispatchRecipient.Channel.PRINT
        recipients.append(
            DispatchRecipient(dispatch=dispatch, invitee=invitee, name=invitee.name, email=email, channel=channel)
        )
    DispatchRecipient.objects.bulk_create(recipients)
    from meetings.tasks import dispatch_prepare_task

    transaction.on_commit(lambda: dispatch_prepare_task.enqueue(dispatch.pk), robust=True)
    return dispatch, recipients


def _dispatch_cases(dispatch: Dispatch) -> list:
    """The cases a dispatch carries, in agenda order."""
    ids = set(dispatch.cases.values_list("pk", flat=True))
    return [c for c in documents.agenda_cases(dispatch.meeting) if c.pk in ids]


def _render(dispatch: Dispatch, cases) -> bytes:
    meeting = dispatch.meeting
    if dispatch.kind == Dispatch.Kind.CANCEL:
        return documents.cancellation_pdf(meeting, reason=dispatch.note)
    if dispatch.kind == Dispatch.Kind.SUPPLEMENTARY:
        return documents.supplementary_pdf(meeting, cases)
    return documents.summons_pdf(meeting, cases=cases)


def dispatch_prepare(*, dispatch_id: int) -> Dispatch:
    """The worker's half of a sending: render the dispatch's document once, then queue each recipient's mail.

    Run again (a retried task), it renders nothing twice and queues nobody twice (one outbox key per
    recipient). The PDF is rendered outside any transaction; the mails are queued in one.
    """
    dispatch = Dispatch.objects.select_related("meeting__body__cooperation").get(pk=dispatch_id)
    meeting = dispatch.meeting
    meeting.sequence = dispatch.sequence  # the invitation says the version this dispatch is
    lang = documents.document_language(meeting)
    kind = dispatch.kind
    cases = _dispatch_cases(dispatch)
    if not dispatch.document:
        pdf = _render(dispatch, cases)
        with transaction.atomic():
            locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
            if not locked.document:
                locked.document.save(_file_name(kind, meeting, lang), ContentFile(pdf), save=True)
            dispatch.document = locked.document
    pdf_name = _file_name(kind, meeting, lang)
    shared = [(pdf_name, dispatch.document.name, "application/pdf")]
    method = "CANCEL" if kind == Dispatch.Kind.CANCEL else "REQUEST"
    extra = "\n".join([*dispatch.changes, dispatch.note]).strip()
    with transaction.atomic():
        recipients = dispatch.recipients.filter(channel=DispatchRecipient.Channel.EMAIL, error="").select_related(
            "invitee"
        )
        for recipient in recipients:
            invitee = recipient.invitee
            try:
                if invitee is None:
                    raise MeetingsError(_("Den inviterte er fjernet fra møtet."))
                invitee.meeting = meeting
                ics = calendar.meeting_ics(
                    meeting,
                    method=method,
                    attendee=invitee,
                    cases=cases,
                    stamp=dispatch.sent_at,
                    description_extra=extra,
                )
                message = _message(
                    meeting=meeting,
                    kind=kind,
                    invitee=invitee,
                    lang=lang,
                    ics=ics,
                    changes=dispatch.changes,
                    note=dispatch.note,
                    link=invitee_answer_url(invitee),
                )
            except Exception as exc:  # noqa: BLE001 - one malformed address must not stop the others
                DispatchRecipient.objects.filter(pk=recipient.pk).update(error=f"{type(exc).__name__}: {exc}"[:300])
                continue
            mail_queue(
                message,
                kind=f"dispatch_{kind}",
                key=f"dispatch-recipient:{recipient.pk}",
                about=recipient,
                shared_files=shared,
            )
    return dispatch


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
    if meeting.status not in rules.SUMMONS_SENDABLE:
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
    agenda_number_drafts(meeting, actor=actor)  # the agenda is final at the latest now
    lang = documents.document_language(meeting)
    cases = documents.agenda_cases(meeting)
    # Invitees added late get today's summons, but what the others were told stays the baseline of
    # the next "what changed".
    snapshot = last_snapshot(meeting) or documents.meeting_snapshot(meeting, cases, lang)
    # Rendered once for everyone by the worker (dispatch_prepare): the mails differ only in greeting, link and
    # calendar attendee.
    summary = DispatchSummary(meeting=meeting)
    summary.add(
        *_deliver(
            meeting=meeting,
            kind=Dispatch.Kind.SUMMONS,
            invitees=pending,
            actor=actor,
            now=now,
            cases=cases,
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
    agenda_number_drafts(meeting, actor=actor)  # the agenda is final at the latest now
    lang = documents.document_language(meeting)
    cases = documents.agenda_cases(meeting)
    snapshot = documents.meeting_snapshot(meeting, cases, lang)
    changes = documents.describe_changes(last_snapshot(meeting), snapshot, lang)
    note = (change_note or "").strip()
    if not changes and not note:
        raise MeetingsError(_("Ingenting er endret siden forrige utsending. Skriv hva som er endret."))
    now = timezone.now()
    before, _after = _raise_sequence(meeting)
    summary = DispatchSummary(meeting=meeting)
    summary.add(
        *_deliver(
            meeting=meeting,
            kind=Dispatch.Kind.UPDATE,
            invitees=invitees,
            actor=actor,
            now=now,
            cases=cases,
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
    agenda_number_drafts(meeting, actor=actor)  # the agenda is final at the latest now
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
    summary.add(
        *_deliver(
            meeting=meeting,
            kind=Dispatch.Kind.SUPPLEMENTARY,
            invitees=earlier,
            actor=actor,
            now=now,
            cases=added,
            snapshot=snapshot,
            changes=documents.added_case_lines(added, lang),
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
                cases=cases,
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
    summary.add(
        *_deliver(
            meeting=meeting,
            kind=Dispatch.Kind.CANCEL,
            invitees=invitees,
            actor=actor,
            now=now,
            cases=[],
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


@transaction.atomic
def dispatch_resend_failed(*, dispatch: Dispatch, actor) -> int:
    """Put the copies of a dispatch that failed back in the outbox (same message, same Message-ID).

    A copy that could not be built at all (a malformed address) stays failed: it goes with the next sending
    once the address is corrected. Returns how many were queued again; one audit entry for the lot.
    """
    from khs.mail import deliver_after_commit, mails_about
    from khs.models import OutgoingMail

    recipients = list(dispatch.recipients.filter(channel=DispatchRecipient.Channel.EMAIL).exclude(error=""))
    mails = mails_about(recipients)
    again = [r for r in recipients if r.pk in mails and mails[r.pk].status == OutgoingMail.Status.FAILED]
    if not again:
        raise MeetingsError(_("Ingen mislykkede e-poster å sende på nytt."))
    OutgoingMail.objects.filter(pk__in=[mails[r.pk].pk for r in again]).update(
        status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=None, last_error="", claimed_by=""
    )
    DispatchRecipient.objects.filter(pk__in=[r.pk for r in again]).update(error="")
    deliver_after_commit()
    audit_log(
        actor=actor,
        action="event",
        verb="dispatch_resend_failed",
        obj=dispatch.meeting,
        message=f"{dispatch.get_kind_display()} {dispatch.sent_at:%Y-%m-%d %H:%M}: " + ", ".join(r.name for r in again),
        cooperation_id=dispatch.meeting.body.cooperation_id,
    )
    return len(again)
