"""Background work of the core, written against Django's Tasks API (django-tasks, django.tasks from Django 6).

outbox_send is enqueued after every commit that put mail in the outbox, and by each worker when it starts.
Several may run at once: each claims its own messages. When retries or leases are still waiting, it enqueues
itself for the moment the first of them falls due (backends that cannot defer are swept at the next enqueue).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks import task

from khs import outbox

logger = logging.getLogger("khs.outbox")


@task()
def outbox_send() -> int:
    """Deliver every due message of the outbox; the database gone for a moment is waited for, not fatal."""
    sent = 0
    for _attempt in range(60):
        try:
            sent += outbox.deliver_due()
            break
        except (OperationalError, InterfaceError):
            logger.warning("database error while delivering the outbox; waiting", exc_info=True)
            outbox.wait_for_database()
    _schedule_next()
    return sent


def _schedule_next() -> None:
    when = outbox.next_due_at()
    if when is None:
        return
    backend = outbox_send.get_backend()
    if not getattr(backend, "supports_defer", False):
        return
    outbox_send.using(run_after=max(when, timezone.now())).enqueue()
