"""The member list of the current cooperation for any date, with totals, and its CSV and XLSX."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from membership.models import Membership
from membership.selectors import member_list
from tests import factories as f
from tests.membership.conftest import grow_register

URL = "/members/"


@pytest.fixture
def register(coop, municipalities, mayor):
    """HS on 1.1.2018: Lier (mayor, 25 740), Drammen (68 363) and Gol (no figure yet)."""
    f.make_population(municipalities["lier"], 2017, 25740)
    f.make_population(municipalities["drammen"], 2017, 68363)
    f.make_population(municipalities["drammen"], 2012, 64597)
    return municipalities


def test_list_shows_members_population_share_mayor_and_totals(clerk_client, register, mayor):
    response = clerk_client.get(URL, {"on": "2018-01-01"})
    assert response.status_code == 200
    members = response.context["members"]
    assert members.population_year == 2017  # the latest figures up to the date
    assert [(r.municipality.number, r.population, r.share) for r in members.rows] == [
        ("0602", 68363, Decimal("72.6")),
        ("0617", None, None),
        ("0626", 25740, Decimal("27.4")),
    ]
    page = response.content.decode()
    assert "3 kommuner, 94\xa0103 innbyggere" in page
    assert "innbyggertall mangler for 1 kommune" in page
    assert "mangler</span>" in page
    assert mayor.name in page
    assert "72,6 %" in page


def test_list_for_an_earlier_day_and_year(clerk_client, register):
    Membership.objects.filter(municipality=register["gol"]).update(starts_on=date(2013, 1, 1))
    members = clerk_client.get(URL, {"on": "2012-01-01", "year": "2012"}).context["members"]
    assert [r.municipality.name for r in members.rows] == ["Drammen", "Lier"]
    assert members.total_population == 64597


def test_list_sorts_by_population_descending(clerk_client, register):
    members = clerk_client.get(URL, {"on": "2018-01-01", "sort": "-population"}).context["members"]
    assert [r.municipality.name for r in members.rows] == ["Drammen", "Lier", "Gol"]
    page = clerk_client.get(URL, {"on": "2018-01-01", "sort": "-population"}).content.decode()
    assert 'aria-sort="descending"' in page


def test_a_bad_date_is_shown_and_today_is_used(clerk_client, register):
    response = clerk_client.get(URL, {"on": "31.02.2018"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert "invalid-feedback" in response.content.decode()


def test_csv_export_is_semicolon_separated_for_excel(clerk_client, register, mayor):
    response = clerk_client.get("/members/export.csv", {"on": "2018-01-01"})
    assert response["Content-Disposition"] == (
        "attachment; filename=\"medlemmer-hs-2018-01-01.csv\"; filename*=UTF-8''medlemmer-hs-2018-01-01.csv"
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Medlemmer i Helsesamarbeidet per 01.01.2018"]
    assert rows[1] == ["Kommunenummer", "Kommune", "Innbyggere 1.1.2017", "Andel (%)", "Ordfører"]
    assert rows[2] == ["0602", "Drammen", "68363", "72,6", ""]
    assert rows[3] == ["0617", "Gol", "mangler", "", ""]
    assert rows[4] == ["0626", "Lier", "25740", "27,4", mayor.name]
    assert rows[5][0] == "3 kommuner, 94\xa0103 innbyggere (innbyggertall mangler for 1)"


def test_xlsx_export_in_the_cooperations_nynorsk(clerk_client, register, coop):
    coop.language = "nn"
    coop.save()
    response = clerk_client.get("/members/export.xlsx", {"on": "2018-01-01"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Medlemmar i Helsesamarbeidet per 01.01.2018"
    assert rows[1] == ("Kommunenummer", "Kommune", "Innbyggjarar 1.1.2017", "Del (%)", "Ordførar")
    assert rows[2][:4] == ("0602", "Drammen", 68363, 72.6)
    assert rows[3][2] == "manglar"
    assert rows[-1][:3] == ("3 kommunar, 94\xa0103 innbyggjarar (innbyggjartal manglar for 1)", None, 94103)


def test_unknown_export_format_is_404(clerk_client, register):
    assert clerk_client.get("/members/export.pdf").status_code == 404


def test_list_refuses_post(clerk_client, register):
    assert clerk_client.post(URL).status_code == 405


def test_members_and_anonymous_visitors_do_not_see_the_list(client, mayor_client, register):
    assert mayor_client.get(URL).status_code == 403
    assert mayor_client.get("/members/export.csv").status_code == 403
    client.logout()
    assert client.get(URL)["Location"].startswith("/login/")


def test_staff_of_another_cooperation_see_only_their_own(client, other_clerk, register):
    client.force_login(other_clerk)
    response = client.get(URL, {"on": "2018-01-01"})
    assert response.status_code == 200
    assert response.context["members"].rows == []
    assert "Lier" not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 15])
def test_list_and_exports_keep_a_fixed_query_count(clerk_client, register, coop, extra, django_assert_max_num_queries):
    grow_register(coop, extra)
    for url in (URL, "/members/export.csv", "/members/export.xlsx"):
        with django_assert_max_num_queries(16):  # 9 of them are sign-in, roles and the page header
            response = clerk_client.get(url, {"on": "2018-01-01"})
        assert response.status_code == 200
    assert len(member_list(coop, date(2018, 1, 1)).rows) == 3 + extra


def test_dashboard_shows_todays_members(clerk_client, register):
    page = clerk_client.get("/dashboard/").content.decode()
    assert "Medlemmer i dag" in page
    assert "3 kommuner, 94\xa0103 innbyggere per 1.1.2017" in page
