"""Background work of meetings (Django's Tasks API): preparing a dispatch, a deputy's papers, rendering documents."""

from django_tasks import task

from meetings.services.summons import dispatch_prepare


@task()
def dispatch_prepare_task(dispatch_id: int) -> int:
    """Render the dispatch's document once and queue its mails (they go out through the outbox)."""
    return dispatch_prepare(dispatch_id=dispatch_id).pk


@task()
def deputy_invitation_send(deputy_id: int) -> int | None:
    """Queue a deputy's invitation with the stored summons PDF (rendered first if this version is new)."""
    from meetings.services.attendance import deputy_invitation_queue

    mail = deputy_invitation_queue(deputy_id=deputy_id)
    return mail.pk if mail is not None else None


@task()
def meeting_documents_render(meeting_id: int) -> int:
    """Render the new versions of a meeting's documents after a change (meetings.documents.ready)."""
    from meetings.documents.ready import meeting_documents_render as render

    return len(render(meeting_id))
