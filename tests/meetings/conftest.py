"""Fixtures of the meetings tests: the cooperation's bodies and a draft mayors' meeting.

- mayors_body: "Ordførermøtet", {n}/{yyyy}, invites the mayor of every member municipality
- board: "Styret", {n:02}/{yyyy}, invites its members
- meeting: a draft mayors' meeting on Thursday 15.06.2017 10–11 (the mayor of Lier is invited)

Attendance: the mayors' meeting of HS on Thursday 15.06.2017 10–11 (registration deadline 4 June 23.59),
summoned, with the three member mayors invited (Lier's mayor is the `mayor` of the cast) and a deputy mayor
of Lier in office. `before_deadline` freezes the clock at 1 June 2017 noon.
"""

from datetime import date

import pytest
from django.db import connection

from meetings import services
from meetings.models import Meeting
from membership.models import Body, Office
from tests import factories as f


@pytest.fixture
def mayors_body(coop, clerk):
    return services.body_create(
        cooperation=coop,
        actor=clerk,
        name="Ordførermøtet",
        kind=Body.Kind.MAYORS_MEETING,
        case_number_format="{n}/{yyyy}",
        invite_mode=Body.InviteMode.MEMBER_MAYORS,
        addressee="Til ordførere i kommuner tilsluttet samarbeidet.",
    )


@pytest.fixture
def board(coop, clerk):
    return services.body_create(
        cooperation=coop,
        actor=clerk,
        name="Styret",
        kind=Body.Kind.BOARD,
        case_number_format="{n:02}/{yyyy}",
        invite_mode=Body.InviteMode.MEMBERS,
    )


@pytest.fixture
def board_members(board, municipalities):
    leader = f.make_person("Styreleder")
    member = f.make_person("Styremedlem")
    substitute = f.make_person("Varamedlem")
    f.make_office(leader, kind=Office.Kind.BODY_LEADER, body=board, starts_on=date(2016, 1, 1))
    f.make_office(
        member, kind=Office.Kind.BODY_MEMBER, body=board, starts_on=date(2016, 1, 1), municipality=municipalities["gol"]
    )
    f.make_office(substitute, kind=Office.Kind.BODY_SUBSTITUTE, body=board, starts_on=date(2016, 1, 1))
    return {"leader": leader, "member": member, "substitute": substitute}


@pytest.fixture
def meeting(mayors_body, mayor, clerk):
    return services.meeting_create(
        body=mayors_body,
        actor=clerk,
        title="Ordførermøte i Helsesamarbeidet",
        starts_at=f.aware(2017, 6, 15, 10),
        ends_at=f.aware(2017, 6, 15, 11),
        place_name="Elvebakken gård, Svensfjøsset",
        place_address="Heggeveien 5, 3403 Lier",
        registration_deadline=f.aware(2017, 6, 4, 23, 59),
    )


@pytest.fixture
def later_meeting(mayors_body, clerk):
    return services.meeting_create(
        body=mayors_body,
        actor=clerk,
        title="Ordførermøte høst",
        starts_at=f.aware(2017, 10, 19, 10),
        ends_at=f.aware(2017, 10, 19, 12),
    )


def register(body, actor, title="En sak", **fields):
    return services.case_register(body=body, actor=actor, title=title, **fields)


@pytest.fixture
def other_coop_case(other_clerk):
    """A case (on a meeting) in another cooperation, to prove URLs of it answer 404."""
    other = other_clerk.cooperations.get()
    body = services.body_create(cooperation=other, actor=other_clerk, name="Styret")
    meeting = services.meeting_create(
        body=body, actor=other_clerk, title="Annet møte", starts_at=f.aware(2017, 6, 1, 10)
    )
    return services.case_register(body=body, actor=other_clerk, title="Annen sak", meeting=meeting)


@pytest.fixture
def before_deadline(time_machine):
    time_machine.move_to(f.aware(2017, 6, 1, 12), tick=False)


@pytest.fixture
def attendance_body(coop):
    return f.make_body(coop, name="Ordførermøtet", quorum_rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES)


@pytest.fixture
def attendance_meeting(attendance_body):
    return f.make_meeting(
        attendance_body, title="Ordførermøte", status=Meeting.Status.SUMMONED, contact="Kari Sekretær, kari@example.no"
    )


@pytest.fixture
def deputy_mayor(municipalities):
    person = f.make_person("Varaordfører i Lier", email="vara@lier.example.no")
    f.make_office(person, kind=Office.Kind.DEPUTY_MAYOR, municipality=municipalities["lier"])
    return person


@pytest.fixture
def invitees(attendance_meeting, municipalities, mayor):
    """{"lier": the cast's mayor, "drammen": …, "gol": …}, each invited for their municipality."""
    result = {"lier": f.make_invitee(attendance_meeting, mayor, municipality=municipalities["lier"], role="Ordfører")}
    for key in ("drammen", "gol"):
        person = f.make_person(f"Ordfører i {municipalities[key].name}", email=f"ordforer@{key}.example.no")
        f.make_office(person, municipality=municipalities[key])
        result[key] = f.make_invitee(attendance_meeting, person, municipality=municipalities[key], role="Ordfører")
    return result


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")
