"""What the services of bodies, meetings and cases share."""

import uuid

from django.utils.translation import gettext as _

from khs.lib.audit import snapshot
from meetings.errors import MeetingsError
from meetings.models import Meeting
from meetings.rules import TRANSITIONS  # noqa: F401  (the services import it from here)
from membership.models import Office

Status = Meeting.Status


# Words that go into documents and invitee lists in the body's language (not through .po files).
ROLE_WORDS = {
    Office.Kind.MAYOR: {"nb": "Ordfører", "nn": "Ordførar"},
    Office.Kind.BODY_LEADER: {"nb": "Leder", "nn": "Leiar"},
    Office.Kind.BODY_DEPUTY_LEADER: {"nb": "Nestleder", "nn": "Nestleiar"},
    Office.Kind.BODY_MEMBER: {"nb": "Medlem", "nn": "Medlem"},
}
INVITED_BODY_KINDS = (Office.Kind.BODY_LEADER, Office.Kind.BODY_DEPUTY_LEADER, Office.Kind.BODY_MEMBER)


def _snapshot(obj, fields=None) -> dict:
    """khs.lib.audit.snapshot, with UUIDs (Meeting.uid) as text so the entry is JSON."""
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in snapshot(obj, fields).items()}


def _meeting_open_check(meeting: Meeting, what: str) -> None:
    if not meeting.is_open:
        raise MeetingsError(
            _("%(what)s kan ikke endres når møtet har status «%(status)s».")
            % {"what": what, "status": meeting.get_status_display()}
        )
