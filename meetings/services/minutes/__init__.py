"""Writing, approving and sending the minutes (protokoll) of a meeting.

Every service is atomic, audited, and checks the minutes' state itself. Edits of a draft name the version
they were made from (optimistic locking): a clerk saving over someone else's newer save is refused with a
message, never overwritten silently. Approval locks the minutes for good (see meetings.models.minutes),
writes each case's outcome and stores the PDF as approved with its SHA-256.

Two modules by aggregate: `drafting` (the body's settings, the draft, its head, participants, items, votes,
proposals and disqualifications) and `approval` (submitting, signing by link, approval at a later meeting,
the extract sent to the municipalities); `common` holds what both need. Callers import this package
(`from meetings.services import minutes`), which names the public services.
"""

from meetings.services.minutes.approval import (
    OUTCOMES,
    case_extract_send,
    minutes_correction_request,
    minutes_sign,
    minutes_submit,
    signer_for_token,
    signer_token,
    signer_url,
)
from meetings.services.minutes.common import SIGN_SALT
from meetings.services.minutes.drafting import (
    HEADER_FIELDS,
    body_minutes_settings_set,
    minutes_create,
    minutes_disqualification_add,
    minutes_disqualification_remove,
    minutes_item_add,
    minutes_item_update,
    minutes_participant_add,
    minutes_proposal_add,
    minutes_proposal_remove,
    minutes_settings_for,
    minutes_update,
)

__all__ = [
    "HEADER_FIELDS",
    "OUTCOMES",
    "SIGN_SALT",
    "body_minutes_settings_set",
    "case_extract_send",
    "minutes_correction_request",
    "minutes_create",
    "minutes_disqualification_add",
    "minutes_disqualification_remove",
    "minutes_item_add",
    "minutes_item_update",
    "minutes_participant_add",
    "minutes_proposal_add",
    "minutes_proposal_remove",
    "minutes_settings_for",
    "minutes_sign",
    "minutes_submit",
    "minutes_update",
    "signer_for_token",
    "signer_token",
    "signer_url",
]
