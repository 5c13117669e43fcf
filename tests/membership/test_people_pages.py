"""Pages for people and their offices, limited to the current cooperation."""

from datetime import date

import pytest

from khs.models import AuditEntry
from membership.models import Office, Person
from tests import factories as f
from tests.membership.conftest import grow_register


@pytest.fixture
def asker_mayor(outsider_mayor):
    """The mayor of Asker, which is not a member of HS."""
    return outsider_mayor


def test_person_list_shows_people_of_the_cooperation_with_current_offices(clerk_client, mayor, asker_mayor):
    response = clerk_client.get("/people/")
    people = list(response.context["people"])
    assert mayor in people and asker_mayor not in people
    assert "Ordfører i Lier" in response.content.decode()
    found = clerk_client.get("/people/", {"q": "lier.example"}).context["people"]
    assert list(found) == [mayor]


def test_person_page_lists_offices_over_time(clerk_client, mayor, municipalities):
    f.make_office(
        mayor,
        kind=Office.Kind.MAYOR,
        municipality=municipalities["lier"],
        starts_on=date(2011, 10, 1),
        ends_on=date(2015, 9, 30),
    )
    page = clerk_client.get(f"/people/{mayor.pk}/").content.decode()
    assert "01.10.2011" in page and "30.09.2015" in page and "01.10.2015" in page


def test_another_cooperations_person_is_404(clerk_client, asker_mayor):
    assert clerk_client.get(f"/people/{asker_mayor.pk}/").status_code == 404
    assert clerk_client.get(f"/people/{asker_mayor.pk}/edit/").status_code == 404
    office = asker_mayor.offices.get()
    assert clerk_client.get(f"/offices/{office.pk}/edit/").status_code == 404
    assert clerk_client.post(f"/offices/{office.pk}/end/", {"ends_on": "2019-10-14"}).status_code == 404
    office.refresh_from_db()
    assert office.ends_on is None


@pytest.mark.parametrize("extra", [0, 12])
def test_people_pages_keep_a_fixed_query_count(clerk_client, coop, mayor, extra, django_assert_max_num_queries):
    grow_register(coop, extra)
    for _i in range(extra):
        f.make_office(mayor, kind=Office.Kind.BODY_MEMBER, body=f.make_body(coop), starts_on=date(2016, 1, 1))
    with django_assert_max_num_queries(13):
        response = clerk_client.get("/people/")
    assert len(response.context["people"]) == 1 + extra
    with django_assert_max_num_queries(13):
        assert clerk_client.get(f"/people/{mayor.pk}/").status_code == 200


def test_create_person_then_give_an_office(clerk_client, municipalities, coop):
    response = clerk_client.post(
        "/people/new/", {"name": "Kari Nordmann", "email": "kari@gol.kommune.no", "phone": "", "language": "nn"}
    )
    kari = Person.objects.get(name="Kari Nordmann")
    assert response["Location"] == f"/people/{kari.pk}/"
    assert AuditEntry.objects.get(verb="person_create").cooperation_id == coop.pk
    assert clerk_client.get(f"/people/{kari.pk}/").status_code == 200  # no office yet, still reachable
    response = clerk_client.post(
        "/offices/new/",
        {"person": kari.pk, "kind": "mayor", "municipality": municipalities["gol"].pk, "starts_on": "2019-10-15"},
    )
    assert response["Location"] == f"/people/{kari.pk}/"
    assert kari.offices.get().municipality == municipalities["gol"]


def test_new_mayor_ends_the_previous_one_through_the_page(clerk_client, mayor, municipalities):
    new = f.make_person("Ny ordfører i Lier")
    clerk_client.post(
        "/offices/new/",
        {"person": new.pk, "kind": "mayor", "municipality": municipalities["lier"].pk, "starts_on": "15.10.2019"},
    )
    assert mayor.offices.get().ends_on == date(2019, 10, 14)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"kind": "mayor", "starts_on": "2019-10-15"}, "municipality", "Velg kommunen vervet gjelder."),
        ({"kind": "body_leader", "starts_on": "2019-10-15"}, "body", "Velg organet vervet gjelder."),
        (
            {"kind": "mayor", "starts_on": "2019-10-15", "ends_on": "2019-01-01", "municipality": "lier"},
            "ends_on",
            "Sluttdatoen kan ikke være før startdatoen.",
        ),
        (
            {"kind": "mayor", "starts_on": "2015-10-01", "municipality": "lier"},
            "starts_on",
            "Ordfører i Lier har dette vervet i perioden 01.10.2015–(løpende); bare én kan ha det om gangen.",
        ),
    ],
)
def test_bad_office_is_refused_beside_the_field(clerk_client, mayor, municipalities, data, field, message):
    other = f.make_person("Annen")
    if data.get("municipality"):
        data["municipality"] = municipalities[data["municipality"]].pk
    response = clerk_client.post("/offices/new/", {"person": other.pk, **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not other.offices.exists()


def test_duplicate_email_is_refused_beside_the_field(clerk_client, mayor):
    response = clerk_client.post("/people/new/", {"name": "Ola", "email": mayor.email, "language": "nb"})
    assert response.context["form"].errors["email"] == [
        f"Ordfører i Lier er allerede registrert med e-postadressen {mayor.email}."
    ]
    assert not Person.objects.filter(name="Ola").exists()


def test_edit_and_end_an_office(clerk_client, mayor):
    office = mayor.offices.get()
    response = clerk_client.post(f"/offices/{office.pk}/edit/", {"title": "Ordfører", "starts_on": "2015-10-01"})
    assert response.status_code == 302
    response = clerk_client.post(f"/offices/{office.pk}/end/", {"ends_on": "2014-01-01"})
    assert response.context["form"].errors["ends_on"] == ["Sluttdatoen kan ikke være før startdatoen."]
    clerk_client.post(f"/offices/{office.pk}/end/", {"ends_on": "2019-10-14"})
    office.refresh_from_db()
    assert (office.title, office.ends_on) == ("Ordfører", date(2019, 10, 14))


def test_edit_person(clerk_client, mayor):
    response = clerk_client.post(
        f"/people/{mayor.pk}/edit/",
        {"name": mayor.name, "email": mayor.email, "phone": "32 22 01 00", "language": "nb"},
    )
    assert response.status_code == 302
    mayor.refresh_from_db()
    assert mayor.phone == "32 22 01 00"


def test_treasurer_reads_people_but_does_not_change_them(treasurer_client, mayor):
    assert treasurer_client.get(f"/people/{mayor.pk}/").status_code == 200
    assert treasurer_client.post(f"/people/{mayor.pk}/edit/", {"name": "X"}).status_code == 403
    assert treasurer_client.get("/offices/new/").status_code == 403
    mayor.refresh_from_db()
    assert mayor.name == "Ordfører i Lier"


def test_people_pages_refuse_wrong_methods(clerk_client, mayor):
    assert clerk_client.post("/people/").status_code == 405
    assert clerk_client.put(f"/offices/{mayor.offices.get().pk}/end/").status_code == 405
