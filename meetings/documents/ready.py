"""Documents ready when asked for: after a change, a worker renders the new versions of a meeting's documents.

meetings.services enqueue meetings.tasks.meeting_documents_render after the commit of every change to a
meeting, its cases or its draft minutes (documents_refresh). Each document is the stored version for the
current content (meetings.documents.store), so the run renders only what changed: one case of a long
summons, that case's saksframlegg. Older versions are removed once store.KEEP_OLD_VERSIONS_DAYS old.
"""

from django.conf import settings
from django.db import transaction

from meetings.documents import store
from meetings.documents.minutes import minutes_document
from meetings.documents.papers import agenda_cases, case_document, summons_document
from meetings.models import Meeting, Minutes, RenderedDocument

Kind = RenderedDocument.Kind


def documents_refresh(*meeting_ids) -> None:
    """Have a worker render the meetings' documents once the current transaction has committed."""
    if not settings.DOCUMENTS_PRERENDER:
        return
    from meetings.tasks import meeting_documents_render

    for pk in sorted({pk for pk in meeting_ids if pk}):
        transaction.on_commit(lambda pk=pk: meeting_documents_render.enqueue(pk), robust=True)


def meeting_documents_render(meeting_id: int) -> list[RenderedDocument]:
    """The current versions of the meeting's summons, each case document and the draft minutes (rendered if new)."""
    meeting = Meeting.objects.select_related("body__cooperation").filter(pk=meeting_id).first()
    if meeting is None:
        return []
    ready = [summons_document(meeting)]
    for kind in (Kind.SUMMONS, Kind.SUMMONS_HEAD, Kind.PAGE_FRAME):
        store.prune(kind, meeting.pk)
    for case in agenda_cases(meeting):
        ready.append(case_document(case))
        store.prune(Kind.CASE_DOCUMENT, case.pk)
        store.prune(Kind.SUMMONS_CASE, case.pk)
    minutes = Minutes.objects.filter(meeting=meeting).exclude(status=Minutes.Status.APPROVED).first()
    if minutes is not None:
        ready.append(minutes_document(minutes))
        store.prune(Kind.MINUTES, minutes.pk)
    return ready
