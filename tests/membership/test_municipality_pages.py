"""Pages for municipalities: list, page with memberships, offices and population, forms, merger."""

from datetime import date

import pytest

from khs.models import AuditEntry
from membership.models import Membership, Municipality, Office
from tests import factories as f
from tests.membership.conftest import grow_register


def test_municipality_page_shows_memberships_offices_and_population(clerk_client, municipalities, mayor, coop):
    gol = municipalities["gol"]
    f.make_population(gol, 2012, 4581)
    f.make_population(gol, 2017, 4612)
    other = f.make_cooperation(name="Regionrådet", short_name="RR")
    f.make_membership(other, gol, starts_on=date(2000, 1, 1))  # not given to the clerk: not shown
    gol_mayor = f.make_person("Ordfører i Gol")
    f.make_office(gol_mayor, municipality=gol, starts_on=date(2011, 10, 1), ends_on=date(2015, 9, 30))
    response = clerk_client.get(f"/municipalities/{gol.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    # Exact cells, not bare letters: "RR" can occur by chance inside a CSRF token.
    assert "0617 Gol" in page and '<th scope="row">HS</th>' in page
    assert '<th scope="row">RR</th>' not in page and "Regionrådet" not in page
    assert "Ordfører i Gol" in page and "30.09.2015" in page
    assert "4\xa0581" in page and "4\xa0612" in page


def test_a_merged_municipality_links_its_successor_and_back(admin_client, municipalities, administrator):
    from membership.services import municipality_merge

    drammen = municipality_merge(
        predecessors=[municipalities["drammen"]],
        successor_number="3005",
        name="Drammen",
        on=date(2020, 1, 1),
        actor=administrator,
    )
    old_page = admin_client.get(f"/municipalities/{municipalities['drammen'].pk}/").content.decode()
    assert "Opphørte 31.12.2019" in old_page and f"/municipalities/{drammen.pk}/" in old_page
    new_page = admin_client.get(f"/municipalities/{drammen.pk}/").content.decode()
    assert "Videreført fra" in new_page and "0602 Drammen" in new_page


def test_list_shows_todays_municipalities_or_all(clerk_client, municipalities):
    f.make_municipality("0628", "Hurum", valid_to=date(2019, 12, 31))
    today = clerk_client.get("/municipalities/").context["municipalities"]
    assert [m.number for m in today] == ["0602", "0617", "0626"]
    assert all(m.is_member for m in today)
    everything = clerk_client.get("/municipalities/", {"vis": "alle"}).context["municipalities"]
    assert [m.number for m in everything] == ["0602", "0617", "0626", "0628"]


@pytest.mark.parametrize("extra", [0, 12])
def test_municipality_pages_keep_a_fixed_query_count(
    clerk_client, municipalities, coop, extra, django_assert_max_num_queries
):
    grow_register(coop, extra)
    gol = municipalities["gol"]
    for year in range(2000, 2000 + extra):
        f.make_population(gol, year, 4000 + year)
        f.make_office(
            f.make_person(),
            kind=Office.Kind.DEPUTY_MAYOR,
            municipality=gol,
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
        )
    with django_assert_max_num_queries(13):
        assert clerk_client.get("/municipalities/").status_code == 200
    with django_assert_max_num_queries(20):  # 19 before the cooperation's own invoice record was shown
        assert clerk_client.get(f"/municipalities/{gol.pk}/").status_code == 200


def test_create_municipality(admin_client, coop):
    response = admin_client.post(
        "/municipalities/new/",
        {"number": "3025", "name": "Asker", "org_number": "944382038", "valid_from": "2020-01-01", "county": "Viken"},
    )
    asker = Municipality.objects.get(number="3025")
    assert response["Location"] == f"/municipalities/{asker.pk}/"
    assert asker.valid_from == date(2020, 1, 1)
    assert AuditEntry.objects.get(verb="municipality_create").cooperation_id == coop.pk


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"number": "3025", "name": "Asker", "org_number": "944382039"},
            "org_number",
            "«944382039» er ikke et gyldig organisasjonsnummer (9 siffer med riktig kontrollsiffer).",
        ),
        ({"number": "325", "name": "Asker"}, "number", "Kommunenummer har fire siffer, f.eks. 0602."),
        ({"number": "0626", "name": "Lier igjen"}, "number", "Kommunenummer 0626 brukes allerede av Lier"),
        (
            {"number": "3025", "name": "Asker", "valid_from": "2020-01-01", "valid_to": "2019-01-01"},
            "valid_to",
            "«Gyldig til» kan ikke være før «gyldig fra».",
        ),
    ],
)
def test_bad_municipality_is_refused_beside_the_field(admin_client, municipalities, data, field, message):
    before = Municipality.objects.count()
    response = admin_client.post("/municipalities/new/", data)
    assert response.status_code == 200
    assert any(e.startswith(message) for e in response.context["form"].errors[field])
    assert message.split("«")[0] in response.content.decode() or "&laquo;" in response.content.decode()
    assert Municipality.objects.count() == before


def test_edit_municipality_keeps_the_number(admin_client, municipalities):
    gol = municipalities["gol"]
    response = admin_client.post(
        f"/municipalities/{gol.pk}/edit/",
        {
            "number": "3041",
            "name": "Gol",
            "name_nn": "Gol",
            "org_number": gol.org_number,
            "invoice_email": "postmottak@gol.kommune.no",
        },
    )
    assert response.status_code == 302
    gol.refresh_from_db()
    assert (gol.number, gol.invoice_email) == ("0617", "postmottak@gol.kommune.no")


def test_ending_a_member_municipality_by_editing_is_refused(admin_client, municipalities):
    gol = municipalities["gol"]
    response = admin_client.post(f"/municipalities/{gol.pk}/edit/", {"name": "Gol", "valid_to": "2019-12-31"})
    assert "avslutt det først" in response.content.decode()
    gol.refresh_from_db()
    assert gol.valid_to is None


def test_merge_page_records_the_successor(admin_client, municipalities, coop):
    response = admin_client.post(
        "/municipalities/merge/",
        {
            "predecessors": [municipalities["drammen"].pk, municipalities["lier"].pk],
            "on": "01.01.2020",
            "successor_number": "3005",
            "name": "Drammen",
            "county": "Viken",
        },
    )
    drammen = Municipality.objects.get(number="3005")
    assert response["Location"] == f"/municipalities/{drammen.pk}/"
    assert Membership.objects.get(municipality=drammen, cooperation=coop).starts_on == date(2020, 1, 1)


def test_merge_page_shows_why_it_refuses(admin_client, municipalities):
    response = admin_client.post(
        "/municipalities/merge/",
        {"predecessors": [municipalities["gol"].pk], "on": "2020-01-01", "successor_number": "0626", "name": "Gol"},
    )
    assert response.status_code == 200
    assert "Kommunenummer 0626 brukes allerede av 0626 Lier" in response.content.decode()
    assert not Municipality.objects.filter(valid_from=date(2020, 1, 1)).exists()


def test_treasurer_reads_but_does_not_change_municipalities(treasurer_client, municipalities):
    gol = municipalities["gol"]
    assert treasurer_client.get(f"/municipalities/{gol.pk}/").status_code == 200
    assert treasurer_client.get(f"/municipalities/{gol.pk}/edit/").status_code == 403
    assert treasurer_client.post("/municipalities/new/", {"number": "3025", "name": "Asker"}).status_code == 403
    assert treasurer_client.post("/municipalities/merge/", {}).status_code == 403


def test_municipality_pages_are_for_staff(mayor_client, municipalities):
    assert mayor_client.get("/municipalities/").status_code == 403
    assert mayor_client.get(f"/municipalities/{municipalities['gol'].pk}/").status_code == 403


def test_unknown_municipality_is_404(clerk_client, db, coop):
    assert clerk_client.get("/municipalities/999999/").status_code == 404


def test_municipality_list_refuses_post(clerk_client, municipalities):
    assert clerk_client.post("/municipalities/").status_code == 405
