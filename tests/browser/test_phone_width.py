"""Phone first: the pages a member uses and the clerk's and treasurer's main pages fit a 390 px wide screen
without sideways scrolling, and pass the accessibility check at that width (wide tables scroll in a focusable,
labelled box of their own)."""

import pytest
import time_machine

from khs.services import member_login_url
from meetings.models import Case, Meeting
from membership.models import Municipality, Person
from tests.browser.conftest import assert_fits_a_phone, check_a11y, login


@pytest.fixture
def demo(live_server, settings, demo_snapshots):
    settings.SITE_URL = live_server.url
    demo_snapshots.load()
    return Meeting.objects.get(body__name="Ordførermøtet", starts_at__year=2017)


def _visit(page, path):
    page.goto(path)
    assert_fits_a_phone(page)
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_clerks_main_pages_fit_a_phone(page, demo):
    case = Case.objects.filter(meeting=demo).first()
    upcoming = Meeting.objects.filter(body__name="Styret").order_by("-starts_at").first()  # a draft, not summoned
    person = Person.objects.order_by("pk").first()
    municipality = Municipality.objects.get(number="3025") if Municipality.objects.filter(number="3025") else None
    login(page, "sekretariat")
    page.wait_for_url("**/dashboard/")
    pages = [
        "/dashboard/",
        "/meetings/",
        f"/meetings/{demo.pk}/",
        f"/cases/{case.pk}/",
        "/cases/",
        "/people/",
        f"/people/{person.pk}/",
        "/municipalities/",
        "/members/",
        f"/meetings/{demo.pk}/attendance/",
        f"/meetings/{demo.pk}/attendance/check-in/",
        f"/meetings/{demo.pk}/summons/",
        f"/meetings/{demo.pk}/minutes/",
        f"/meetings/{upcoming.pk}/attendance/",
        "/bodies/",
    ]
    if municipality:
        pages.append(f"/municipalities/{municipality.pk}/")
    for path in pages:
        _visit(page, path)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_treasurers_main_pages_fit_a_phone(page, demo):
    login(page, "okonomi")
    page.wait_for_url("**/dashboard/")
    for path in ("/dashboard/", "/billing/", "/billing/rates/", "/billing/run/?year=2018", "/billing/invoices/"):
        _visit(page, path)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_mayors_pages_fit_a_phone_and_the_answer_button_is_on_screen(page, demo):
    # The demo's mayors' meeting as it was on 1 June 2017, before its registration deadline.
    with time_machine.travel("2017-06-01 12:00 +0200", tick=True):
        _mayor_answers_on_a_phone(page, demo)


def _mayor_answers_on_a_phone(page, demo):
    lier = Person.objects.get(email="ordforer.lier@demo.khs.invalid")
    page.goto(member_login_url(person=lier))
    assert_fits_a_phone(page)  # the link's page with its one button
    check_a11y(page)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/dashboard/")
    for path in ("/dashboard/", "/my/meetings/", f"/meetings/{demo.pk}/", "/calendar/"):
        _visit(page, path)
    page.goto("/my/meetings/")
    answer = page.get_by_role("link", name="Svar").first
    box = answer.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # reachable without scrolling sideways
    answer.click()
    page.wait_for_url("**/my/meetings/*/")
    assert_fits_a_phone(page)
    check_a11y(page)
