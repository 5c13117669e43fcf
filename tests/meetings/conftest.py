"""Fixtures of the meetings tests: the cooperation's bodies and a draft mayors' meeting.

- mayors_body: "Ordførermøtet", {n}/{yyyy}, invites the mayor of every member municipality
- board: "Styret", {n:02}/{yyyy}, invites its members
- meeting: a draft mayors' meeting on Thursday 15.06.2017 10–11 (the mayor of Lier is invited)
"""

from datetime import date

import pytest

from meetings import services
from meetings.models import Body
from membership.models import Office
from tests import factories as f


@pytest.fixture
def mayors_body(coop, clerk):
    return services.body_create(cooperation=coop, actor=clerk, name="Ordførermøtet", kind=Body.Kind.MAYORS_MEETING,
                                case_number_format="{n}/{yyyy}", invite_mode=Body.InviteMode.MEMBER_MAYORS,
                                addressee="Til ordførere i kommuner tilsluttet samarbeidet.")


@pytest.fixture
def board(coop, clerk):
    return services.body_create(cooperation=coop, actor=clerk, name="Styret", kind=Body.Kind.BOARD,
                                case_number_format="{n:02}/{yyyy}", invite_mode=Body.InviteMode.MEMBERS)


@pytest.fixture
def board_members(board, municipalities):
    leader = f.make_person("Styreleder")
    member = f.make_person("Styremedlem")
    substitute = f.make_person("Varamedlem")
    f.make_office(leader, kind=Office.Kind.BODY_LEADER, body=board, starts_on=date(2016, 1, 1))
    f.make_office(member, kind=Office.Kind.BODY_MEMBER, body=board, starts_on=date(2016, 1, 1),
                  municipality=municipalities["gol"])
    f.make_office(substitute, kind=Office.Kind.BODY_SUBSTITUTE, body=board, starts_on=date(2016, 1, 1))
    return {"leader": leader, "member": member, "substitute": substitute}


@pytest.fixture
def meeting(mayors_body, mayor, clerk):
    return services.meeting_create(
        body=mayors_body, actor=clerk, title="Ordførermøte i Helsesamarbeidet", starts_at=f.aware(2017, 6, 15, 10),
        ends_at=f.aware(2017, 6, 15, 11), place_name="Elvebakken gård, Svensfjøsset",
        place_address="Heggeveien 5, 3403 Lier", registration_deadline=f.aware(2017, 6, 4, 23, 59))


@pytest.fixture
def later_meeting(mayors_body, clerk):
    return services.meeting_create(body=mayors_body, actor=clerk, title="Ordførermøte høst",
                                   starts_at=f.aware(2017, 10, 19, 10), ends_at=f.aware(2017, 10, 19, 12))


def register(body, actor, title="En sak", **fields):
    return services.case_register(body=body, actor=actor, title=title, **fields)


@pytest.fixture
def other_coop_case(other_clerk):
    """A case (on a meeting) in another cooperation, to prove URLs of it answer 404."""
    other = other_clerk.cooperations.get()
    body = services.body_create(cooperation=other, actor=other_clerk, name="Styret")
    meeting = services.meeting_create(body=body, actor=other_clerk, title="Annet møte",
                                      starts_at=f.aware(2017, 6, 1, 10))
    return services.case_register(body=body, actor=other_clerk, title="Annen sak", meeting=meeting)
