"""Påmelding / oppmøte: invitees answer through a personal link, send their deputy, the clerk checks them in.

Services (every state change of attendance) and the personal answer link. Reads for the pages are in
meetings/attendance_selectors.py, the participant list documents in meetings/attendance_documents.py.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khs.lib import dates
from khs.lib.audit import audit_log, snapshot
from khs.lib.mail import send_quietly
from khs.lib.text import mail_subject
from meetings.errors import MeetingsError
from meetings.models import Invitee, Meeting, ReminderSent
from membership.models import Office, Person
from membership.selectors import active_on

Response = Invitee.Response
ANSWERS = (Response.ATTENDING, Response.ABSENT, Response.DEPUTY)
DEPUTY_ANSWERS = (Response.ATTENDING, Response.ABSENT)

# Fixed document words of the mails, right in both written languages whatever the .po files say.
WORDS = {
    "nb": {
        Response.PENDING: "Ikke svart",
        Response.ATTENDING: "Kommer",
        Response.ABSENT: "Kommer ikke",
        Response.DEPUTY: "Sender stedfortreder",
    },
    "nn": {
        Response.PENDING: "Ikkje svart",
        Response.ATTENDING: "Kjem",
        Response.ABSENT: "Kjem ikkje",
        Response.DEPUTY: "Sender stadfortredar",
    },
}
SUBJECTS = {
    "confirmation": {"nb": "Svaret ditt er registrert: {title}", "nn": "Svaret ditt er registrert: {title}"},
    "deputy_invitation": {
        "nb": "Du er meldt som stedfortreder: {title}",
        "nn": "Du er meldt som stadfortredar: {title}",
    },
    "deputy_withdrawn": {
        "nb": "Du er ikke lenger meldt som stedfortreder: {title}",
        "nn": "Du er ikkje lenger meldt som stadfortredar: {title}",
    },
    "deputy_answered": {"nb": "Stedfortrederen din har svart: {title}", "nn": "Stadfortredaren din har svart: {title}"},
    "reminder": {
        "nb": "Påminnelse: svar på innkallingen til {title}",
        "nn": "Påminning: svar på innkallinga til {title}",
    },
}


def _lang(meeting) -> str:
    return meeting.body.language if meeting.body.language in WORDS else "nb"


def answer_word(response: str, lang: str = "nb") -> str:
    return WORDS.get(lang, WORDS["nb"])[response]


# --- The personal link -------------------------------------------------------------------------------------

LINK_SALT = "meetings.attendance.answer-link"


def invitee_answer_token(invitee) -> str:
    """Signed (SECRET_KEY, a salt of its own) ids of the invitee and the meeting: unguessable, untamperable."""
    return signing.dumps({"i": invitee.pk, "m": invitee.meeting_id}, salt=LINK_SALT)


def invitee_answer_url(invitee) -> str:
    """The absolute personal link the summons and reminder mails carry; valid until the meeting ends."""
    return settings.SITE_URL + reverse("meetings:attendance_answer", args=[invitee_answer_token(invitee)])


def meeting_end(meeting):
    """When a meeting is over (its links stop working): its end, or a day after its start."""
    return meeting.ends_at or meeting.starts_at + timedelta(days=1)


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


# --- Who may answer when -----------------------------------------------------------------------------------


def answer_deadline(invitee):
    """Until when the invitee may answer themselves: the registration deadline; deputies, often named late,
    until the meeting starts."""
    meeting = invitee.meeting
    if invitee.deputy_for_id or meeting.registration_deadline is None:
        return meeting.starts_at
    return min(meeting.registration_deadline, meeting.starts_at)


def answer_is_open(invitee, *, now) -> bool:
    return invitee.meeting.status not in (
        Meeting.Status.CANCELLED,
        Meeting.Status.MINUTES_APPROVED,
    ) and now <= answer_deadline(invitee)


def _check_answerable(invitee, *, now, by_clerk: bool):
    meeting = invitee.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingsError(_("Møtet er avlyst."))
    if meeting.status == Meeting.Status.MINUTES_APPROVED:
        raise MeetingsError(_("Protokollen er godkjent; svarene kan ikke endres lenger."))
    if not by_clerk and now > answer_deadline(invitee):
        raise MeetingsError(_("Fristen for å svare har gått ut. Kontakt sekretariatet for å endre svaret."))


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
    if actor is not None and getattr(actor, "is_authenticated", False):
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


def _mail(kind: str, *, to: str, meeting, context: dict, ics: bytes | None = None) -> EmailMessage:
    lang = _lang(meeting)
    context = {
        **context,
        "meeting": meeting,
        "lang": lang,
        "words": WORDS[lang],
        "meeting_time": dates.format_meeting_time(meeting.starts_at, meeting.ends_at, lang),
        "contact": meeting_contact(meeting),
    }
    with translation.override(lang):
        body = render_to_string(f"meetings/attendance_mail_{kind}_{lang}.txt", context)
    message = EmailMessage(mail_subject(SUBJECTS[kind][lang].format(title=meeting.title)), body, None, [to])
    if ics is not None:
        message.attach("mote.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
    return message


def meeting_contact(meeting) -> str:
    """Whom to contact about a meeting: the meeting's contact, or the cooperation's address and phone."""
    if meeting.contact:
        return meeting.contact
    cooperation = meeting.body.cooperation
    return ", ".join(x for x in [cooperation.contact_email, cooperation.contact_phone] if x)


def deadline_text(moment, lang: str) -> str:
    """4. juni 2017 kl. 23.59"""
    return f"{dates.format_long_date(moment, lang)} kl. {dates.format_time(moment)}"


def _attendance_ics(invitee) -> bytes:
    """The meeting as an iCalendar invitation for someone who attends (UID and SEQUENCE of the meeting)."""
    meeting = invitee.meeting
    try:
        from meetings.documents.calendar import meeting_ics
    except ModuleNotFoundError as exc:  # the summons work brings meetings/calendar.py; until then, our own
        if exc.name != "meetings.documents.calendar":
            raise
    else:
        return meeting_ics(meeting, method="REQUEST", attendee=invitee)
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//khs//påmelding//NO")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", str(meeting.uid))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + timedelta(hours=2))
    event.add("summary", meeting.title)
    event.add("location", ", ".join(x for x in [meeting.place_name, meeting.place_address] if x))
    organizer = icalendar.vCalAddress(f"mailto:{meeting.body.cooperation.contact_email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = icalendar.vText(meeting.body.cooperation.name)
    event.add("organizer", organizer)
    if invitee.email:
        attendee = icalendar.vCalAddress(f"mailto:{invitee.email}")
        attendee.params.update({"cn": icalendar.vText(invitee.name), "partstat": "ACCEPTED", "role": "REQ-PARTICIPANT"})
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


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
            if deputy.email:
                mails.append(
                    _mail(
                        "deputy_invitation",
                        to=deputy.email,
                        meeting=meeting,
                        context={
                            "deputy": deputy,
                            "invitee": invitee,
                            "url": invitee_answer_url(deputy),
                            "deadline": deadline_text(answer_deadline(deputy), _lang(meeting)),
                        },
                    )
                )
    elif current is not None:
        mails += _deputy_withdraw(actor=actor, invitee=invitee, deputy=current, by_clerk=by_clerk)
        deputy_change = [current.name, None]

    invitee.response, invitee.response_note, invitee.responded_by_clerk = response, note, by_clerk
    after = snapshot(invitee, ANSWER_FIELDS)
    if after == before and deputy_change is None:
        return invitee  # nothing changed: the second click of a double click
    invitee.responded_at = now
    invitee.responded_by = actor if actor is not None and actor.is_authenticated else None
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
        send_quietly(mails)  # a mail server that is down must not undo the answer
    return invitee


def _deputy_withdraw(*, actor, invitee, deputy, by_clerk) -> list[EmailMessage]:
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
    deputy.delete()
    if not email:
        return []
    return [_mail("deputy_withdrawn", to=email, meeting=meeting, context={"name": name, "invitee": invitee})]


REMINDER_INTERVAL = timedelta(days=1)


@transaction.atomic
def attendance_remind(*, actor, meeting, now=None) -> list[ReminderSent]:
    """Mail every invitee who has not answered their link again, recorded; nobody twice within a day."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body__cooperation").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SUMMONED:
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
    recipients = [i for i in candidates if now <= answer_deadline(i)]
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
        [
            ReminderSent(invitee=i, sent_at=now, sent_by=actor if actor and actor.is_authenticated else None)
            for i in recipients
        ]
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
    send_quietly(messages)
    return rows


@transaction.atomic
def attendance_check_in(*, actor, invitee, present: bool | None) -> Invitee:
    """Mark whether an invitee is actually present at the meeting (the minutes read it); None = not marked."""
    invitee = Invitee.objects.select_for_update(of=("self",)).select_related("meeting__body").get(pk=invitee.pk)
    if invitee.meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.MINUTES_APPROVED):
        raise MeetingsError(_("Oppmøtet kan ikke endres for et avlyst møte eller etter at protokollen er godkjent."))
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


@transaction.atomic
def body_quorum_set(*, actor, body, rule: str, minimum: int | None = None):
    """Set when a body is vedtaksfør: more than half of its members or of the member municipalities."""
    from membership.models import Body

    if rule not in Body.QuorumRule.values:
        raise MeetingsError(_("Ukjent regel for vedtaksførhet."))
    if minimum is not None and minimum < 1:
        raise MeetingsError(_("Minstetallet må være minst 1."))
    before = snapshot(body, ["quorum_rule", "quorum_minimum"])
    body.quorum_rule, body.quorum_minimum = rule, minimum
    after = snapshot(body, ["quorum_rule", "quorum_minimum"])
    if after != before:
        body.save(update_fields=["quorum_rule", "quorum_minimum"])
        audit_log(
            actor=actor,
            action="update",
            verb="body_quorum_set",
            obj=body,
            cooperation_id=body.cooperation_id,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return body
