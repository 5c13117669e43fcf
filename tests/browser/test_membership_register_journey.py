"""Journeys: the secretariat keeps the register: people and offices, memberships, a merger, a population file."""

from datetime import date

from membership.models import Membership, Municipality, Office, Population
from tests import factories as f
from tests.browser.conftest import check_a11y, login
from tests.membership.conftest import data_file


def test_clerk_registers_a_new_mayor_and_a_membership_with_errors_shown(page, clerk, coop, municipalities, mayor):
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto("/people/")
    check_a11y(page)
    page.get_by_role("link", name="Ny person").click()
    check_a11y(page)
    page.get_by_label("Navn").fill("Kari Nordmann")
    page.get_by_label("E-post").fill(mayor.email)
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("er allerede registrert med e-postadressen").first.wait_for()
    check_a11y(page)
    page.get_by_label("E-post").fill("kari@lier.kommune.no")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/people/*/")
    check_a11y(page)

    page.get_by_role("link", name="Registrer verv").click()
    check_a11y(page)
    page.get_by_label("Verv").select_option("mayor")
    page.get_by_label("Kommune").select_option(label="0626 Lier")
    page.get_by_label("fra").fill("2015-09-01")
    page.get_by_role("button", name="Registrer").click()
    page.get_by_text("bare én kan ha det om gangen").first.wait_for()  # before the sitting mayor's term began
    check_a11y(page)
    page.get_by_label("fra").fill("2019-10-15")
    page.get_by_role("button", name="Registrer").click()
    page.wait_for_url("**/people/*/")
    check_a11y(page)
    assert Office.objects.get(person=mayor).ends_on == date(2019, 10, 14)

    page.goto(f"/municipalities/{municipalities['lier'].pk}/")
    page.get_by_role("link", name="Registrer medlemskap i HS").click()
    check_a11y(page)
    page.get_by_label("fra").fill("2016-01-01")
    page.get_by_role("button", name="Registrer").click()
    page.get_by_text("periodene kan ikke overlappe").first.wait_for()
    check_a11y(page)
    assert Membership.objects.filter(municipality=municipalities["lier"]).count() == 1


def test_an_administrator_records_a_merger(page, administrator, coop, municipalities):
    # Mergers are installation-wide facts: an administrator's act since issue 16.
    login(page, "administrator")
    page.wait_for_url("**/dashboard/")
    page.goto("/municipalities/merge/")
    check_a11y(page)
    page.get_by_label("0602 Drammen").check()
    page.get_by_label("0626 Lier").check()
    page.get_by_label("Fra dato").fill("2020-01-01")
    page.get_by_label("Nytt kommunenummer").fill("3005")
    page.locator("#id_name").fill("Drammen")
    page.get_by_role("button", name="Registrer").click()
    page.wait_for_url("**/municipalities/*/")
    check_a11y(page)
    assert Municipality.objects.get(number="3005").predecessors.count() == 2
    page.goto("/members/?on=2020-01-01")
    assert "3005" in page.locator("tbody").inner_text()
    check_a11y(page)


def test_clerk_imports_an_ssb_file_after_a_refused_one(page, clerk, coop, municipalities):
    f.make_population(municipalities["gol"], 2017, 4600)
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto("/population/import/")
    check_a11y(page)
    page.locator("#id_file").set_input_files(str(data_file("ssb_07459_broken.csv")))
    page.get_by_role("button", name="Les filen").click()
    page.get_by_text("Linje 6:").first.wait_for()
    check_a11y(page)
    assert Population.objects.count() == 1

    page.locator("#id_file").set_input_files(str(data_file("ssb_07459_by_age_2017.csv")))
    page.get_by_role("button", name="Les filen").click()
    page.get_by_role("heading", name="Kontroller før lagring").wait_for()
    page.get_by_text("2 nye, 1 endret, 0 uendret").first.wait_for()
    check_a11y(page)
    page.get_by_role("button", name="Lagre innbyggertallene").click()
    page.wait_for_url("**/members/?on=2017-01-01&year=2017")
    assert "3 kommuner, 98\xa0715 innbyggere" in page.locator("#member-totals").inner_text()
    check_a11y(page)
