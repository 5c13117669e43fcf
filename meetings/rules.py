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


# --- Minutes (protokoll): who may vote on an item, its quorum, when minutes may be written and approved --------
# (issue 11; kept in this section of its own)


def minutes_may_start(meeting, now) -> bool:
    """Minutes can be written for a held meeting, or one that has started (written during the meeting)."""
    return meeting.status == Status.HELD or (meeting.status == Status.SUMMONED and meeting.starts_at <= now)


def minutes_is_editable(minutes) -> bool:
    """A draft is edited by the clerk; minutes out for approval or approved are not."""
    return minutes.status == minutes.Status.DRAFT


def item_voters(item, participants, disqualifications) -> list:
    """Who may vote on this item: members and deputies present, less those disqualified for it, plus the
    substitutes who took a disqualified member's seat for this item only."""
    out = {d.participant_id for d in disqualifications if d.item_id == item.pk}
    subs = {d.substitute_id for d in disqualifications if d.item_id == item.pk and d.substitute_id}
    return [p for p in participants if (p.votes_in_meeting and p.pk not in out) or (p.pk in subs and p.is_present)]


def item_vote_units(item, voters) -> int:
    """How many votes can be cast: one per voter, or one per municipality when the item votes by municipality."""
    if item.vote_mode == item.VoteMode.MUNICIPALITIES:
        return len({p.municipality_id for p in voters if p.municipality_id})
    return len(voters)


def item_quorum(body, voters, *, members_total: int, municipalities_total: int) -> tuple[int, int]:
    """(present, required) for one item under the body's rule: more than half, and at least its minimum."""
    from membership.models import Body

    if body.quorum_rule == Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES:
        present, total = len({p.municipality_id for p in voters if p.municipality_id}), municipalities_total
    else:
        present, total = len(voters), members_total
    required = total // 2 + 1
    if body.quorum_minimum:
        required = max(required, body.quorum_minimum)
    return present, required
