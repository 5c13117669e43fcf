"""A held mayors' meeting of HS (15.06.2017) ready for its minutes, used by the minutes tests.

Four member municipalities: Lier, Drammen, Gol (from the cast) and Hol. Checked in: the mayors of Lier and
Drammen, Gol's deputy mayor for Gol's mayor (who sent her), and a guest; Hol's mayor answered "absent".
Cases: 1/2017 (decision), 2/2017 (decision, the contribution), 3/2017 (orientation).
"""

from datetime import date

import pytest

from meetings.models import Case, Invitee, Meeting
from meetings.services import minutes as minutes_services
from membership.models import Body
from tests import factories as f


@pytest.fixture
def held(coop, clerk, municipalities):
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(coop, hol, starts_on=date(2012, 1, 1))
    body = f.make_body(coop, name="Ordførermøtet", quorum_rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES)
    meeting = f.make_meeting(body, title="Ordførermøte i HS", status=Meeting.Status.HELD)
    people = {}
    for key, name, municipality, response in (
        ("lier", "Ordfører i Lier", municipalities["lier"], "attending"),
        ("drammen", "Ordfører i Drammen", municipalities["drammen"], "attending"),
        ("gol", "Ordfører i Gol", municipalities["gol"], "deputy"),
        ("hol", "Ordfører i Hol", hol, "absent"),
    ):
        people[key] = f.make_invitee(
            meeting, name=name, municipality=municipality, response=response, present=response == "attending"
        )
    people["gol_deputy"] = f.make_invitee(
        meeting,
        name="Varaordfører i Gol",
        municipality=municipalities["gol"],
        deputy_for=people["gol"],
        response="attending",
        present=True,
    )
    people["hol"].present = False
    people["hol"].save()
    people["guest"] = f.make_invitee(meeting, name="Rådgiver Gjest", is_guest=True, response="attending", present=True)
    cases = [
        f.make_case_row(
            body,
            1,
            meeting=meeting,
            agenda_position=1,
            title="Videreføring",
            proposed_resolution="<p>Samarbeidet videreføres til sommeren 2018.</p>",
        ),
        f.make_case_row(
            body,
            2,
            meeting=meeting,
            agenda_position=2,
            title="Kontingent",
            proposed_resolution="<p>Kontingenten settes til kr 2,50 per innbygger.</p>",
        ),
        f.make_case_row(body, 3, meeting=meeting, agenda_position=3, title="Orientering", kind=Case.Kind.ORIENTATION),
    ]
    minutes = minutes_services.minutes_create(meeting=meeting, actor=clerk)
    return {
        "meeting": meeting,
        "body": body,
        "people": people,
        "cases": cases,
        "minutes": minutes,
        "hol": hol,
        "municipalities": {**municipalities, "hol": hol},
        "Invitee": Invitee,
    }


def participant(minutes, name):
    return minutes.participants.get(name=name)


def item(minutes, number):
    return minutes.items.get(case__number=number)
