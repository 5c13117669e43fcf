"""How far a dispatch has come: each recipient's copy as the outbox knows it (queued, sent, retrying, failed)."""

from dataclasses import dataclass

from khs.mail import mails_about
from meetings.models import Dispatch, DispatchRecipient

SENT, QUEUED, RETRYING, FAILED, PRINT = "sent", "queued", "retrying", "failed", "print"


@dataclass
class RecipientState:
    recipient: DispatchRecipient
    state: str  # one of the constants above ("queued" also covers a copy being prepared or sent right now)
    sent_at: object = None
    next_attempt_at: object = None
    why: str = ""  # the server's answer of a retry or a failure


def recipient_states(recipients) -> list[RecipientState]:
    """One state per recipient, in one query for any number of them."""
    recipients = list(recipients)
    mails = mails_about([r for r in recipients if r.channel == DispatchRecipient.Channel.EMAIL])
    states = []
    for r in recipients:
        mail = mails.get(r.pk)
        if r.channel == DispatchRecipient.Channel.PRINT:
            states.append(RecipientState(r, PRINT))
        elif mail is None:  # not queued yet (the worker is preparing the dispatch), or it could not be built
            states.append(RecipientState(r, FAILED, why=r.error) if r.error else RecipientState(r, QUEUED))
        elif mail.status == mail.Status.SENT:
            states.append(RecipientState(r, SENT, sent_at=mail.sent_at))
        elif mail.status == mail.Status.FAILED:
            states.append(RecipientState(r, FAILED, why=mail.last_error or r.error))
        elif mail.status == mail.Status.RETRYING:
            states.append(RecipientState(r, RETRYING, next_attempt_at=mail.next_attempt_at, why=mail.last_error))
        else:
            states.append(RecipientState(r, QUEUED))
    return states


def progress_counts(states) -> dict:
    counts = {SENT: 0, QUEUED: 0, RETRYING: 0, FAILED: 0, PRINT: 0}
    for s in states:
        counts[s.state] += 1
    counts["email"] = counts[SENT] + counts[QUEUED] + counts[RETRYING] + counts[FAILED]
    counts["done"] = counts[QUEUED] == 0 and counts[RETRYING] == 0
    return counts


def dispatch_progress(dispatch: Dispatch) -> tuple[list[RecipientState], dict]:
    states = recipient_states(dispatch.recipients.order_by("name", "pk"))
    return states, progress_counts(states)
