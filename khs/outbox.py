"""Delivering the outbox: claim what is due, hand it to SMTP outside any transaction, record the answer.

- A row is due when queued, retrying with its time come, or "sending" with an expired lease (its worker died).
- Claiming is a conditional UPDATE (after SELECT ... FOR UPDATE SKIP LOCKED where the database has it): of two
  workers that see the same row, one gets it; the other moves on.
- The answer decides what comes next: 4xx, a refused or lost connection, a timeout -> retrying with backoff up
  to OUTBOX_MAX_ATTEMPTS; 5xx or a message that cannot be built -> failed at once.
- The object a message belongs to may define `mail_settled(mail)` (a dispatch recipient records a failure).
"""

import base64
import logging
import smtplib
import socket
import time
from datetime import timedelta
from email import encoders
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from khs.models import OutgoingMail

logger = logging.getLogger("khs.outbox")
Status = OutgoingMail.Status

BATCH = 10  # a worker that dies holds at most this many messages until their lease runs out


class Temporary(Exception):
    """The server or the network said "later"."""


class Permanent(Exception):
    """The server said "never" (or the message cannot be sent as it is)."""


def _setting(name: str, default):
    return getattr(settings, name, default)


def lease() -> timedelta:
    """How long a claimed message is a worker's: beyond the SMTP timeout of one message, with a margin."""
    return timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 4 * (settings.EMAIL_TIMEOUT or 30)))


def backoff(attempts: int) -> timedelta:
    base = _setting("OUTBOX_RETRY_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), _setting("OUTBOX_RETRY_MAX_SECONDS", 3600)))


def classify(exc: BaseException) -> Exception:
    """Temporary or Permanent, with the server's answer as the message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        text = "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}" for code, msg in answers
        )
        temporary = all(400 <= code < 500 for code, _msg in answers)
        return (Temporary if temporary else Permanent)(f"{type(exc).__name__}: {text}")
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        text = f"{type(exc).__name__}: {exc.smtp_code} {msg}"
        return (Temporary if 400 <= exc.smtp_code < 500 else Permanent)(text)
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout | TimeoutError | OSError):
        return Temporary(f"{type(exc).__name__}: {exc}")
    return Permanent(f"{type(exc).__name__}: {exc}")


def build(mail: OutgoingMail, files: dict) -> EmailMultiAlternatives:
    """The stored message as Django mail; files shared by many messages are read once per batch."""
    m = mail.message
    message = EmailMultiAlternatives(
        subject=m["subject"],
        body=m["body"],
        from_email=m.get("from_email"),
        to=m["to"],
        cc=m.get("cc") or None,
        reply_to=m.get("reply_to") or None,
        headers=m.get("headers") or None,
    )
    for content, mimetype in m.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for a in m.get("attachments", []):
        if "file" in a:
            # A file many messages share (a dispatch's PDF) is read and encoded once per worker run.
            key = (a["file"], a["name"], a["mimetype"])
            if key not in files:
                with default_storage.open(a["file"], "rb") as fh:
                    maintype, _sep, subtype = a["mimetype"].partition("/")
                    part = MIMEBase(maintype, subtype)
                    part.set_payload(fh.read())
                encoders.encode_base64(part)
                part.add_header("Content-Disposition", "attachment", filename=a["name"])
                files[key] = part
            message.attach(files[key])
        else:
            message.attach(a["name"], base64.b64decode(a["data"]), a["mimetype"])
    return message


def _due(now) -> Q:
    return (
        Q(status=Status.QUEUED)
        | Q(status=Status.RETRYING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_until__lt=now)
    )


def claim(worker: str, *, limit: int = BATCH) -> list[OutgoingMail]:
    """Up to `limit` due messages, each now this worker's for one lease."""
    now = timezone.now()
    with transaction.atomic():
        candidates = OutgoingMail.objects.filter(_due(now)).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        claimed = []
        for pk in ids:
            # Conditional: on a database without row locks, a second worker's UPDATE finds the row taken.
            if OutgoingMail.objects.filter(_due(now), pk=pk).update(
                status=Status.SENDING, claimed_by=worker, claimed_until=now + lease(), attempts=F("attempts") + 1
            ):
                claimed.append(pk)
    return list(OutgoingMail.objects.filter(pk__in=claimed, claimed_by=worker).order_by("pk"))


def settle(mail: OutgoingMail, *, worker: str, error: Exception | None) -> OutgoingMail:
    """Record the outcome of one attempt (only while the lease is still ours)."""
    now = timezone.now()
    if error is None:
        mail.status, mail.sent_at, mail.next_attempt_at = Status.SENT, now, None
    elif isinstance(error, Temporary) and mail.attempts < _setting("OUTBOX_MAX_ATTEMPTS", 8):
        mail.status, mail.next_attempt_at = Status.RETRYING, now + backoff(mail.attempts)
    else:
        mail.status, mail.next_attempt_at = Status.FAILED, None
    mail.last_error = "" if error is None else str(error)[:1000]
    mail.claimed_until = None
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk, claimed_by=worker).update(
            status=mail.status,
            sent_at=mail.sent_at,
            next_attempt_at=mail.next_attempt_at,
            last_error=mail.last_error,
            claimed_until=None,
        )
        about = _about(mail)
        if about is not None and hasattr(about, "mail_settled"):
            about.mail_settled(mail)
    return mail


def _about(mail: OutgoingMail):
    if mail.content_type_id is None:
        return None
    return mail.content_type.model_class()._default_manager.filter(pk=mail.object_id).first()


def _send_one(smtp, mail: OutgoingMail, files: dict) -> Exception | None:
    try:
        message = build(mail, files)
    except Exception as exc:  # noqa: BLE001 - a message that cannot be built will never be sent
        return Permanent(f"{type(exc).__name__}: {exc}")
    try:
        if not smtp.send_messages([message]):
            return Temporary("not sent")
    except Exception as exc:  # noqa: BLE001 - every answer of the server is recorded, none stops the others
        return classify(exc)
    return None


def deliver_due(*, worker: str | None = None, limit: int | None = None, retries: list | None = None) -> int:
    """Send what is due now, batch by batch over one SMTP connection; returns how many were sent.

    `retries`, when given, collects the next attempt times of the messages this run put off.
    """
    worker = worker or get_random_string(16)
    sent, files, smtp = 0, {}, None
    try:
        while limit is None or sent < limit:
            batch = claim(worker, limit=BATCH if limit is None else min(BATCH, limit - sent))
            if not batch:
                break
            for mail in batch:
                if smtp is None:
                    smtp = get_connection(fail_silently=False)
                error = _send_one(smtp, mail, files)
                if isinstance(error, Temporary):
                    # The connection may be broken: the next message opens a new one.
                    _close(smtp)
                    smtp = None
                settle(mail, worker=worker, error=error)
                sent += error is None
                if retries is not None and mail.status == Status.RETRYING:
                    retries.append(mail.next_attempt_at)
    finally:
        _close(smtp)
    return sent


def _close(smtp) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except Exception:  # noqa: BLE001 - a dead connection closes quietly
            logger.debug("closing a broken SMTP connection", exc_info=True)


def next_due_at():
    """When something not due now will be: the earliest retry or lease expiry (None if nothing waits)."""
    row = OutgoingMail.objects.filter(status__in=[Status.RETRYING, Status.SENDING]).aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Status.RETRYING)),
        lease=Min("claimed_until", filter=Q(status=Status.SENDING)),
    )
    times = [t for t in (row["retry"], row["lease"]) if t is not None]
    return min(times) if times else None


def wait_for_database(*, attempts: int | None = None, pause: float = 1.0) -> None:
    """Block until the database answers again (a restart, a failover): the worker waits, it does not crash."""
    tried = 0
    while True:
        try:
            close_old_connections()
            connection.close()
            connection.ensure_connection()
            return
        except (OperationalError, InterfaceError, DatabaseError):
            tried += 1
            if attempts is not None and tried >= attempts:
                raise
            logger.warning("database unreachable; waiting %.1f s", pause)
            time.sleep(pause)
            pause = min(pause * 2, 30)
