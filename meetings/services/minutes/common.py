"""What the minutes services share: the audit entry, mail after commit, the draft's lock and version, and the
words the services write into the minutes and their mails in the body's language (gettext, context "minutes"
and "minutes mail", under translation.override like the documents)."""

import uuid

from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khs.lib.audit import audit_log
from khs.lib.i18n import document_language
from khs.mail import mail_queue
from meetings import rules
from meetings.documents.ready import documents_refresh
from meetings.errors import MeetingsError
from meetings.models import Invitee, Minutes, MinutesItem

Decision = MinutesItem.Decision
VoteMode = MinutesItem.VoteMode
Response = Invitee.Response
SIGN_SALT = "meetings.minutes.sign"


def document_words(body) -> dict:
    """The words that go into the minutes and their mails, in the body's language (documents follow the body,
    not the reader). Placeholders are %(name)s."""
    with translation.override(document_language(body.language)):
        return {
            "noted": pgettext("minutes", "Informasjonen tas til orientering."),
            "approval_item": pgettext("minutes", "Godkjenning av protokoll fra forrige møte"),
            "approval_proposal": pgettext("minutes", "Protokollen fra møtet %(date)s godkjennes."),
            "sign_subject": pgettext("minutes mail", "Protokoll til signering: %(title)s %(date)s"),
            "sign_body": pgettext(
                "minutes mail",
                "Til %(name)s\n\nProtokollen fra %(title)s %(date)s er klar. Du er valgt til å signere den.\n"
                "Les protokollen og signer, eller be om retting, her:\n%(link)s\n\nMed vennlig hilsen\n"
                "%(cooperation)s\n",
            ),
            "extract_subject": pgettext("minutes mail", "Melding om vedtak: sak %(label)s %(title)s"),
            "extract_body": pgettext(
                "minutes mail",
                "Til %(name)s\n\n%(body)s behandlet sak %(label)s %(title)s i møtet %(date)s. Vedtaket ligger "
                "ved som særutskrift (PDF).\n\nMed vennlig hilsen\n%(cooperation)s\n",
            ),
        }


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(*, actor, verb, obj, minutes, changes=None, message="", action="update"):
    audit_log(
        actor=actor,
        action=action,
        verb=verb,
        obj=obj,
        changes=changes,
        message=message,
        cooperation_id=minutes.meeting.body.cooperation_id,
    )


# --- Mail: one small function, so it can move to the outbox ---------------------------------------------------


def _send_after_commit(messages: list[EmailMessage]) -> None:
    """Into the outbox with the change that causes them: delivered after commit (nothing on a rollback),
    retried or reported as failed on the minutes' dispatch like every other mail (khs.mail)."""
    for message in messages:
        mail_queue(message, kind="minutes", key=f"minutes:{uuid.uuid4().hex}")


def _lock(minutes: Minutes, version: int | None) -> Minutes:
    """The minutes row locked for this transaction; refused unless it is a draft at the version edited."""
    locked = Minutes.objects.select_for_update().select_related("meeting__body__cooperation").get(pk=minutes.pk)
    if locked.is_approved:
        raise MeetingsError(
            _("Protokollen er godkjent og kan ikke endres. En retting er et nytt vedtak i et senere møte.")
        )
    if not rules.minutes_is_editable(locked):
        raise MeetingsError(_("Protokollen er sendt til godkjenning. Den kan endres igjen når noen ber om retting."))
    if version is not None and int(version) != locked.version:
        raise MeetingsError(
            _(
                "Noen andre har lagret protokollen etter at du åpnet den (versjon %(theirs)s, du redigerte "
                "versjon %(yours)s). Endringene dine er ikke lagret: åpne protokollen på nytt og gjør dem igjen."
            )
            % {"theirs": locked.version, "yours": version}
        )
    return locked


def _touch(minutes: Minutes, actor, now=None) -> None:
    minutes.version += 1
    minutes.updated_at = now or timezone.now()
    minutes.updated_by = _user(actor)
    minutes.save(update_fields=["version", "updated_at", "updated_by"])
    documents_refresh(minutes.meeting_id)  # the draft's PDF, ready for the preview
