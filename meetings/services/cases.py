"""Changes to cases: drafting, numbering, editing, deleting drafts, withdrawing, moving, agendas, references,
attachments.

A case is a draft (no number) until it is registered: explicitly by the clerk, or when its meeting's agenda is
finalised, at the latest when the summons is sent (`agenda_finalise`), in agenda order and in the meeting's year.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khs.lib.audit import acting_user, audit_log, diff, snapshot
from meetings import rules
from meetings.documents.ready import documents_refresh
from meetings.errors import MeetingsError
from meetings.filetypes import attachment_check, sha256_of
from meetings.models import Case, CaseAttachment, CaseNumberSeries, CaseReference, Meeting
from meetings.richtext import clean_html, text_size_check
from meetings.services._common import _meeting_open_check
from membership.models import Body

CASE_TEXT_FIELDS = ("background", "assessment", "proposed_resolution")
CASE_FIELDS = ("title", "kind", *CASE_TEXT_FIELDS, "signer_name", "signer_title", "document_place", "document_date")


def _case_year(*, meeting: Meeting | None, at: datetime) -> int:
    """The year of a case's number: its meeting's (local) year, or the year of registration without one."""
    return timezone.localtime(meeting.starts_at if meeting is not None else at).year


def _case_editable_check(case: Case) -> None:
    refusal = rules.case_change_refusal(case)
    if refusal:
        raise MeetingsError(refusal)


def _agenda_end(meeting: Meeting) -> int:
    return (meeting.cases.aggregate(p=Max("agenda_position"))["p"] or 0) + 1


def _draw_case_number(body: Body, year: int) -> int:
    """The next number of the body's series for the year, with the series row locked until commit.

    rules.next_case_number says which; the case form shows the same number before registering.
    """
    series, _created = CaseNumberSeries.objects.select_for_update().get_or_create(body=body, year=year)
    series.last_number = rules.next_case_number(body, year, series.last_number)
    series.save(update_fields=["last_number"])
    return series.last_number


@transaction.atomic
def case_register(
    *,
    body,
    actor,
    title: str,
    kind: str = Case.Kind.DECISION,
    background: str = "",
    assessment: str = "",
    proposed_resolution: str = "",
    signer_name: str = "",
    signer_title: str = "",
    document_place: str = "",
    document_date=None,
    meeting=None,
    registered_at: datetime | None = None,
    draft: bool = False,
) -> Case:
    """Register a case: it takes the next number of the body's series, in its meeting's year (without a
    meeting, the year of registration). With `draft=True` the case is kept as a draft without a number
    (`case_draft`), to be numbered when the agenda is finalised.

    `registered_at` is for entering an earlier case from the archive; it defaults to now.
    """
    title = (title or "").strip()
    if not title:
        raise MeetingsError(_("Saken må ha en tittel."))
    if kind not in Case.Kind.values:
        raise MeetingsError(_("Ukjent sakstype."))
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.body_id != body.pk:
            raise MeetingsError(_("Saken kan bare settes på et møte i samme organ."))
        _meeting_open_check(meeting, _("Sakslisten"))
    registered_at = registered_at or timezone.now()
    year = _case_year(meeting=meeting, at=registered_at)
    fields = dict(
        title=title,
        kind=kind,
        background=_checked_html(background),
        assessment=_checked_html(assessment),
        proposed_resolution=_checked_html(proposed_resolution),
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        document_place=document_place.strip(),
        document_date=document_date,
        meeting=meeting,
        agenda_position=_agenda_end(meeting) if meeting else 0,
        registered_at=registered_at,
        registered_by=acting_user(actor),
    )
    if draft:
        case = Case.objects.create(body=body, year=None, number=None, status=Case.Status.DRAFT, **fields)
    else:
        case = Case(body=body, **fields)
        _number_give(case, year)
    audit_log(
        actor=actor,
        action="create",
        verb="case_draft" if draft else "case_register",
        obj=case,
        at=registered_at,
        changes=snapshot(case, ["body", "year", "number", "title", "kind", "meeting"]),
        message=case.label,
        cooperation_id=body.cooperation_id,
    )
    documents_refresh(case.meeting_id)
    return case


def _number_give(case: Case, year: int) -> None:
    """Give the case (new or a draft) the next number of its body's series for `year` and save it."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                case.year, case.number = year, _draw_case_number(case.body, year)
                case.status = Case.Status.REGISTERED
                case.save()
            return
        except IntegrityError:
            # Another transaction took the number between our read and write (only possible when rows
            # bypass the series); the savepoint is undone and the next free number drawn.
            if attempt == 2:
                raise MeetingsError(_("Saksnummeret kunne ikke trekkes. Prøv igjen.")) from None


def case_draft(*, body, actor, title: str, **fields) -> Case:
    """Write a case as a draft: no number yet, so it can still be deleted."""
    return case_register(body=body, actor=actor, title=title, draft=True, **fields)


@transaction.atomic
def case_number_give(*, case, actor) -> Case:
    """Register a draft explicitly: it takes the next number now (in its meeting's year, or this year)."""
    case = _locked_case(case)
    if not case.is_draft:
        raise MeetingsError(_("Sak %(label)s har allerede nummer.") % {"label": case.label})
    now = timezone.now()
    _number_give(case, _case_year(meeting=case.meeting, at=now))
    audit_log(
        actor=actor,
        action="update",
        verb="case_number_give",
        obj=case,
        at=now,
        changes={"status": [Case.Status.DRAFT.value, case.status], "number": [None, case.label]},
        message=case.label,
        cooperation_id=case.body.cooperation_id,
    )
    documents_refresh(case.meeting_id)
    return case


def agenda_number_drafts(meeting: Meeting, *, actor) -> list[Case]:
    """Number the drafts on a (locked) meeting's agenda in agenda order, in the meeting's year."""
    drafts = list(
        meeting.cases.filter(status=Case.Status.DRAFT)
        .select_related("body")
        .select_for_update(of=("self",))
        .order_by("agenda_position", "pk")
    )
    year = _case_year(meeting=meeting, at=timezone.now())
    for case in drafts:
        _number_give(case, year)
        audit_log(
            actor=actor,
            action="update",
            verb="case_number_give",
            obj=case,
            changes={"status": [Case.Status.DRAFT.value, case.status], "number": [None, case.label]},
            message=case.label,
            cooperation_id=case.body.cooperation_id,
        )
    documents_refresh(meeting.pk)
    return drafts


@transaction.atomic
def agenda_finalise(*, meeting, actor) -> list[Case]:
    """Finalise the agenda: every draft on it takes its number in agenda order and the meeting's year."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _meeting_open_check(meeting, _("Sakslisten"))
    return agenda_number_drafts(meeting, actor=actor)


@transaction.atomic
def case_delete(*, case, actor) -> Body:
    """Delete a draft (a mistake); a numbered case is never deleted but withdrawn."""
    case = _locked_case(case)
    if not case.is_draft:
        raise MeetingsError(
            _("Sak %(label)s har nummer og kan ikke slettes. Trekk saken i stedet.") % {"label": case.label}
        )
    _case_editable_check(case)
    audit_log(
        actor=actor,
        action="delete",
        verb="case_delete",
        obj=case,
        changes=snapshot(case, ["body", "title", "kind", "meeting"]),
        message=case.title,
        cooperation_id=case.body.cooperation_id,
    )
    storage_names = [(a.file.storage, a.file.name) for a in case.attachments.all()]
    body = case.body
    case.delete()
    for storage, name in storage_names:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    documents_refresh(case.meeting_id)
    return body


@transaction.atomic
def case_series_continue(*, body, year: int, last_number: int, actor) -> CaseNumberSeries:
    """Continue a paper series in khs: the next case registered in `year` gets last_number + 1.

    Only before khs has given out any number in that body and year, and never backwards.
    """
    series, _created = CaseNumberSeries.objects.select_for_update().get_or_create(body=body, year=year)
    if Case.objects.filter(body=body, year=year).exists() or last_number < series.last_number:
        raise MeetingsError(_("Nummerserien for %(year)s er allerede i bruk og kan ikke flyttes.") % {"year": year})
    old = series.last_number
    series.last_number = last_number
    series.save(update_fields=["last_number"])
    audit_log(
        actor=actor,
        action="update",
        verb="case_series_continue",
        obj=series,
        changes={"last_number": [old, last_number]},
        cooperation_id=body.cooperation_id,
    )
    return series


def _locked_case(case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("body", "meeting").get(pk=case.pk)


@transaction.atomic
def case_update(*, case, actor, **fields) -> Case:
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"case_update does not change {sorted(unknown)}")
    case = _locked_case(case)
    _case_editable_check(case)
    before = snapshot(case)
    for key, value in fields.items():
        if key in CASE_TEXT_FIELDS:
            value = _checked_html(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(case, key, value)
    if not case.title:
        raise MeetingsError(_("Saken må ha en tittel."))
    if case.kind not in Case.Kind.values:
        raise MeetingsError(_("Ukjent sakstype."))
    case.save()
    changes = diff(before, snapshot(case))
    if changes:
        audit_log(
            actor=actor,
            action="update",
            verb="case_update",
            obj=case,
            changes=changes,
            message=case.label,
            cooperation_id=case.body.cooperation_id,
        )
    documents_refresh(case.meeting_id)
    return case


def case_text_import(*, case, actor, field: str, file, replace: bool = False) -> Case:
    """Import a Word document (.docx) into one of the case's texts, after what is there or instead of it."""
    from meetings.filetypes import DOCX, attachment_type_of
    from meetings.richtext import docx_to_html

    if field not in CASE_TEXT_FIELDS:
        raise MeetingsError(_("Ukjent tekstfelt."))
    if attachment_type_of(file) != DOCX:
        raise MeetingsError(_("Filen er ikke et Word-dokument (.docx)."))
    try:
        html = docx_to_html(file)
    except Exception:  # noqa: BLE001 - a damaged document is the user's problem to hear about, not a 500
        raise MeetingsError(_("Word-dokumentet kunne ikke leses.")) from None
    if not html:
        raise MeetingsError(_("Word-dokumentet har ingen tekst."))
    current = "" if replace else getattr(case, field)
    return case_update(case=case, actor=actor, **{field: current + html})


@transaction.atomic
def case_withdraw(*, case, actor, reason: str = "") -> Case:
    """Withdraw a case: it keeps its number and its place on the agenda, marked withdrawn."""
    case = _locked_case(case)
    _case_editable_check(case)
    if case.is_draft:
        raise MeetingsError(_("Et utkast har ikke nummer ennå: slett det i stedet for å trekke det."))
    now = timezone.now()
    case.status = Case.Status.WITHDRAWN
    case.withdrawn_at = now
    case.withdrawn_reason = (reason or "").strip()[:500]
    case.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    audit_log(
        actor=actor,
        action="update",
        verb="case_withdraw",
        obj=case,
        at=now,
        changes={"status": [Case.Status.REGISTERED.value, Case.Status.WITHDRAWN.value]},
        message=case.withdrawn_reason or case.label,
        cooperation_id=case.body.cooperation_id,
    )
    documents_refresh(case.meeting_id)
    return case


@transaction.atomic
def case_move(*, case, meeting, actor) -> Case:
    """Put a case on a (later) meeting of its body; it keeps its number and goes last on that agenda."""
    case = _locked_case(case)
    target = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refusal = rules.case_move_refusal(case)
    if refusal:
        raise MeetingsError(refusal)
    if target.body_id != case.body_id:
        raise MeetingsError(_("En sak kan bare flyttes til et møte i samme organ."))
    if case.meeting_id == target.pk:
        raise MeetingsError(_("Saken står allerede på dette møtet."))
    _meeting_open_check(target, _("Sakslisten"))
    source = case.meeting
    if source is not None:
        if target.starts_at <= source.starts_at:
            raise MeetingsError(_("En sak kan bare flyttes til et senere møte."))
    case.meeting = target
    case.agenda_position = _agenda_end(target)
    case.save(update_fields=["meeting", "agenda_position"])
    audit_log(
        actor=actor,
        action="update",
        verb="case_move",
        obj=case,
        changes={"meeting": [source.pk if source else None, target.pk]},
        message=case.label,
        cooperation_id=case.body.cooperation_id,
    )
    documents_refresh(source.pk if source else None, target.pk)
    return case


@transaction.atomic
def agenda_reorder(*, meeting, actor, case_ids: list[int]) -> Meeting:
    """Set the order of the cases on a meeting's agenda; case_ids must name every case on it exactly once."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _meeting_open_check(meeting, _("Sakslisten"))
    cases = {c.pk: c for c in meeting.cases.all()}
    case_ids = [int(i) for i in case_ids]
    if len(case_ids) != len(set(case_ids)) or set(case_ids) != set(cases):
        raise MeetingsError(_("Sakslisten er endret i mellomtiden. Last siden på nytt og prøv igjen."))
    before = [c.pk for c in sorted(cases.values(), key=lambda c: (c.agenda_position, c.pk))]
    for position, pk in enumerate(case_ids, start=1):
        cases[pk].agenda_position = position
    Case.objects.bulk_update(cases.values(), ["agenda_position"])
    if before != case_ids:
        audit_log(
            actor=actor,
            action="update",
            verb="agenda_reorder",
            obj=meeting,
            changes={"agenda": [before, case_ids]},
            cooperation_id=meeting.body.cooperation_id,
        )
    documents_refresh(meeting.pk)
    return meeting


# ------------------------------------------------------------------------------------------ references


@transaction.atomic
def case_reference_add(*, case, earlier_case, actor, note: str = "") -> CaseReference:
    """Link a case to earlier handling of the same matter ("styret, møte 23.01.2017, sak 03/2017")."""
    case = _locked_case(case)
    earlier_case = Case.objects.select_related("body").get(pk=earlier_case.pk)
    if earlier_case.pk == case.pk:
        raise MeetingsError(_("En sak kan ikke vise til seg selv."))
    if earlier_case.body.cooperation_id != case.body.cooperation_id:
        raise MeetingsError(_("Saken det vises til må høre til samme samarbeid."))
    if (
        CaseReference.objects.filter(case=case, earlier_case=earlier_case).exists()
        or CaseReference.objects.filter(case=earlier_case, earlier_case=case).exists()
    ):
        raise MeetingsError(_("Sakene er allerede knyttet sammen."))
    reference = CaseReference.objects.create(case=case, earlier_case=earlier_case, note=(note or "").strip()[:300])
    audit_log(
        actor=actor,
        action="create",
        verb="case_reference_add",
        obj=reference,
        changes={"case": case.pk, "earlier_case": earlier_case.pk},
        message=str(reference),
        cooperation_id=case.body.cooperation_id,
    )
    documents_refresh(case.meeting_id)
    return reference


@transaction.atomic
def case_reference_remove(*, reference, actor) -> Case:
    reference = CaseReference.objects.select_related("case__body", "earlier_case__body").get(pk=reference.pk)
    case = reference.case
    audit_log(
        actor=actor,
        action="delete",
        verb="case_reference_remove",
        obj=reference,
        changes={"case": case.pk, "earlier_case": reference.earlier_case_id},
        message=str(reference),
        cooperation_id=case.body.cooperation_id,
    )
    reference.delete()
    documents_refresh(case.meeting_id)
    return case


# ----------------------------------------------------------------------------------------- attachments


# All attachments of one case together (each file at most MAX_ATTACHMENT_SIZE): the summons bundle and
# every mail with it stay a size people can receive.
MAX_CASE_ATTACHMENTS_TOTAL = 100 * 1024 * 1024


def _checked_html(text):
    text_size_check(text)
    cleaned = clean_html(text)
    text_size_check(cleaned)
    return cleaned


@transaction.atomic
def case_attachment_add(*, case, actor, file, title: str = "") -> CaseAttachment:
    """Attach a file to a case after checking its size and content; stored with size and SHA-256."""
    case = _locked_case(case)
    _case_editable_check(case)
    kind = attachment_check(file)
    total = (case.attachments.aggregate(total=Sum("size"))["total"] or 0) + (file.size or 0)
    if total > MAX_CASE_ATTACHMENTS_TOTAL:
        raise MeetingsError(
            _("Vedleggene til saken blir for store til sammen (%(size)s MB). Grensen er %(max)s MB per sak.")
            % {"size": f"{total / 1024 / 1024:.1f}".replace(".", ","), "max": MAX_CASE_ATTACHMENTS_TOTAL // 2**20}
        )
    original_name = file.name.rsplit("/", 1)[-1][:255]
    title = (title or "").strip() or original_name.rsplit(".", 1)[0]
    position = (case.attachments.aggregate(p=Max("position"))["p"] or 0) + 1
    attachment = CaseAttachment(
        case=case,
        title=title[:300],
        original_name=original_name,
        content_type=kind.content_type,
        size=file.size,
        sha256=sha256_of(file),
        position=position,
        uploaded_at=timezone.now(),
        uploaded_by=acting_user(actor),
    )
    try:
        attachment.file.save(original_name, file, save=False)
        attachment.save()
        audit_log(
            actor=actor,
            action="create",
            verb="case_attachment_add",
            obj=attachment,
            changes=snapshot(attachment, ["case", "title", "content_type", "size", "sha256"]),
            message=case.label,
            cooperation_id=case.body.cooperation_id,
        )
    except Exception:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)  # leave nothing behind
        raise
    documents_refresh(case.meeting_id)
    return attachment


@transaction.atomic
def case_attachment_remove(*, attachment, actor) -> Case:
    attachment = CaseAttachment.objects.select_related("case__body", "case__meeting").get(pk=attachment.pk)
    case = attachment.case
    _case_editable_check(case)
    audit_log(
        actor=actor,
        action="delete",
        verb="case_attachment_remove",
        obj=attachment,
        changes=snapshot(attachment, ["case", "title", "size", "sha256"]),
        message=case.label,
        cooperation_id=case.body.cooperation_id,
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    documents_refresh(case.meeting_id)
    return case
