"""Every change to bodies, meetings, invitees, cases and agendas (summons and attendance are modules of their own).

Each service is atomic, checks the rules of the meeting's state (not just what the page hides),
writes an audit entry and returns the object. Views, commands, the demo and tests call these.
"""

from meetings.errors import MeetingsError
from meetings.services.bodies import (
    BODY_FIELDS,
    body_create,
    body_update,
    case_number_format_check,
)
from meetings.services.cases import (
    CASE_FIELDS,
    CASE_TEXT_FIELDS,
    agenda_reorder,
    case_attachment_add,
    case_attachment_remove,
    case_move,
    case_reference_add,
    case_reference_remove,
    case_register,
    case_series_continue,
    case_update,
    case_withdraw,
)
from meetings.services.meetings import (
    CALENDAR_FIELDS,
    MEETING_FIELDS,
    meeting_cancel,
    meeting_create,
    meeting_invitee_add,
    meeting_invitee_remove,
    meeting_invitees_default,
    meeting_invitees_reset,
    meeting_mark_held,
    meeting_status_set,
    meeting_update,
)

__all__ = [
    "BODY_FIELDS",
    "CALENDAR_FIELDS",
    "CASE_FIELDS",
    "CASE_TEXT_FIELDS",
    "MEETING_FIELDS",
    "MeetingsError",
    "agenda_reorder",
    "body_create",
    "body_update",
    "case_attachment_add",
    "case_attachment_remove",
    "case_move",
    "case_number_format_check",
    "case_reference_add",
    "case_reference_remove",
    "case_register",
    "case_series_continue",
    "case_update",
    "case_withdraw",
    "meeting_cancel",
    "meeting_create",
    "meeting_invitee_add",
    "meeting_invitee_remove",
    "meeting_invitees_default",
    "meeting_invitees_reset",
    "meeting_mark_held",
    "meeting_status_set",
    "meeting_update",
]
