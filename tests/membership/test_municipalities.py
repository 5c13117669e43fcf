"""Municipalities: a merger or a new number is recorded as a successor, never typed over."""

from datetime import date

import pytest

from khs.models import AuditEntry
from membership.exceptions import MembershipError
from membership.models import Membership, Municipality, Office, Region
from membership.selectors import member_list, memberships_on, office_holder
from membership.services import membership_create, municipality_create, municipality_merge, municipality_update
from tests import factories as f

REFORM = date(2020, 1, 1)


@pytest.fixture
def asker_area(coop):
    """Asker, Hurum and Røyken, members of HS since 2012, each with a mayor; Hurum left at the end of 2015."""
    towns = {
        name: f.make_municipality(number, name)
        for number, name in (("0220", "Asker"), ("0628", "Hurum"), ("0627", "Røyken"))
    }
    for name, m in towns.items():
        f.make_membership(coop, m, starts_on=date(2012, 1, 1), ends_on=date(2015, 12, 31) if name == "Hurum" else None)
        f.make_office(f.make_person(f"Ordfører i {name}"), municipality=m, starts_on=date(2015, 10, 1))
    return towns


def test_merger_ends_the_predecessors_and_carries_open_memberships(coop, asker_area, administrator):
    region = Region.objects.create(name="Vestområdet")
    region.municipalities.add(asker_area["Røyken"])
    asker = municipality_merge(
        predecessors=asker_area.values(),
        successor_number="3025",
        name="Asker",
        on=REFORM,
        actor=administrator,
        county="Viken",
        org_number=f.valid_org_number(),
    )
    assert (asker.number, asker.valid_from, asker.valid_to) == ("3025", REFORM, None)
    for old in Municipality.objects.filter(number__in=["0220", "0628", "0627"]):
        assert (old.valid_to, old.successor) == (date(2019, 12, 31), asker)  # recorded, not typed over
    # One membership for the new Asker, from the day of the merger; the old ones end the day before.
    (carried,) = Membership.objects.filter(municipality=asker)
    assert (carried.cooperation, carried.starts_on, carried.ends_on) == (coop, REFORM, None)
    assert carried.note == "Videreført fra Asker, Røyken"
    assert [m.municipality.number for m in memberships_on(coop, REFORM)] == ["3025"]
    assert [m.municipality.number for m in memberships_on(coop, date(2019, 12, 31))] == ["0220", "0627"]
    assert Membership.objects.get(municipality=asker_area["Asker"]).ends_on == date(2019, 12, 31)
    assert Membership.objects.get(municipality=asker_area["Hurum"]).ends_on == date(2015, 12, 31)  # untouched
    # A merged municipality gets a new council: the old mayors step down, nobody is carried over.
    assert (
        office_holder(kind=Office.Kind.MAYOR, day=date(2019, 12, 31), municipality=asker_area["Asker"]).name
        == "Ordfører i Asker"
    )
    assert office_holder(kind=Office.Kind.MAYOR, day=REFORM, municipality=asker_area["Asker"]) is None
    assert office_holder(kind=Office.Kind.MAYOR, day=REFORM, municipality=asker) is None
    assert list(asker.regions.all()) == [region]
    assert AuditEntry.objects.filter(verb="municipality_merge").count() == 1 + 3 + 2 + 3 + 1


def test_member_list_after_the_merger_shows_the_successor_with_population_missing(coop, asker_area, administrator):
    f.make_population(asker_area["Asker"], 2017, 60781)
    asker = municipality_merge(
        predecessors=asker_area.values(), successor_number="3025", name="Asker", on=REFORM, actor=administrator
    )
    members = member_list(coop, REFORM)
    assert [(r.municipality, r.population) for r in members.rows] == [(asker, None)]
    assert members.missing_population == 1


def test_a_new_number_carries_the_mayor_too(coop, municipalities, administrator):
    gol = municipalities["gol"]
    mayor = f.make_person("Ordfører i Gol")
    f.make_office(mayor, municipality=gol, starts_on=date(2019, 10, 15), title="Ordførar")
    new_gol = municipality_merge(
        predecessors=[gol], successor_number="3041", name="Gol", on=REFORM, actor=administrator
    )
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2020, 6, 1), municipality=new_gol) == mayor
    assert Office.objects.get(municipality=new_gol).title == "Ordførar"
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2019, 11, 1), municipality=gol) == mayor  # history stays
    assert Office.objects.get(municipality=gol).ends_on == date(2019, 12, 31)


def test_a_merger_recorded_in_parts_reuses_the_successor(coop, asker_area, administrator):
    first = municipality_merge(
        predecessors=[asker_area["Asker"]],
        successor_number="3025",
        name="Asker",
        on=REFORM,
        actor=administrator,
        carry_offices=False,
    )
    second = municipality_merge(
        predecessors=[asker_area["Røyken"]], successor_number="3025", name="Asker", on=REFORM, actor=administrator
    )
    assert first == second
    assert Membership.objects.filter(municipality=first).count() == 1
    assert set(first.predecessors.values_list("number", flat=True)) == {"0220", "0627"}


def test_a_membership_ending_after_the_merger_keeps_its_end(coop, municipalities, administrator):
    lier = municipalities["lier"]
    Membership.objects.filter(municipality=lier).update(ends_on=date(2020, 6, 30))
    new_lier = municipality_merge(
        predecessors=[lier], successor_number="3049", name="Lier", on=REFORM, actor=administrator
    )
    assert Membership.objects.get(municipality=new_lier).ends_on == date(2020, 6, 30)


@pytest.mark.parametrize(
    "problem, message",
    [
        ("already_merged", "har allerede en etterfølger"),
        ("not_existing", "fantes ikke 31.12.2019"),
        ("number_taken", "Kommunenummer 3049 brukes allerede"),
        ("none", "Velg minst én kommune"),
    ],
)
def test_impossible_mergers_are_refused_and_change_nothing(coop, municipalities, administrator, problem, message):
    lier = municipalities["lier"]
    predecessors = [lier]
    if problem == "already_merged":
        municipality_merge(predecessors=[lier], successor_number="3049", name="Lier", on=REFORM, actor=administrator)
        lier.refresh_from_db()
    elif problem == "not_existing":
        Municipality.objects.filter(pk=lier.pk).update(valid_to=date(2018, 12, 31))
        Membership.objects.filter(municipality=lier).update(ends_on=date(2018, 12, 31))
    elif problem == "number_taken":
        f.make_municipality("3049", "Lier (feilregistrert)", valid_from=date(2019, 1, 1))
    elif problem == "none":
        predecessors = []
    before = Municipality.objects.count()
    with pytest.raises(MembershipError, match=message):
        municipality_merge(
            predecessors=predecessors, successor_number="3049", name="Lier", on=REFORM, actor=administrator
        )
    assert Municipality.objects.count() == before


def test_municipality_org_number_must_have_a_valid_check_digit(administrator, db):
    with pytest.raises(MembershipError) as caught:
        municipality_create(actor=administrator, number="0602", name="Drammen", org_number="939214896")
    assert caught.value.field_errors["org_number"] == [
        "«939214896» er ikke et gyldig organisasjonsnummer (9 siffer med riktig kontrollsiffer)."
    ]
    assert municipality_create(actor=administrator, number="0602", name="Drammen", org_number="939214895").pk


def test_a_kommunenummer_is_one_place_at_a_time(administrator, db):
    municipality_create(actor=administrator, number="0602", name="Drammen", valid_to=date(2019, 12, 31))
    with pytest.raises(MembershipError, match="Kommunenummer 0602 brukes allerede av Drammen"):
        municipality_create(actor=administrator, number="0602", name="Drammen 2", valid_from=date(2019, 1, 1))
    municipality_create(actor=administrator, number="0602", name="Ny kommune", valid_from=date(2020, 1, 1))


def test_malformed_kommunenummer_is_refused(administrator, db):
    with pytest.raises(MembershipError) as caught:
        municipality_create(actor=administrator, number="602", name="Drammen")
    assert caught.value.field_errors["number"] == ["Kommunenummer har fire siffer, f.eks. 0602."]


def test_update_records_changes_and_refuses_the_number(administrator, municipalities):
    gol = municipality_update(
        municipality=municipalities["gol"], actor=administrator, name_nn="Gol", invoice_email="faktura@gol.kommune.no"
    )
    assert AuditEntry.objects.get(verb="municipality_update").changes["invoice_email"][1] == "faktura@gol.kommune.no"
    with pytest.raises(MembershipError):
        municipality_update(municipality=gol, actor=administrator, number="3041")


def test_ending_a_municipality_with_an_open_membership_is_refused(administrator, municipalities):
    with pytest.raises(MembershipError, match="avslutt det først"):
        municipality_update(municipality=municipalities["gol"], actor=administrator, valid_to=date(2019, 12, 31))


def test_the_successor_can_join_later_cooperations(coop, asker_area, administrator):
    asker = municipality_merge(
        predecessors=asker_area.values(), successor_number="3025", name="Asker", on=REFORM, actor=administrator
    )
    other = f.make_cooperation()
    membership_create(cooperation=other, municipality=asker, starts_on=date(2021, 1, 1), actor=administrator)
    with pytest.raises(MembershipError, match="fantes ikke lenger"):
        membership_create(
            cooperation=other,
            municipality=asker_area["Asker"],
            starts_on=date(2021, 1, 1),
            ends_on=date(2021, 12, 31),
            actor=administrator,
        )
