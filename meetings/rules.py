"""The rules of meetings and cases in one place: views, selectors, services, calendars and PDFs ask these."""

from meetings.models import Meeting

Status = Meeting.Status

# Which state a meeting may move to from each state. Anything else is refused.
TRANSITIONS = {
    Status.DRAFT: {Status.SUMMONED, Status.CANCELLED},
    Status.SUMMONED: {Status.HELD, Status.CANCELLED},
    Status.HELD: {Status.MINUTES_APPROVED},
    Status.MINUTES_APPROVED: set(),
    Status.CANCELLED: set(),
}
# What a clerk may set by hand on the meeting page. A meeting becomes summoned only by sending the
# summons (services.summons.meeting_summon), never by a status change that tells nobody.
MANUAL_STATUSES = {Status.HELD}
