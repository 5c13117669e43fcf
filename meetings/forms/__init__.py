"""Forms of bodies, meetings, cases and attendance: they check and convert, never persist."""

from meetings.forms.attendance import (
    AnswerForm,
    CheckInForm,
)
from meetings.forms.meetings import (
    AttachmentForm,
    BodyForm,
    CaseForm,
    CaseMoveForm,
    CaseReferenceForm,
    CaseTextImportForm,
    CaseWithdrawForm,
    DateInput,
    InviteeForm,
    MeetingCancelForm,
    MeetingForm,
    RichTextField,
    RichTextWidget,
    TimeInput,
)

__all__ = [
    "AnswerForm",
    "AttachmentForm",
    "CaseTextImportForm",
    "BodyForm",
    "CaseForm",
    "CaseMoveForm",
    "CaseReferenceForm",
    "CaseWithdrawForm",
    "CheckInForm",
    "DateInput",
    "InviteeForm",
    "MeetingCancelForm",
    "MeetingForm",
    "RichTextField",
    "RichTextWidget",
    "TimeInput",
]
