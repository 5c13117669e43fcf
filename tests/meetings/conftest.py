"""Fixtures of the meetings tests.

Attendance: the mayors' meeting of HS on Thursday 15.06.2017 10–11 (registration deadline 4 June 23.59),
summoned, with the three member mayors invited (Lier's mayor is the `mayor` of the cast) and a deputy mayor
of Lier in office. `before_deadline` freezes the clock at 1 June 2017 noon.
"""

import pytest
from django.db import connection

from meetings.models import Body, Meeting
from membership.models import Office
from tests import factories as f


@pytest.fixture
def before_deadline(time_machine):
    time_machine.move_to(f.aware(2017, 6, 1, 12), tick=False)


@pytest.fixture
def mayors_body(coop):
    return f.make_body(coop, name="Ordførermøtet", quorum_rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES)


@pytest.fixture
def attendance_meeting(mayors_body):
    return f.make_meeting(mayors_body, title="Ordførermøte", status=Meeting.Status.SUMMONED,
                          contact="Kari Sekretær, kari@example.no")


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
