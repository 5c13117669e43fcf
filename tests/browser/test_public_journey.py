"""An anonymous visitor finds the demo's approved minutes of 15.06.2017 and, by searching "kontingent", sak 2/2017
with its vedtak; every public page passes axe at desktop and phone width."""

import pytest

from tests.browser.conftest import check_a11y


@pytest.fixture
def demo(transactional_db, live_server, settings, demo_snapshots):
    settings.SITE_URL = live_server.url
    demo_snapshots.load()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


@pytest.mark.both_widths
def test_anonymous_visitor_finds_the_approved_minutes_and_the_contribution_decision(page, demo):
    page.goto("/")
    page.get_by_role("link", name="Innsyn").first.click()
    page.get_by_role("heading", name="Innsyn: møter, saker og vedtak").wait_for()
    check_a11y(page)
    _fits(page)

    page.get_by_role("link", name="Kommunehelsesamarbeidet i Vestre Viken").first.click()
    page.get_by_role("heading", name="Organer").wait_for()
    check_a11y(page)
    _fits(page)
    page.get_by_role("link", name="Ordførermøtet", exact=True).first.click()
    page.get_by_role("heading", name="Tidligere møter").wait_for()
    check_a11y(page)
    _fits(page)
    page.get_by_role("link", name="Ordførermøte i Kommunehelsesamarbeidet (KHS)").click()
    minutes = page.get_by_role("link", name="Godkjent protokoll fra møtet 15.06.2017 (PDF)")
    minutes.wait_for()
    check_a11y(page)
    _fits(page)
    assert page.get_by_text("Sak 2/2017 Forslag til kontingent 2018").count() == 1
    response = page.request.get(minutes.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Vedtak og søk").click()
    check_a11y(page)
    _fits(page)
    page.get_by_label("Søk", exact=True).fill("kontingent")
    page.get_by_role("button", name="Søk").click()
    hit = page.get_by_role("link", name="Sak 2/2017 Forslag til kontingent 2018")
    hit.wait_for()
    assert page.locator("mark").first.inner_text().lower().startswith("kontingent")
    assert page.get_by_text("Medlemskontingenten i Kommunehelsesamarbeidet fastsettes til kr 2,50").count() >= 1
    check_a11y(page)
    _fits(page)

    hit.click()
    page.get_by_role("heading", name="Vedtak", exact=True).wait_for()
    assert page.get_by_text("Medlemskontingenten i Kommunehelsesamarbeidet fastsettes til kr 2,50").count() >= 1
    check_a11y(page)
    _fits(page)
