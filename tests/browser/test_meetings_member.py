"""A mayor reads the meeting they are invited to, and its cases, without being able to change them."""

import re

import pytest
from django.core import mail

from meetings import services
from tests import factories as f
from tests.browser.conftest import check_a11y, click_nav
from tests.meetings import uploads


@pytest.mark.both_widths
def test_an_invited_mayor_reads_the_meeting_and_its_cases(page, clerk, coop, mayor, live_server, settings):
    settings.SITE_URL = live_server.url
    body = services.body_create(cooperation=coop, actor=clerk, name="Ordførermøtet", invite_mode="member_mayors")
    meeting = services.meeting_create(
        body=body,
        actor=clerk,
        title="Ordførermøte i Helsesamarbeidet",
        starts_at=f.aware(2030, 6, 13, 10),
        ends_at=f.aware(2030, 6, 13, 11),
        place_name="Elvebakken gård",
    )
    case = services.case_register(
        body=body,
        actor=clerk,
        title="Forslag til kontingent",
        meeting=meeting,
        background="<p>Kontingenten er kr 2 pr innbygger.</p>",
        proposed_resolution="<p>Kontingenten fastsettes til kr 2,50.</p>",
    )
    services.case_attachment_add(
        case=case, actor=clerk, file=uploads.upload("brev.pdf", uploads.PDF), title="Brev fra styret"
    )
    services.meeting_status_set(meeting=meeting, actor=clerk, status="summoned")

    page.goto("/login/link/")
    page.get_by_label("E-postadresse").fill(mayor.email)
    page.get_by_role("button", name="Send lenke").click()
    page.get_by_text("Sjekk e-posten din").first.wait_for()
    page.goto(re.search(r"https?://\S+", mail.outbox[0].body).group(0))
    page.get_by_role("button", name="Logg inn").click()  # the link's one button
    page.wait_for_url("**/dashboard/")
    assert "Mine neste møter" in page.content()
    check_a11y(page)

    page.get_by_role("link", name="Ordførermøte i Helsesamarbeidet").first.click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Du er invitert." in page.content() and f"Sak {case.label}" in page.content()
    assert page.get_by_role("link", name="Rediger møtet").count() == 0
    assert page.get_by_role("button", name=re.compile("^Opp")).count() == 0
    check_a11y(page)

    page.get_by_role("link", name="Forslag til kontingent").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "Kontingenten fastsettes til kr 2,50." in page.content()
    assert page.get_by_role("link", name="Brev fra styret").count() == 1
    assert page.get_by_role("button", name="Last opp").count() == 0
    check_a11y(page)

    click_nav(page, "Mine møter")
    assert "Ordførermøte i Helsesamarbeidet" in page.content()
    check_a11y(page)
