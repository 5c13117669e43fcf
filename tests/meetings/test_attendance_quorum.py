"""Whether a body will have a quorum (vedtaksførhet) by the answers, and has one by check-in."""

from datetime import date

import pytest

from khs.models import AuditEntry
from meetings.models import Meeting
from meetings.selectors.attendance import attendance_overview
from meetings.services.attendance import MeetingsError, body_quorum_set
from membership.models import Body
from tests import factories as f


def _meeting(coop, answers, *, rule, minimum=None, members=None, guests=0):
    """A meeting with one invitee per answer (deputy answers as 'deputy:<deputy answer>')."""
    body = f.make_body(coop, quorum_rule=rule, quorum_minimum=minimum)
    meeting = f.make_meeting(body, status=Meeting.Status.SUMMONED)
    for n, answer in enumerate(answers):
        municipality = f.make_municipality()
        if members is None or n < members:
            f.make_membership(coop, municipality, starts_on=date(2012, 1, 1))
        response, _sep, deputy_answer = answer.partition(":")
        invitee = f.make_invitee(meeting, municipality=municipality, response=response)
        if deputy_answer:
            f.make_invitee(meeting, municipality=municipality, deputy_for=invitee, response=deputy_answer)
    for _ in range(guests):
        f.make_invitee(meeting, is_guest=True, response="attending")
    return meeting


@pytest.mark.parametrize("rule", Body.QuorumRule.values)
def test_more_than_half_represented_gives_a_quorum(coop, rule):
    # 26 members: 14 needed. 13 attend + 1 deputy who attends = 14.
    answers = ["attending"] * 13 + ["deputy:attending"] + ["absent"] * 12
    quorum = attendance_overview(_meeting(coop, answers, rule=rule)).quorum
    assert (quorum.total, quorum.required, quorum.confirmed, quorum.expected) == (26, 14, 14, "yes")


def test_exactly_half_is_not_a_quorum(coop):
    quorum = attendance_overview(
        _meeting(coop, ["attending"] * 13 + ["absent"] * 13, rule="majority_of_members")
    ).quorum
    assert (quorum.required, quorum.confirmed, quorum.expected) == (14, 13, "no")


def test_open_while_enough_have_not_answered_and_deputies_have_not_confirmed(coop):
    answers = ["attending"] * 10 + ["deputy:pending"] * 2 + ["pending"] * 2 + ["absent"] * 12
    quorum = attendance_overview(_meeting(coop, answers, rule="majority_of_members")).quorum
    assert (quorum.confirmed, quorum.possible, quorum.expected) == (10, 14, "open")


def test_a_deputy_who_cannot_come_leaves_the_member_unrepresented(coop):
    answers = ["attending", "deputy:absent", "absent"]
    quorum = attendance_overview(_meeting(coop, answers, rule="majority_of_members")).quorum
    assert (quorum.confirmed, quorum.possible, quorum.expected) == (1, 1, "no")


def test_municipality_rule_counts_member_municipalities_not_invitees(coop):
    # 4 invitees attend, but only 2 of their municipalities are members; 5 member municipalities in all.
    meeting = _meeting(coop, ["attending"] * 4, rule="majority_of_municipalities", members=2)
    for _ in range(3):
        f.make_membership(coop, f.make_municipality(), starts_on=date(2012, 1, 1))
    quorum = attendance_overview(meeting).quorum
    assert (quorum.total, quorum.required, quorum.confirmed, quorum.expected) == (5, 3, 2, "no")


def test_municipality_rule_ignores_memberships_that_ended_before_the_meeting(coop):
    meeting = _meeting(coop, ["attending", "attending"], rule="majority_of_municipalities")
    f.make_membership(coop, f.make_municipality(), starts_on=date(2010, 1, 1), ends_on=date(2016, 12, 31))
    assert attendance_overview(meeting).quorum.total == 2


def test_guests_never_count(coop):
    quorum = attendance_overview(_meeting(coop, ["absent", "absent"], rule="majority_of_members", guests=5)).quorum
    assert (quorum.total, quorum.confirmed) == (2, 0)


def test_a_minimum_raises_the_requirement(coop):
    quorum = attendance_overview(
        _meeting(coop, ["attending"] * 6 + ["absent"] * 4, rule="majority_of_members", minimum=8)
    ).quorum
    assert (quorum.required, quorum.expected) == (8, "no")


def test_present_is_counted_once_check_in_starts(coop):
    meeting = _meeting(coop, ["attending", "deputy:attending", "attending"], rule="majority_of_members")
    assert attendance_overview(meeting).quorum.present is None
    meeting.invitees.filter(deputy_for__isnull=False).update(present=True)
    quorum = attendance_overview(meeting).quorum
    assert (quorum.present, quorum.present_ok) == (1, False)
    meeting.invitees.filter(deputy_for=None, response="attending").update(present=True)
    assert attendance_overview(meeting).quorum.present == 3


def test_quorum_rule_is_set_by_a_service_with_an_audit_entry(coop, clerk):
    body = f.make_body(coop)
    body_quorum_set(actor=clerk, body=body, rule="majority_of_municipalities", minimum=10)
    body.refresh_from_db()
    assert (body.quorum_rule, body.quorum_minimum) == ("majority_of_municipalities", 10)
    entry = AuditEntry.objects.get(verb="body_quorum_set")
    assert entry.changes["quorum_minimum"] == [None, 10] and entry.cooperation_id == coop.pk
    with pytest.raises(MeetingsError):
        body_quorum_set(actor=clerk, body=body, rule="everyone")
