"""First journeys: staff sign in, a wrong password, a member through a one-time link."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import check_a11y, sign_in_with_password


@pytest.mark.both_widths
def test_clerk_signs_in_and_sees_the_dashboard(page, clerk, coop):
    page.goto("/")
    check_a11y(page)
    sign_in_with_password(page, "clerk")
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Oversikt")
    assert coop.name in page.content()
    check_a11y(page)


def test_wrong_password_shows_an_error(page, clerk):
    sign_in_with_password(page, "clerk", password="wrong")
    assert page.get_by_role("alert").inner_text().startswith("Vennligst oppgi korrekt brukernavn og passord")
    check_a11y(page)


@pytest.mark.both_widths
def test_member_signs_in_through_a_one_time_link(page, mayor, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto("/login/link/")
    check_a11y(page)
    page.get_by_label("E-postadresse").fill(mayor.email)
    page.get_by_role("button", name="Send lenke").click()
    page.get_by_text("Sjekk e-posten din").first.wait_for()
    check_a11y(page)
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    # One button, so that a mail scanner opening the link does not use it up.
    check_a11y(page)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/dashboard/")
    assert "Ordfører i Lier" in page.content()
    check_a11y(page)


def test_a_used_sign_in_link_says_so_and_a_new_one_can_be_asked_for(page, mayor, live_server, settings):
    settings.SITE_URL = live_server.url
    from khs.services import member_login_url

    link = member_login_url(person=mayor)
    page.goto(link)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/dashboard/")
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Lenken virker ikke lenger"
    check_a11y(page)
    page.get_by_label("E-postadresse").fill(mayor.email)
    page.get_by_role("button", name="Send ny lenke").click()
    page.get_by_text("Sjekk e-posten din").first.wait_for()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [mayor.email]
