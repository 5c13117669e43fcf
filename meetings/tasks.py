"""Background work of meetings (Django's Tasks API): preparing a dispatch off the clerk's request."""

from django_tasks import task

from meetings.services.summons import dispatch_prepare


@task()
def dispatch_prepare_task(dispatch_id: int) -> int:
    """Render the dispatch's document once and queue its mails (they go out through the outbox)."""
    return dispatch_prepare(dispatch_id=dispatch_id).pk
