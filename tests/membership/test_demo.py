"""The demo register of the seeds' world: the right members and totals on 1.1.2012, 1.1.2018 and 1.1.2020."""

from datetime import date

import pytest

from membership import demo
from membership.models import (
    Cooperation,
    CooperationAgreement,
    Membership,
    MembershipInvitation,
    Municipality,
    Office,
    Person,
    Population,
)
from membership.selectors import member_list, office_holder
from tests.demo_world import demo_loaded_once

KHS_2017 = {
    "Asker",
    "Bærum",
    "Hurum",
    "Røyken",
    "Drammen",
    "Lier",
    "Modum",
    "Nedre Eiker",
    "Øvre Eiker",
    "Sande",
    "Svelvik",
    "Kongsberg",
    "Flesberg",
    "Rollag",
    "Nore og Uvdal",
    "Ringerike",
    "Hole",
    "Jevnaker",
    "Krødsherad",
    "Sigdal",
    "Flå",
    "Nes",
    "Gol",
    "Hemsedal",
    "Ål",
    "Hol",
}


demo_loaded = demo_loaded_once(only_register=True)


@pytest.fixture
def world(demo_loaded, db):
    """The demo's register and users, loaded once for the module (each test runs in a savepoint of it)."""
    return Cooperation.objects.get(short_name="KHS")


def test_members_and_totals_on_1_1_2012_1_1_2018_and_1_1_2020(world):
    members = member_list(world, date(2012, 1, 1))
    assert {r.municipality.name for r in members.rows} == KHS_2017
    assert members.population_year == 2012
    assert members.total_population == 457844  # SSB 07459, 1.1.2012
    assert members.missing_population == 0

    members = member_list(world, date(2018, 1, 1))
    assert {r.municipality.name for r in members.rows} == KHS_2017
    assert (members.population_year, members.total_population) == (2017, 487348)
    assert all(r.mayor is not None for r in members.rows)

    # 1.1.2020: the successors are the members; their figures are the predecessors' 1.1.2017 figures summed,
    # labelled as derived, except Holmestrand (the data holds only Sande's part of it): none is invented.
    members = member_list(world, date(2020, 1, 1))
    numbers = [r.municipality.number for r in members.rows]
    assert len(numbers) == 22
    assert {"3025", "3005", "3802", "3040", "3049"} <= set(numbers)
    assert not any(n.startswith("0") for n in numbers)
    assert members.population_year == 2017
    assert members.total_population == 487348 - 9496  # all of 1.1.2017 but Sande (Holmestrand)
    assert members.missing_population == 1 and members.derived_population == 21
    drammen = next(r for r in members.rows if r.municipality.number == "3005")
    assert drammen.population == 68363 + 24718 + 6653
    assert drammen.population_source == (
        "Avledet av forgjengernes tall (SSB tabell 07459): 0602 Drammen, 0625 Nedre Eiker, 0711 Svelvik"
    )
    asker = Municipality.objects.get(number="3025")
    assert set(asker.predecessors.values_list("number", flat=True)) == {"0220", "0628", "0627"}
    assert Municipality.objects.get(number="0713").successor.number == "3802"  # Sande's part of Holmestrand
    assert Municipality.objects.get(number="3040").name == "Nesbyen"
    assert len(member_list(world, date(2024, 1, 1)).rows) == 22


def test_the_member_page_for_1_1_2020_shows_derived_figures_with_their_source(client, world):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sekretariat"))
    client.post("/cooperation/switch/", {"cooperation": world.pk})
    page = client.get("/members/", {"on": "2020-01-01"}).content.decode().replace("\xa0", " ")
    assert "22 kommuner, 477 852 innbyggere" in page and "innbyggertall mangler for 1 kommune" in page
    assert "Avledet av forgjengernes tall (SSB tabell 07459): 0220 Asker, 0627 Røyken, 0628 Hurum" in page
    assert "3025" in page and "0220 Asker</a>" not in page


def test_the_dashboard_counts_todays_members_with_derived_figures_and_says_so(client, world):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sekretariat"))
    client.post("/cooperation/switch/", {"cooperation": world.pk})
    page = " ".join(client.get("/dashboard/").content.decode().replace("\xa0", " ").split())
    assert "22 kommuner, 477 852 innbyggere per 1.1.2017" in page and " 0 innbyggere" not in page
    assert "Innbyggertallene for 21 kommuner er avledet av forgjengernes offisielle tall" in page
    members = member_list(world, date(2026, 6, 1))
    assert {r.municipality.number[:2] for r in members.rows} == {"32", "33", "39"}  # today's numbers
    assert members.derived_population == 21


def test_invitation_answers_hallingdal_agreement_and_idempotence(world):
    invitations = MembershipInvitation.objects.filter(cooperation=world, sent_on=date(2011, 10, 7))
    assert {i.municipality.name for i in invitations} == {
        "Hol",
        "Hemsedal",
        "Ål",
        "Gol",
        "Nes",
        "Flå",
        "Nore og Uvdal",
        "Rollag",
        "Flesberg",
        "Kongsberg",
    }
    assert all(i.answer == "accepted" and i.membership.starts_on == date(2012, 1, 1) for i in invitations)
    gol = invitations.get(municipality__name="Gol")
    assert "SAK 55/11" in gol.answer_reference

    # Regionrådet for Hallingdal writes Nynorsk; the KHS agreement ended 31.12.2017.
    hallingdal = Cooperation.objects.get(short_name="Regionrådet Hallingdal")
    assert hallingdal.language == "nn"
    assert {r.municipality.name for r in member_list(hallingdal, date(2017, 6, 15)).rows} == {
        "Flå",
        "Nes",
        "Gol",
        "Hemsedal",
        "Ål",
        "Hol",
    }
    assert CooperationAgreement.objects.get(cooperation=world, title="Samarbeidsavtale").ends_on == date(2017, 12, 31)
    gol = Municipality.objects.get(number="0617")
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2017, 6, 15), municipality=gol).name == "Ordfører i Gol"

    # Loading twice changes nothing.
    counts = [
        model.objects.count() for model in (Municipality, Membership, Office, Person, Population, MembershipInvitation)
    ]
    demo.load()
    assert [
        model.objects.count() for model in (Municipality, Membership, Office, Person, Population, MembershipInvitation)
    ] == counts


def test_the_demo_users_sign_in_with_the_passwords_load_demo_prints(client, world):
    from khs.demo import DEMO_USERS

    for username, password, *_ in DEMO_USERS:
        response = client.post("/login/", {"username": username, "password": password})
        assert response.status_code == 302 and response["Location"] == "/dashboard/", username
        assert client.get("/dashboard/").status_code == 200
        client.logout()
    assert client.post("/login/", {"username": "sekretariat", "password": "demo-okonomi-2017"}).status_code == 200
