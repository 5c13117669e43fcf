"""People and offices: after an election a new office begins, and the history stays."""

from datetime import date

import pytest

from khs.models import AuditEntry
from membership.exceptions import MembershipError
from membership.models import Office, Person
from membership.selectors import mayors_on, office_holder
from membership.services import office_begin, office_end, office_update, person_create, person_update
from tests import factories as f


def as_staff(user):
    """A clerk acts for the cooperation they are given (its id goes to the service and its audit trail)."""
    return {"actor": user, "cooperation_id": user.cooperations.get().pk}


def test_the_mayor_of_gol_on_a_day_is_one_query(municipalities, django_assert_num_queries):
    gol = municipalities["gol"]
    first, second = f.make_person("Ordfører 2011"), f.make_person("Ordfører 2015")
    f.make_office(first, municipality=gol, starts_on=date(2011, 10, 1), ends_on=date(2015, 9, 30))
    f.make_office(second, municipality=gol, starts_on=date(2015, 10, 1))
    with django_assert_num_queries(1):
        assert office_holder(kind=Office.Kind.MAYOR, day=date(2017, 6, 15), municipality=gol) == second
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2012, 1, 1), municipality=gol) == first
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2011, 1, 1), municipality=gol) is None
    with django_assert_num_queries(1):
        assert mayors_on(municipalities.values(), date(2017, 6, 15)) == {gol.pk: second}


def test_a_new_mayor_after_an_election_ends_the_previous_term(municipalities, clerk):
    gol = municipalities["gol"]
    old = f.make_person("Ordfører i Gol 2015")
    old_office = f.make_office(old, municipality=gol, starts_on=date(2015, 10, 1))
    new = f.make_person("Ordfører i Gol 2019")
    office = office_begin(
        person=new, kind=Office.Kind.MAYOR, municipality=gol, starts_on=date(2019, 10, 15), **as_staff(clerk)
    )
    old_office.refresh_from_db()
    assert old_office.ends_on == date(2019, 10, 14)
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2019, 10, 14), municipality=gol) == old
    assert office_holder(kind=Office.Kind.MAYOR, day=date(2019, 10, 15), municipality=gol) == new
    assert office.pk and Office.objects.filter(municipality=gol).count() == 2
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"office_begin", "office_end"} <= verbs


def test_two_mayors_at_once_are_refused(municipalities, clerk):
    gol = municipalities["gol"]
    f.make_office(f.make_person("Ordfører"), municipality=gol, starts_on=date(2015, 10, 1), ends_on=date(2019, 10, 14))
    with pytest.raises(MembershipError) as caught:
        office_begin(
            person=f.make_person("Ny"),
            kind=Office.Kind.MAYOR,
            municipality=gol,
            starts_on=date(2019, 10, 1),
            **as_staff(clerk),
        )
    assert caught.value.field_errors["starts_on"] == [
        "Ordfører har dette vervet i perioden 01.10.2015–14.10.2019; bare én kan ha det om gangen."
    ]
    assert Office.objects.filter(municipality=gol).count() == 1


def test_many_members_of_a_body_at_once_are_fine_but_not_the_same_person_twice(coop, clerk):
    body = f.make_body(coop)
    a, b = f.make_person("A"), f.make_person("B")
    for person in (a, b):
        office_begin(
            person=person, kind=Office.Kind.BODY_MEMBER, body=body, starts_on=date(2016, 1, 1), **as_staff(clerk)
        )
    with pytest.raises(MembershipError, match="har allerede dette vervet"):
        office_begin(person=a, kind=Office.Kind.BODY_MEMBER, body=body, starts_on=date(2017, 1, 1), **as_staff(clerk))
    assert AuditEntry.objects.filter(verb="office_begin", cooperation_id=coop.pk).count() == 2


@pytest.mark.parametrize(
    "kind, field",
    [(Office.Kind.MAYOR, "municipality"), (Office.Kind.BODY_LEADER, "body"), (Office.Kind.SECRETARIAT, "cooperation")],
)
def test_an_office_needs_its_place(db, clerk, kind, field):
    with pytest.raises(MembershipError) as caught:
        office_begin(person=f.make_person(), kind=kind, starts_on=date(2016, 1, 1), **as_staff(clerk))
    assert list(caught.value.field_errors) == [field]


def test_an_office_in_a_municipality_before_it_existed_is_refused(db, administrator):
    asker = f.make_municipality("3025", "Asker", valid_from=date(2020, 1, 1))
    with pytest.raises(MembershipError, match="fantes ikke før 01.01.2020"):
        office_begin(
            person=f.make_person(),
            kind=Office.Kind.MAYOR,
            municipality=asker,
            starts_on=date(2019, 10, 1),
            actor=administrator,
        )


def test_ending_and_correcting_an_office(municipalities, clerk):
    office = f.make_office(f.make_person(), municipality=municipalities["lier"], starts_on=date(2015, 10, 1))
    office_end(office=office, ends_on=date(2019, 10, 14), **as_staff(clerk))
    office.refresh_from_db()
    assert office.ends_on == date(2019, 10, 14)
    with pytest.raises(MembershipError, match="allerede avsluttet"):
        office_end(office=office, ends_on=date(2019, 12, 31), **as_staff(clerk))
    office_update(office=office, title="Ordfører", **as_staff(clerk))
    assert AuditEntry.objects.get(verb="office_update").changes == {"title": ["", "Ordfører"]}
    with pytest.raises(MembershipError, match="Sluttdatoen kan ikke være før startdatoen"):
        office_update(office=office, ends_on=date(2014, 1, 1), **as_staff(clerk))


def test_secretariat_staff_belong_to_their_cooperation(coop, clerk):
    office = office_begin(
        person=f.make_person("Kari"),
        kind=Office.Kind.SECRETARIAT,
        cooperation=coop,
        title="Dagleg leiar",
        starts_on=date(2011, 1, 1),
        **as_staff(clerk),
    )
    assert (office.cooperation, office.municipality, office.body) == (coop, None, None)
    assert AuditEntry.objects.get(verb="office_begin").cooperation_id == coop.pk


def test_a_person_has_one_email_address_of_their_own(db, clerk):
    person_create(**as_staff(clerk), name="Ordfører i Lier", email="ordforer@lier.kommune.no")
    with pytest.raises(MembershipError) as caught:
        person_create(**as_staff(clerk), name="Ola", email="ORDFORER@lier.kommune.no")
    assert caught.value.field_errors["email"] == [
        "Ordfører i Lier er allerede registrert med e-postadressen ORDFORER@lier.kommune.no."
    ]
    with pytest.raises(MembershipError, match="gyldig e-postadresse"):
        person_create(**as_staff(clerk), name="Ola", email="ikke-en-adresse")
    assert Person.objects.count() == 1


def test_changing_a_members_address_moves_their_sign_in_with_it(mayor, administrator):
    # Changing an address is an administrator's act (tests/khs/test_credentials.py).
    from khs.services import member_user_ensure

    user = member_user_ensure(person=mayor)
    person_update(person=mayor, email="ny@lier.kommune.no", phone="32 22 01 00", actor=administrator)
    user.refresh_from_db()
    assert user.email == "ny@lier.kommune.no"
    assert AuditEntry.objects.get(verb="person_update").changes["phone"] == ["", "32 22 01 00"]
