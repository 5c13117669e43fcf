"""Attendance journeys: a mayor sends the deputy through the mail's link, the deputy answers, the clerk sees both
and checks people in on the day; a signed-in member answers from "Mine møter"."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Invitee, Meeting
from membership.models import Body, Office
from tests import factories as f
from tests.browser.conftest import check_a11y, click_nav, login


@pytest.fixture
def summoned(coop, municipalities, mayor, clerk, live_server, settings):
    """A summoned mayors' meeting three weeks ahead, the three member mayors invited, Lier's deputy in office."""
    settings.SITE_URL = live_server.url
    start = timezone.localtime(timezone.now() + timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)
    body = f.make_body(coop, name="Ordførermøtet", quorum_rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES)
    meeting = f.make_meeting(
        body,
        title="Ordførermøte",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=start - timedelta(days=7),
        status=Meeting.Status.SUMMONED,
    )
    f.make_case_row(body, 1, meeting=meeting, title="Valg av møteleder og referent")
    f.make_case_row(body, 2, meeting=meeting, title="Kontingent fra 2018", agenda_position=2)
    vara = f.make_person("Varaordfører i Lier", email="vara@lier.example.no")
    f.make_office(vara, kind=Office.Kind.DEPUTY_MAYOR, municipality=municipalities["lier"])
    f.make_invitee(meeting, mayor, municipality=municipalities["lier"], role="Ordfører")
    for key in ("drammen", "gol"):
        person = f.make_person(f"Ordfører i {municipalities[key].name}", email=f"ordforer@{key}.example.no")
        f.make_invitee(meeting, person, municipality=municipalities[key], role="Ordfører")
    return meeting


def _link_in_mail_to(address):
    message = [m for m in mail.outbox if m.to == [address]][-1]
    return re.search(r"https?://\S+/attend/\S+/", message.body).group(0)


def test_mayor_sends_the_deputy_who_answers_and_the_clerk_sees_both(page, open_page, live_server, summoned):
    # The clerk reminds everyone who has not answered; the mail carries each invitee's personal link
    # (the summons mail carries the same link, from meetings.services.attendance.invitee_answer_url).
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="Påmelding", exact=True).click()
    check_a11y(page)
    page.get_by_role("link", name="Ordførermøte").click()
    check_a11y(page)
    page.get_by_role("button", name="Send påminnelse til alle som ikke har svart").click()
    page.get_by_text("Påminnelse sendt til 3 som ikke har svart.").wait_for()
    check_a11y(page)

    # The mayor opens the link from the mail, without signing in, and sends the deputy mayor.
    mayor_page = open_page()
    mayor_page.goto(_link_in_mail_to("ordforer@lier.example.no"))
    assert mayor_page.get_by_role("heading", level=1).inner_text() == "Ordførermøte"
    assert "Kontingent fra 2018" in mayor_page.content()
    check_a11y(mayor_page)
    mayor_page.get_by_label("Jeg sender stedfortreder").check()
    mayor_page.get_by_label("Stedfortreder", exact=True).select_option(label="Varaordfører i Lier (Varaordfører, Lier)")
    mayor_page.get_by_label("Merknad").fill("Jeg er på KS-konferansen.")
    mayor_page.get_by_role("button", name="Send svar").click()
    mayor_page.get_by_text("Takk! Svaret ditt er registrert: Sender stedfortreder.").wait_for()
    assert "Varaordfører i Lier" in mayor_page.locator("#answer-status").inner_text()
    check_a11y(mayor_page)
    mayor_page.context.close()

    # The deputy gets their own mail and link, and attends.
    deputy_page = open_page()
    deputy_page.goto(_link_in_mail_to("vara@lier.example.no"))
    deputy_page.get_by_text("Du er meldt som stedfortreder for Ordfører i Lier.").wait_for()
    check_a11y(deputy_page)
    deputy_page.get_by_label("Jeg kommer").check()
    deputy_page.get_by_role("button", name="Send svar").click()
    deputy_page.get_by_text("Takk! Svaret ditt er registrert: Kommer.").wait_for()
    check_a11y(deputy_page)
    deputy_page.context.close()
    assert any(m.to == ["vara@lier.example.no"] and m.attachments for m in mail.outbox)  # .ics for who attends

    # The clerk's overview shows both: Lier sends the deputy mayor, who comes.
    page.reload()
    row = page.locator("#attendance-table tr", has_text="Ordfører i Lier")
    assert "Sender stedfortreder" in row.inner_text()
    assert "Varaordfører i Lier (Varaordfører): Kommer" in row.inner_text()
    assert "Jeg er på KS-konferansen." in row.inner_text()
    assert "Etter svarene: 1 av 3 kommuner representert; 2 kreves." in page.content()
    check_a11y(page)

    # A phone call from Drammen: the clerk registers the answer on the mayor's behalf.
    drammen_row = page.locator("#attendance-table tr", has_text="Ordfører i Drammen")
    drammen_row.get_by_role("link", name="Registrer svar").click()
    check_a11y(page)
    page.get_by_label("Kommer", exact=True).check()
    page.get_by_role("button", name="Send svar").click()
    page.get_by_text("Svaret for Ordfører i Drammen er registrert: Kommer.").wait_for()
    assert "registrert av sekretariatet" in drammen_row.inner_text()
    assert "Svarene gir et vedtaksført møte." in page.content()
    check_a11y(page)

    # On the day: the check-in list, one tap per person.
    page.get_by_role("link", name="Innsjekking").click()
    check_a11y(page)
    deputy = Invitee.objects.get(name="Varaordfører i Lier")
    button = page.locator(f"#invitee-{deputy.pk} button")
    button.click()
    page.wait_for_function(  # a function, not an expression: the page's CSP forbids eval
        f"() => document.querySelector('#invitee-{deputy.pk} button').getAttribute('aria-pressed') === 'true'"
    )
    assert page.locator("[data-present-count]").inner_text() == "1"
    check_a11y(page)
    assert Invitee.objects.get(pk=deputy.pk).present is True


@pytest.mark.both_widths
def test_member_answers_from_my_meetings_and_a_broken_link_gets_a_clear_page(page, live_server, summoned, mayor):
    from khs.services import member_login_url
    from meetings.services.attendance import invitee_answer_url

    page.goto(member_login_url(person=mayor))
    page.get_by_role("button", name="Logg inn").click()  # the link's one button
    page.wait_for_url("**/dashboard/")
    click_nav(page, "Mine møter")
    check_a11y(page)
    page.get_by_role("link", name="Svar – Ordførermøte").click()
    check_a11y(page)
    page.get_by_label("Jeg kommer").check()
    page.get_by_role("button", name="Send svar").click()
    page.get_by_text("Takk! Svaret ditt er registrert: Kommer.").wait_for()
    check_a11y(page)
    page.get_by_role("link", name="Tilbake til Mine møter").click()
    assert "Kommer" in page.locator("li", has_text="Ordførermøte").inner_text()  # one card per meeting

    # After the registration deadline the page says so and whom to contact, without a form.
    Meeting.objects.filter(pk=summoned.pk).update(registration_deadline=timezone.now() - timedelta(hours=1))
    page.goto(invitee_answer_url(Invitee.objects.get(meeting=summoned, person=mayor)))
    page.get_by_text("Fristen for å svare gikk ut").wait_for()
    assert page.get_by_role("button", name="Send svar").count() == 0
    check_a11y(page)

    page.goto("/attend/not-a-real-link/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lenken virker ikke"
    check_a11y(page)
