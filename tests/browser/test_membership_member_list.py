"""Journey: the secretariat looks up the members on a day, sorts them, opens a municipality, downloads the list."""

from datetime import date

from membership.models import Membership
from tests import factories as f
from tests.browser.conftest import check_a11y, login


def test_clerk_reads_the_member_list_for_a_day_and_a_municipality_page(page, clerk, coop, municipalities, mayor):
    f.make_population(municipalities["lier"], 2017, 25740)
    f.make_population(municipalities["drammen"], 2017, 68363)
    f.make_population(municipalities["drammen"], 2012, 64597)
    Membership.objects.filter(municipality=municipalities["gol"]).update(starts_on=date(2013, 1, 1))
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    check_a11y(page)

    page.get_by_role("link", name="Medlemmer", exact=True).click()
    page.wait_for_url("**/members/")
    check_a11y(page)

    page.get_by_label("Medlemmer per dato").fill("2018-01-01")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**/members/?on=2018-01-01*")
    assert "3 kommuner, 94\xa0103 innbyggere" in page.locator("#member-totals").inner_text()
    page.get_by_text("mangler").first.wait_for()
    check_a11y(page)

    page.get_by_role("link", name="Innbyggere").click()
    page.get_by_role("link", name="Innbyggere").click()  # again: largest first
    page.wait_for_url("**sort=-population*")
    first_row = page.locator("tbody tr").first
    assert "Drammen" in first_row.inner_text()
    check_a11y(page)

    page.get_by_label("Medlemmer per dato").fill("2012-01-01")
    page.get_by_label("Innbyggertall per 1.1.").select_option("2012")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**on=2012-01-01*")
    assert "2 kommuner, 64\xa0597 innbyggere" in page.locator("#member-totals").inner_text()
    check_a11y(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned CSV").click()
    assert download_info.value.suggested_filename == "medlemmer-hs-2012-01-01.csv"

    page.get_by_role("link", name="Drammen").click()
    page.wait_for_url("**/municipalities/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "0602 Drammen"
    check_a11y(page)

    page.get_by_role("link", name="Kommuner", exact=True).click()
    check_a11y(page)
