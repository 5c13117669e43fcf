"""The one way khs builds and sends mail: render from templates, put in the outbox, deliver after commit.

    message = make_message("meetings/attendance_confirmation", to, context, lang)
    mail_queue(message, kind="attendance", key=f"confirmation:{invitee.pk}:{now.timestamp()}", about=invitee)

make_message renders templates/<app>/mail/<name>-subject.txt, -body.txt and, when it exists, -body.html in
the given language (subject and text templates turn autoescape off themselves; the HTML keeps it). mail_queue writes the message as a row of the outbox (khs.models.OutgoingMail) in the
caller's transaction and asks a worker to deliver it once that transaction has committed (khs/outbox.py).
Nothing here talks to a mail server.
"""

import base64
import hashlib
import re
from email.headerregistry import Address
from email.mime.base import MIMEBase
from email.utils import parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from khs.models import OutgoingMail

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_subject(text: str) -> str:
    """One line without control characters: a subject can neither break the header nor hide text."""
    return " ".join(_CONTROL.sub(" ", text).split())


def cooperation_sender(cooperation) -> dict:
    """From and Reply-To of a mail that belongs to a cooperation: its name as the display name of the
    installation's own address ('"Helsesamarbeidet" <noreply@…>', so SPF and DKIM still hold) and replies
    to its contact address. `cooperation` is anything with `name` and `contact_email`."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    name = " ".join((cooperation.name or "").split())
    sender = str(Address(display_name=name, addr_spec=address)) if name else settings.DEFAULT_FROM_EMAIL
    contact = (cooperation.contact_email or "").strip()
    return {"from_email": sender, "reply_to": [contact] if contact else None}


def _templates(name: str) -> tuple[str, str]:
    app, _sep, base = name.partition("/")
    return app, base


def make_message(
    name: str,
    to: str | list[str],
    context: dict,
    lang: str,
    *,
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    cooperation=None,
) -> EmailMultiAlternatives:
    """The mail `name` ("<app>/<name>") to `to`, rendered in `lang`; attachments are added by the caller.

    A mail that belongs to a cooperation (a summons, a reminder, an invoice) passes it: the mail then comes
    from the cooperation's name and replies go to its contact address (cooperation_sender), unless
    from_email or reply_to say otherwise."""
    if cooperation is not None:
        sender = cooperation_sender(cooperation)
        from_email = from_email or sender["from_email"]
        reply_to = reply_to or sender["reply_to"]
    app, base = _templates(name)
    stem = f"{app}/mail/{base}"
    with translation.override(lang):
        context = {**context, "lang": lang}
        subject = clean_subject(render_to_string(f"{stem}-subject.txt", context))
        body = render_to_string(f"{stem}-body.txt", context)
        try:
            html = render_to_string(f"{stem}-body.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=[to] if isinstance(to, str) else list(to),
        reply_to=reply_to or None,
        headers=headers or None,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def message_id(key: str) -> str:
    """The same Message-ID for every attempt at one outbox row: mail programs show a re-sent copy once."""
    domain = (settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "khs").strip(">") or "khs"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def _serialise(message: EmailMultiAlternatives, shared_files) -> dict:
    attachments = []
    for a in message.attachments:
        if isinstance(a, MIMEBase):
            data, filename, mimetype = a.get_payload(decode=True), a.get_filename(), a.get_content_type()
        else:
            filename, data, mimetype = a
        if isinstance(data, str):
            data = data.encode("utf-8")
        attachments.append({"name": filename, "mimetype": mimetype, "data": base64.b64encode(data).decode("ascii")})
    for filename, storage_name, mimetype in shared_files:
        attachments.append({"name": filename, "mimetype": mimetype, "file": storage_name})
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def mail_queue(
    message: EmailMultiAlternatives, *, kind: str, key: str, about=None, shared_files=(), error: str = ""
) -> OutgoingMail:
    """Put one message in the outbox (once per key); delivery starts when the caller's transaction commits.

    shared_files: (file name, storage name, content type) of attachments many messages share (the PDF of a
    summons), attached from storage when sent instead of stored once per message. A message that cannot be
    sent at all (a malformed address) is written as failed with `error`.
    """
    existing = OutgoingMail.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    message.extra_headers.setdefault("Message-ID", message_id(key))
    mail = OutgoingMail.objects.create(
        kind=kind,
        idempotency_key=key,
        recipient=", ".join(message.to)[:320],
        content_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=str(about.pk) if about is not None else "",
        message=_serialise(message, shared_files),
        status=OutgoingMail.Status.FAILED if error else OutgoingMail.Status.QUEUED,
        last_error=error,
    )
    if not error:
        deliver_after_commit()
    return mail


def deliver_after_commit() -> None:
    """Ask a worker to send what is due, once the current transaction has committed (at once outside one)."""
    from khs.tasks import outbox_send

    conn = transaction.get_connection()
    if conn.in_atomic_block:
        active = set(conn.savepoint_ids)
        if any(getattr(func, "khs_outbox", False) and set(sids) <= active for sids, func, _r in conn.run_on_commit):
            return  # one sweep per transaction sends all its mail

    def enqueue():
        outbox_send.enqueue()

    enqueue.khs_outbox = True
    transaction.on_commit(enqueue, robust=True)


def mails_about(objects) -> dict:
    """{object pk: its newest OutgoingMail} for rows of one model (the status shown beside each recipient)."""
    objects = list(objects)
    if not objects:
        return {}
    ct = ContentType.objects.get_for_model(objects[0])
    found = {}
    for mail in OutgoingMail.objects.filter(content_type=ct, object_id__in=[str(o.pk) for o in objects]):
        found[int(mail.object_id)] = mail
    return found


def mails_for(obj) -> list[OutgoingMail]:
    """Every message the outbox holds about one object, oldest first (an invoice's sendings and reminders)."""
    ct = ContentType.objects.get_for_model(obj)
    return list(OutgoingMail.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("created_at", "pk"))


def mail_counts(objects) -> dict:
    """{status: how many} of the messages about these objects (one query), for a run's progress."""
    objects = list(objects)
    counts = {status: 0 for status in OutgoingMail.Status.values}
    if objects:
        ct = ContentType.objects.get_for_model(objects[0])
        rows = OutgoingMail.objects.filter(content_type=ct, object_id__in=[str(o.pk) for o in objects])
        for status in rows.values_list("status", flat=True):
            counts[status] += 1
    return counts
