"""The clerk writes the minutes of a held meeting (a vote by municipality, an alternative proposal, a
disqualification, a deferred case) and two signers approve them through their links, on a phone."""

import re

import pytest
from django.core import mail

from khs.lib.pdf import pdf_text
from meetings.models import Case, Meeting, Minutes
from membership.models import Body
from tests import factories as f
from tests.browser.conftest import check_a11y, login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def held_meeting(coop, municipalities, clerk, live_server, settings):
    settings.SITE_URL = live_server.url
    body = f.make_body(coop, name="Ordførermøtet", quorum_rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES)
    meeting = f.make_meeting(body, title="Ordførermøte i HS", status=Meeting.Status.HELD)
    for key in ("lier", "drammen", "gol"):
        name = municipalities[key].name
        f.make_invitee(
            meeting,
            name=f"Ordfører i {name}",
            email=f"ordforer@{key}.example.no",
            municipality=municipalities[key],
            response="attending",
            present=True,
        )
    cases = [
        f.make_case_row(
            body,
            1,
            meeting=meeting,
            agenda_position=1,
            title="Videreføring av samarbeidet",
            proposed_resolution="<p>Samarbeidet videreføres til sommeren 2018.</p>",
        ),
        f.make_case_row(
            body,
            2,
            meeting=meeting,
            agenda_position=2,
            title="Kontingent fra 2018",
            proposed_resolution="<p>Kontingenten settes til kr 2,50 per innbygger.</p>",
        ),
        f.make_case_row(
            body,
            3,
            meeting=meeting,
            agenda_position=3,
            title="Nytt kontor",
            proposed_resolution="<p>Sekretariatet flytter.</p>",
        ),
        f.make_case_row(
            body, 4, meeting=meeting, agenda_position=4, title="Orientering om økonomien", kind=Case.Kind.ORIENTATION
        ),
    ]
    return meeting, cases


def _section(page, case):
    item = Minutes.objects.get(meeting=case.meeting).items.get(case=case)
    return page.locator(f"#item-{item.pk}")


def test_clerk_writes_the_minutes_and_two_signers_approve_them(page, open_page, live_server, held_meeting):
    meeting, (one, two, three, four) = held_meeting
    page.set_viewport_size(DESKTOP)
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(meeting.get_absolute_url())
    check_a11y(page)
    page.get_by_role("link", name="Protokoll", exact=True).click()
    check_a11y(page)
    page.get_by_role("button", name="Skriv protokollen").click()
    page.get_by_text("Vedtaksført: 3 av 2 som kreves.").first.wait_for()
    check_a11y(page)

    # Case 1/2017: voted on per municipality, two for and one against.
    section = _section(page, one)
    section.get_by_label("Behandling", exact=True).select_option("vote")
    section.get_by_label("Stemmemåte").select_option("municipalities")
    section.get_by_text("Stemmer per medlem eller kommune").click()
    section.get_by_label("Stemme fra Ordfører i Lier").select_option("for")
    section.get_by_label("Stemme fra Ordfører i Drammen").select_option("for")
    section.get_by_label("Stemme fra Ordfører i Gol").select_option("against")
    section.get_by_role("button", name="Lagre 1/2017").click()
    page.get_by_text("1/2017 er lagret.").wait_for()
    check_a11y(page)

    # Case 2/2017: Drammen proposes kr 2,00 (not adopted); Gol's mayor is disqualified; adopted unanimously.
    section = _section(page, two)
    section.get_by_text("Alternativt forslag").click()
    section.get_by_label("Forslagsstiller").fill("Ordfører i Drammen")
    section.locator("textarea[name$='-text']").fill("Kontingenten settes til kr 2,00 per innbygger.")
    section.locator("[name$='votes_for'][name^='prop']").fill("1")
    section.locator("[name$='votes_against'][name^='prop']").fill("1")
    section.get_by_role("button", name="Legg til forslaget").click()
    page.get_by_text("Forslaget er lagt til.").wait_for()
    section = _section(page, two)
    section.get_by_text("Inhabilitet", exact=True).click()
    section.locator("select[name$='-participant']").select_option(label="Ordfører i Gol")
    section.get_by_label("Organets avgjørelse").fill("Ordførermøtet erklærte enstemmig Gol-ordføreren inhabil.")
    section.get_by_role("button", name="Registrer inhabilitet").click()
    page.get_by_text("Inhabiliteten er registrert.").wait_for()
    section = _section(page, two)
    section.get_by_text("Vedtaksført: 2 av 2 som kreves.").wait_for()
    section.get_by_label("Behandling", exact=True).select_option("unanimous")
    section.get_by_role("button", name="Lagre 2/2017").click()
    page.get_by_text("2/2017 er lagret.").wait_for()

    # Case 3/2017 is deferred; the orientation case 4/2017 is noted already.
    section = _section(page, three)
    section.get_by_label("Behandling", exact=True).select_option("deferred")
    section.get_by_role("button", name="Lagre 3/2017").click()
    page.get_by_text("3/2017 er lagret.").wait_for()
    check_a11y(page)

    # Lier and Drammen sign.
    page.get_by_label("Ordfører i Lier", exact=True).check()
    page.get_by_label("Ordfører i Drammen", exact=True).check()
    page.get_by_role("button", name="Send til godkjenning").click()
    page.get_by_text("Protokollen er sendt til godkjenning.", exact=True).wait_for()
    check_a11y(page)
    links = [re.search(r"https?://\S+/sign/\S+/", m.body).group(0) for m in mail.outbox]
    assert len(links) == 2

    for n, link in enumerate(links):
        signer = open_page(PHONE)
        signer.goto(link)
        check_a11y(signer)
        signer.get_by_role("button", name="Jeg godkjenner protokollen").click()
        signer.get_by_text("Takk. Du har signert protokollen.").wait_for()
        if n == 1:
            signer.get_by_text("Protokollen er godkjent.").wait_for()
        check_a11y(signer)
        signer.context.close()

    page.reload()
    page.get_by_text("Protokollen er godkjent og låst.").wait_for()
    check_a11y(page)
    page.set_viewport_size(PHONE)
    check_a11y(page)
    pdf = page.request.get(f"{meeting.get_absolute_url()}minutes.pdf".replace("/minutes/minutes.pdf", "/minutes.pdf"))
    text = " ".join(pdf_text(pdf.body()).split())
    for expected in (
        "Sak 1/2017 Videreføring av samarbeidet",
        "Avstemning per kommune",
        "Lier: Ordfører i Lier – for",
        "Forslag fra Ordfører i Drammen",
        "Ordfører i Gol ble erklært inhabil",
        "Saken ble utsatt.",
        "Informasjonen tas til orientering.",
        "Ordfører i Lier, signert",
        "Ordfører i Drammen, signert",
    ):
        assert expected in text, expected
    assert Case.objects.get(pk=three.pk).meeting is None  # deferred: keeps its number, waits for a later meeting
