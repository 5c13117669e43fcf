"""Sending mail without losing what was decided: a mail server that is down or silent (EMAIL_TIMEOUT)
is logged, never turned into a rolled-back answer or a 500.
(The dispatch outbox with retries is issue 13; until then a failed notice is logged.)"""

import logging
import smtplib

log = logging.getLogger("khs.mail")

MAIL_ERRORS = (OSError, smtplib.SMTPException)  # refused, unreachable, timed out, rejected


def send_quietly(messages) -> int:
    """Send each message; a failure is logged and the others still go. Returns how many were sent."""
    sent = 0
    for message in messages:
        try:
            sent += message.send() or 0
        except MAIL_ERRORS as error:
            log.warning("mail to %s not sent: %s: %s", ", ".join(message.to), type(error).__name__, error)
    return sent
