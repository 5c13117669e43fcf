"""Background work of the core, written against Django's Tasks API (django-tasks, django.tasks from Django 6).

outbox_send is enqueued after every commit that put mail in the outbox, and by each worker when it starts
(sweep=True). Several may run at once: each claims its own messages. A run that puts messages off enqueues
one more run for when the first of them falls due; a worker's first sweep also does so for retries and
leases left by others. So the deferred runs are bounded by the retries, not by the commits.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks import task

from khs import outbox

logger = logging.getLogger("khs.outbox")


@task()
def outbox_send(sweep: bool = False) -> int:
    """Deliver every due message of the outbox; the database gone for a moment is waited for, not fatal."""
    sent, retries = 0, []
    for _attempt in range(60):
        try:
            sent += outbox.deliver_due(retries=retries)
            break
        except (OperationalError, InterfaceError):
            logger.warning("database error while delivering the outbox; waiting", exc_info=True)
            outbox.wait_for_database()
    if sweep:
        retries.append(outbox.next_due_at())
    _schedule_next(min((t for t in retries if t is not None), default=None))
    return sent


def _schedule_next(when) -> None:
    if when is None:
        return
    backend = outbox_send.get_backend()
    if not getattr(backend, "supports_defer", False):
        return
    outbox_send.using(run_after=max(when, timezone.now())).enqueue()
