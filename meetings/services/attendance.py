"""Påmelding / oppmøte: invitees answer through a personal link, send their deputy, the clerk checks them in.

Services (every state change of attendance) and the personal answer link. Reads for the pages are in
meetings/selectors/attendance.py, the participant list documents in meetings/documents/participants.py; the rules of
who may answer when are in meetings/rules.py.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khs.lib import dates
from khs.lib.audit import acting_user, audit_log, snapshot
from khs.lib.i18n import document_language
from khs.mail import mail_queue, make_message
from meetings import rules
from meetings.documents.calendar import meeting_ics
from meetings.documents.papers import title_in_sentence
from meetings.errors import MeetingsError
from meetings.models import Invitee, Meeting, ReminderSent
from meetings.rules import answer_deadline, answer_is_open, answer_refusal, meeting_end
from membership.models import Office, Person
from membership.selectors import active_on

Response = Invitee.Response
ANSWERS = (Response.ATTENDING, Response.ABSENT, Response.DEPUTY)
DEPUTY_ANSWERS = (Response.ATTENDING, Response.ABSENT)


def _lang(meeting) -> str:
    """The language of the meeting's mails: its body's written language (Bokmål or Nynorsk)."""
    return document_language(meeting.body.language)


def answer_word(response: str, lang: str = "nb") -> str:
    """The answer as the confirmation states it, in the document's language."""
    with translation.override(document_language(lang)):
        return {
            Response.PENDING: pgettext("answer", "Ikke svart"),
            Response.ATTENDING: pgettext("answer", "Kommer"),
            Response.ABSENT: pgettext("answer", "Kommer ikke"),
            Response.DEPUTY: pgettext("answer", "Sender stedfortreder"),
        }[response]


# --- The personal link -------------------------------------------------------------------------------------

LINK_SALT = "meetings.attendance.answer-link"


def invitee_answer_token(invitee) -> str:
    """Signed (SECRET_KEY, a salt of its own) ids of the invitee and the meeting: unguessable, untamperable."""
    return signing.dumps({"i": invitee.pk, "m": invitee.meeting_id}, salt=LINK_SALT)


def invitee_answer_url(invitee) -> str:
    """The absolute personal link the summons and reminder mails carry; valid until the meeting ends."""
    return settings.SITE_URL + reverse("meetings:attendance_answer", args=[invitee_answer_token(invitee)])


@dataclass(eq=False)
class AnswerLinkError(Exception):
    """Why a personal link does not open. The page it gives names no person."""

    reason: str  # "invalid" (tampered, 403), "gone" (no such invitation any more, 410), "ended", "cancelled" (410)
    meeting: Meeting | None = None

    @property
    def status(self) -> int:
        return 403 if self.reason == "invalid" else 410


def invitee_for_token(token: str, *, now) -> Invitee:
    """The invitee a link was made for, or AnswerLinkError; never anyone else."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise AnswerLinkError("invalid") from None
    if not (isinstance(data, dict) and isinstance(data.get("i"), int) and isinstance(data.get("m"), int)):
        raise AnswerLinkError("invalid")
    invitee = (
        Invitee.objects.select_related("meeting__body__cooperation", "municipality", "deputy_for")
        .filter(pk=data["i"], meeting_id=data["m"])
        .first()
    )
    if invitee is None:
        raise AnswerLinkError("gone")
    if invitee.meeting.status == Meeting.Status.CANCELLED:
        raise AnswerLinkError("cancelled", invitee.meeting)
    if now >= meeting_end(invitee.meeting):
        raise AnswerLinkError("ended", invitee.meeting)
    return invitee


# --- Who may answer when: meetings.rules (answer_deadline, answer_refusal) ------------------------------------


def _check_answerable(invitee, *, now, by_clerk: bool):
    refusal = answer_refusal(invitee, now=now, by_clerk=by_clerk)
    if refusal:
        raise MeetingsError(refusal)


@dataclass
class DeputyCandidate:
    person: Person
    role: str  # "Varaordfører", "Varamedlem"
    label: str  # "Kari Nordmann (Varaordfører, Lier)"


def deputy_candidates(invitee) -> list[DeputyCandidate]:
    """Whom an invitee may pick as deputy: the deputy mayor of their municipality and the body's substitutes
    in office on the meeting day, except people already invited to the meeting (their own deputy stays)."""
    meeting = invitee.meeting
    day = timezone.localdate(meeting.starts_at)
    wanted = Q(kind=Office.Kind.BODY_SUBSTITUTE, body_id=meeting.body_id)
    if invitee.municipality_id:
        wanted |= Q(kind=Office.Kind.DEPUTY_MAYOR, municipality_id=invitee.municipality_id)
    offices = (
        Office.objects.filter(active_on(day))
        .filter(wanted)
        .select_related("person", "municipality")
        .order_by("kind", "person__name")
    )
    taken = set(meeting.invitees.exclude(deputy_for=invitee).exclude(person=None).values_list("person_id", flat=True))
    result, seen = [], set()
    for office in offices:
        if office.person_id in seen or office.person_id in taken:
            continue
        seen.add(office.person_id)
        role = office.get_kind_display()
        where = f", {office.municipality.name}" if office.municipality_id else ""
        result.append(DeputyCandidate(office.person, role, f"{office.person.name} ({role}{where})"))
    return result


# --- Services ----------------------------------------------------------------------------------------------


def _actor_label(actor, invitee) -> str:
    if acting_user(actor) is not None:
        return ""
    return f"Personlig lenke: {invitee.name}"


def _deputy_wanted(invitee, *, deputy_person, deputy_name, deputy_email) -> dict:
    """The deputy asked for, checked: from the list, or a name and e-mail address."""
    meeting = invitee.meeting
    if deputy_person is not None:
        chosen = next((c for c in deputy_candidates(invitee) if c.person.pk == deputy_person.pk), None)
        if chosen is None:
            raise MeetingsError(_("Velg en stedfortreder fra listen, eller oppgi navn og e-postadresse."))
        return {
            "person": chosen.person,
            "name": chosen.person.name,
            "email": chosen.person.email,
            "role": str(chosen.role),
        }
    name, email = (deputy_name or "").strip(), (deputy_email or "").strip().lower()
    if not name or not email:
        raise MeetingsError(_("Oppgi navn og e-postadresse til stedfortrederen, eller velg en fra listen."))
    try:
        validate_email(email)
    except ValidationError:
        raise MeetingsError(_("E-postadressen til stedfortrederen er ikke gyldig.")) from None
    if invitee.email and email == invitee.email.lower():
        raise MeetingsError(_("Stedfortrederen må være en annen enn deg selv."))
    if meeting.invitees.exclude(deputy_for=invitee).filter(email__iexact=email).exists():
        raise MeetingsError(_("%(email)s er allerede invitert til møtet.") % {"email": email})
    return {"person": None, "name": name[:200], "email": email, "role": ""}


def _same_deputy(deputy, wanted) -> bool:
    if wanted["person"] is not None:
        return deputy.person_id == wanted["person"].pk
    return deputy.person_id is None and deputy.email.lower() == wanted["email"] and deputy.name == wanted["name"]


def _mail(
    kind: str,
    *,
    to: str,
    meeting,
    context: dict,
    ics: bytes | None = None,
    ics_method: str = "REQUEST",
    pdf=None,
    about=None,
):
    """One attendance mail (meetings/mail/attendance_<kind>-*), ready for _queue; pdf is (file name, bytes)."""
    lang = _lang(meeting)
    context = {
        **context,
        "meeting": meeting,
        "title": title_in_sentence(meeting),  # every mail names the meeting mid-sentence
        "meeting_time": dates.format_meeting_time(meeting.starts_at, meeting.ends_at, lang),
        "contact": meeting_contact(meeting),
    }
    message = make_message(f"meetings/attendance_{kind}", to, context, lang, cooperation=meeting.body.cooperation)
    if pdf is not None:
        message.attach(pdf[0], pdf[1], "application/pdf")
    if ics is not None:
        message.attach("mote.ics", ics, f"text/calendar; method={ics_method}; charset=utf-8")
    message.khs_kind, message.khs_about = f"attendance_{kind}", about
    return message


def deputy_invitation_queue(*, deputy_id: int):
    """The worker's half of sending a deputy: their invitation with the summons PDF, as stored, and the
    calendar entry, like the mayor's summons (meetings.tasks.deputy_invitation_send, after the answer commits).

    The summons is the stored version of the meeting as it stands (rendered here, outside any transaction, if
    it is new); the mail attaches it from storage. Run twice, it queues one mail (one outbox key per deputy); a
    deputy withdrawn before the worker came to it gets nothing.
    """
    from meetings import documents

    deputy = Invitee.objects.select_related("meeting__body__cooperation", "deputy_for").filter(pk=deputy_id).first()
    if deputy is None or deputy.deputy_for_id is None or not deputy.email:
        return None
    meeting = deputy.meeting
    summons = documents.summons_document(meeting)
    message = _mail(
        "deputy_invitation",
        to=deputy.email,
        meeting=meeting,
        context={
            "deputy": deputy,
            "invitee": deputy.deputy_for,
            "url": invitee_answer_url(deputy),
            "deadline": deadline_text(answer_deadline(deputy), _lang(meeting)),
        },
        ics=meeting_ics(meeting, method="REQUEST", attendee=deputy),
    )
    with transaction.atomic():
        return mail_queue(
            message,
            kind=message.khs_kind,
            key=f"{message.khs_kind}:{deputy.pk}",
            about=message.khs_about,
            shared_files=[(f"innkalling-{meeting.pk}.pdf", summons.file.name, "application/pdf")],
        )


def _queue(messages, *, now) -> None:
    """Into the outbox with the change that caused them; sent after commit."""
    stamp = now.isoformat()
    for n, message in enumerate(messages):
        mail_queue(
            message,
            kind=message.khs_kind,
            key=f"{message.khs_kind}:{message.to[0].lower()}:{stamp}:{n}",
            about=message.khs_about,
        )


def meeting_contact(meeting) -> str:
    """Whom to contact about a meeting: the meeting's contact, or the cooperation's address and phone."""
    if meeting.contact:
        return meeting.contact
    cooperation = meeting.body.cooperation
    return ", ".join(x for x in [cooperation.contact_email, cooperation.contact_phone] if x)


def deadline_text(moment, lang: str) -> str:
    """4. juni 2017 kl. 23.59"""
    with translation.override(document_language(lang)):
        at = pgettext("time of day", "kl.")
    return f"{dates.format_long_date(moment, lang)} {at} {dates.format_time(moment)}"


def _attendance_ics(invitee) -> bytes:
    """The meeting as an iCalendar invitation for someone who attends (UID and SEQUENCE of the meeting)."""
    return meeting_ics(invitee.meeting, method="REQUEST", attendee=invitee, partstat="ACCEPTED")


ANSWER_FIELDS = ["response", "response_note", "responded_by_clerk"]


@transaction.atomic
def attendance_answer(
    *,
    actor,
    invitee,
    response: str,
    note: str = "",
    deputy_person=None,
    deputy_name: str = "",
    deputy_email: str = "",
    by_clerk: bool = False,
    notify: bool = True,
    now=None,
) -> Invitee:
    """Register an invitee's answer (attend, cannot attend, send a deputy), by the invitee's link, by the
    signed-in member, or by a clerk on their behalf (`by_clerk`). Sending a deputy adds the deputy as an
    invitee for the same municipality and mails them their own link; changing away from a deputy withdraws
    them. The same answer twice changes nothing (no audit entry, no mail): double clicks and two tabs are safe.
    """
    now = now or timezone.now()
    invitee = (
        Invitee.objects.select_for_update(of=("self",))
        .select_related("meeting__body__cooperation", "municipality", "deputy_for")
        .get(pk=invitee.pk)
    )
    meeting = invitee.meeting
    _check_answerable(invitee, now=now, by_clerk=by_clerk)
    if response not in ANSWERS:
        raise MeetingsError(_("Velg ett av svarene."))
    if invitee.deputy_for_id and response == Response.DEPUTY:
        raise MeetingsError(_("En stedfortreder kan ikke sende en ny stedfortreder."))
    note = " ".join((note or "").split())[:500]
    before = snapshot(invitee, ANSWER_FIELDS)
    current = invitee.deputies.order_by("pk").first()
    mails, deputy_change = [], None

    if response == Response.DEPUTY:
        wanted = _deputy_wanted(
            invitee, deputy_person=deputy_person, deputy_name=deputy_name, deputy_email=deputy_email
        )
        if current is None or not _same_deputy(current, wanted):
            if current is not None:
                mails += _deputy_withdraw(actor=actor, invitee=invitee, deputy=current, by_clerk=by_clerk)
            deputy = Invitee.objects.create(
                meeting=meeting,
                person=wanted["person"],
                name=wanted["name"],
                email=wanted["email"],
                municipality=invitee.municipality,
                role=wanted["role"],
                deputy_for=invitee,
            )
            audit_log(
                actor=actor,
                actor_label=_actor_label(actor, invitee),
                action="create",
                verb="attendance_answer",
                obj=deputy,
                cooperation_id=meeting.body.cooperation_id,
                changes=snapshot(deputy),
                message=f"stedfortreder for {invitee.name}",
            )
            deputy_change = [current.name if current else None, deputy.name]
            if deputy.email and notify:
                # The summons PDF may need rendering: the invitation is queued by a worker after commit.
                from meetings.tasks import deputy_invitation_send

                transaction.on_commit(lambda: deputy_invitation_send.enqueue(deputy.pk), robust=True)
    elif current is not None:
        mails += _deputy_withdraw(actor=actor, invitee=invitee, deputy=current, by_clerk=by_clerk)
        deputy_change = [current.name, None]

    invitee.response, invitee.response_note, invitee.responded_by_clerk = response, note, by_clerk
    after = snapshot(invitee, ANSWER_FIELDS)
    if after == before and deputy_change is None:
        return invitee  # nothing changed: the second click of a double click
    invitee.responded_at = now
    invitee.responded_by = acting_user(actor)
    invitee.save(update_fields=ANSWER_FIELDS + ["responded_at", "responded_by"])
    changes = {k: [before[k], after[k]] for k in ANSWER_FIELDS if before[k] != after[k]}
    if deputy_change:
        changes["deputy"] = deputy_change
    audit_log(
        actor=actor,
        actor_label=_actor_label(actor, invitee),
        action="update",
        verb="attendance_answer",
        obj=invitee,
        changes=changes,
        cooperation_id=meeting.body.cooperation_id,
        message="registrert av sekretariatet" if by_clerk else "",
    )

    lang = _lang(meeting)
    if invitee.email:
        mails.append(
            _mail(
                "confirmation",
                to=invitee.email,
                meeting=meeting,
                context={
                    "invitee": invitee,
                    "answer": answer_word(response, lang),
                    "by_clerk": by_clerk,
                    "deputy": invitee.deputies.order_by("pk").first() if response == Response.DEPUTY else None,
                    "url": invitee_answer_url(invitee),
                    "deadline": deadline_text(answer_deadline(invitee), lang),
                    "open": answer_is_open(invitee, now=now),
                },
                ics=_attendance_ics(invitee) if response == Response.ATTENDING else None,
            )
        )
    if invitee.deputy_for_id and invitee.deputy_for.email:
        mails.append(
            _mail(
                "deputy_answered",
                to=invitee.deputy_for.email,
                meeting=meeting,
                context={
                    "deputy": invitee,
                    "invitee": invitee.deputy_for,
                    "answer": answer_word(response, lang),
                    "url": invitee_answer_url(invitee.deputy_for),
                },
            )
        )
    if notify:
        _queue(mails, now=now)
    return invitee


def _deputy_withdraw(*, actor, invitee, deputy, by_clerk) -> list:
    """Remove a deputy no longer sent (their link stops working); returns the mail telling them."""
    if deputy.present:
        raise MeetingsError(
            _("%(name)s er registrert som til stede og kan ikke trekkes som stedfortreder.") % {"name": deputy.name}
        )
    meeting = invitee.meeting
    audit_log(
        actor=actor,
        actor_label=_actor_label(actor, invitee),
        action="delete",
        verb="attendance_answer",
        obj=deputy,
        changes=snapshot(deputy),
        cooperation_id=meeting.body.cooperation_id,
        message=f"ikke lenger stedfortreder for {invitee.name}",
    )
    email, name = deputy.email, deputy.name
    cancellation = None
    if email:  # the calendar entry the invitation put in their calendar is taken out again
        from meetings.documents.calendar import meeting_ics

        cancellation = meeting_ics(meeting, method="CANCEL", attendee=deputy)
    deputy.delete()
    if not email:
        return []
    return [
        _mail(
            "deputy_withdrawn",
            to=email,
            meeting=meeting,
            context={"name": name, "invitee": invitee},
            ics=cancellation,
            ics_method="CANCEL",
        )
    ]


REMINDER_INTERVAL = timedelta(days=1)


@transaction.atomic
def attendance_remind(*, actor, meeting, now=None) -> list[ReminderSent]:
    """Mail every invitee who has not answered their link again, recorded; nobody twice within a day."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body__cooperation").get(pk=meeting.pk)
    if not rules.may_remind(meeting):
        raise MeetingsError(_("Påminnelser kan bare sendes for møter som er innkalt."))
    recent = ReminderSent.objects.filter(invitee__meeting=meeting, sent_at__gt=now - REMINDER_INTERVAL)
    candidates = list(
        meeting.invitees.filter(response=Response.PENDING)
        .exclude(email="")
        .exclude(pk__in=recent.values("invitee_id"))
        .select_related("deputy_for")
    )
    for invitee in candidates:
        invitee.meeting = meeting
    recipients = [i for i in candidates if answer_is_open(i, now=now)]
    if not recipients:
        raise MeetingsError(
            _(
                "Ingen å minne på: alle har svart, mangler e-postadresse, har passert fristen "
                "eller har fått en påminnelse det siste døgnet."
            )
        )
    lang = _lang(meeting)
    messages = []
    for invitee in recipients:
        messages.append(
            _mail(
                "reminder",
                to=invitee.email,
                meeting=meeting,
                context={
                    "invitee": invitee,
                    "url": invitee_answer_url(invitee),
                    "deadline": deadline_text(answer_deadline(invitee), lang),
                },
            )
        )
    rows = ReminderSent.objects.bulk_create(
        [ReminderSent(invitee=i, sent_at=now, sent_by=acting_user(actor)) for i in recipients]
    )
    audit_log(
        actor=actor,
        action="event",
        verb="attendance_remind",
        obj=meeting,
        cooperation_id=meeting.body.cooperation_id,
        changes={"invitees": [i.name for i in recipients]},
        message=f"påminnelse sendt til {len(recipients)}",
    )
    _queue(messages, now=now)
    return rows


@transaction.atomic
def attendance_check_in(*, actor, invitee, present: bool | None) -> Invitee:
    """Mark whether an invitee is actually present at the meeting (the minutes read it); None = not marked."""
    invitee = Invitee.objects.select_for_update(of=("self",)).select_related("meeting__body").get(pk=invitee.pk)
    refusal = rules.check_in_refusal(invitee.meeting)
    if refusal:
        raise MeetingsError(refusal)
    if invitee.present == present:
        return invitee
    before = invitee.present
    invitee.present = present
    invitee.save(update_fields=["present"])
    audit_log(
        actor=actor,
        action="update",
        verb="attendance_check_in",
        obj=invitee,
        changes={"present": [before, present]},
        cooperation_id=invitee.meeting.body.cooperation_id,
    )
    return invitee


def body_quorum_set(*, actor, body, rule: str, minimum: int | None = None):
    """Set when a body is vedtaksfør (more than half of its members or of the member municipalities, and at
    least its minimum): body_update, audited under this name."""
    from meetings.services.bodies import body_update

    return body_update(body=body, actor=actor, quorum_rule=rule, quorum_minimum=minimum, verb="body_quorum_set")
