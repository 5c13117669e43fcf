"""The secretariat's week in the browser: plan a meeting, register and write cases, order the agenda."""

import re

from playwright.sync_api import expect

from meetings import services
from meetings.models import Case, CaseAttachment, Meeting
from tests.browser.conftest import check_a11y, login
from tests.meetings import uploads


def _body(coop, clerk):
    return services.body_create(
        cooperation=coop,
        actor=clerk,
        name="Ordførermøtet",
        kind="mayors_meeting",
        case_number_format="{n}/{yyyy}",
        invite_mode="member_mayors",
    )


def _write_case(page, title, background, proposal):
    page.locator("#id_title").fill(title)
    for field, text in (("background", background), ("proposed_resolution", proposal)):
        page.locator(f"trix-editor#id_{field}").click()
        page.keyboard.type(text)
        # Trix copies its HTML into the hidden input the form sends; wait for it.
        expect(page.locator(f"#id_{field}_input")).to_have_value(f"<div>{text}</div>")
    page.get_by_role("button", name="Registrer med nummer nå").click()


def test_clerk_plans_a_meeting_registers_two_cases_and_orders_the_agenda(page, clerk, coop, mayor, tmp_path):
    body = _body(coop, clerk)
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    check_a11y(page)

    page.get_by_role("link", name="Møter", exact=True).first.click()
    check_a11y(page)
    page.get_by_role("link", name="Nytt møte").click()
    check_a11y(page)
    page.get_by_label("Organ").select_option(str(body.pk))
    page.get_by_label("Tittel").fill("Ordførermøte i Helsesamarbeidet")
    page.get_by_label("Dato").fill("2030-06-13")
    page.get_by_label("Starter kl.").fill("10:00")
    page.get_by_label("Slutter kl.").fill("11:00")
    page.get_by_label("Sted").fill("Elvebakken gård, Svensfjøsset")
    page.get_by_label("Adresse").fill("Heggeveien 5, 3403 Lier")
    page.get_by_label("Påmeldingsfrist").fill("2030-06-04")
    page.get_by_role("button", name="Opprett møtet").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ordførermøte i Helsesamarbeidet"
    assert "Torsdag 13.06.2030 kl. 10–11" in page.content() and "Ordfører i Lier" in page.content()
    check_a11y(page)
    meeting_url = page.url

    page.get_by_role("link", name="Registrer ny sak").click()
    check_a11y(page)
    _write_case(page, "Videreføring av samarbeidet", "Samarbeidsavtalen går ut.", "Samarbeidet videreføres.")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    check_a11y(page)
    first = Case.objects.get(title="Videreføring av samarbeidet")
    assert first.background == "<div>Samarbeidsavtalen går ut.</div>"
    assert page.get_by_role("heading", level=1).inner_text() == f"Sak {first.label} Videreføring av samarbeidet"

    letter = tmp_path / "brev.pdf"
    letter.write_bytes(uploads.PDF)
    page.locator("#id_attachment-file").set_input_files(str(letter))
    page.get_by_label("Tittel på vedlegget").fill("Brev fra styret")
    page.get_by_role("button", name="Last opp").click()
    page.get_by_role("link", name="Brev fra styret").wait_for()
    check_a11y(page)
    assert CaseAttachment.objects.get().case == first

    page.goto(meeting_url)
    page.get_by_role("link", name="Registrer ny sak").click()
    _write_case(page, "Forslag til kontingent", "Kontingenten er kr 2.", "Kontingenten blir kr 2,50.")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    second = Case.objects.get(title="Forslag til kontingent")

    page.goto(meeting_url)
    rows = page.locator("tbody tr[data-case-id]")
    assert rows.nth(0).inner_text().startswith(f"3\tSak {first.label}")
    page.get_by_role("button", name=f"Opp: sak {second.label}").click()
    page.wait_for_url(re.compile(rf"/meetings/\d+/#agenda-case-{second.pk}$"))
    rows = page.locator("tbody tr[data-case-id]")
    assert [rows.nth(i).get_attribute("data-case-id") for i in range(2)] == [str(second.pk), str(first.pk)]
    assert re.search(rf"3\s+Sak {re.escape(second.label)}\s+Forslag til kontingent", rows.nth(0).inner_text())
    assert re.search(rf"4\s+Sak {re.escape(first.label)}\s+Videreføring", rows.nth(1).inner_text())
    assert page.get_by_role("status").first.inner_text() == "Rekkefølgen på sakslisten er lagret."
    check_a11y(page)
    assert list(Meeting.objects.get().cases.order_by("agenda_position")) == [second, first]


def test_dragging_a_case_reorders_the_agenda(page, clerk, coop, mayor):
    body = _body(coop, clerk)
    from tests import factories as f

    meeting = services.meeting_create(body=body, actor=clerk, title="Møte", starts_at=f.aware(2030, 6, 13, 10))
    a, b, c = (services.case_register(body=body, actor=clerk, title=t, meeting=meeting) for t in ("A", "B", "C"))
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator(f"tr[data-case-id='{c.pk}']").drag_to(
        page.locator(f"tr[data-case-id='{a.pk}']"), target_position={"x": 20, "y": 2}
    )
    page.wait_for_load_state("load")
    page.get_by_text("Rekkefølgen på sakslisten er lagret.").wait_for()
    check_a11y(page)
    assert list(meeting.cases.order_by("agenda_position").values_list("title", flat=True)) == ["C", "A", "B"]


def _typed(page, text):
    """Wait until Trix has taken `text` into its document (it handles input asynchronously)."""
    page.wait_for_function(
        "t => document.querySelector('#id_background').editor.getDocument().toString().includes(t)", arg=text
    )


# Under load the editor can take the focus back from a toolbar button just focused (CI saw it twice: the button never
# focused, or the key then typed into the text): the button is focused again until the focus stays on it for two
# frames and 100 ms, as it would for a keyboard user who tabbed there, and the key is pressed then.
_FOCUS_WHEN_SETTLED = """async (selector) => {
    const settle = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100))));
    const button = document.querySelector(selector);
    for (let attempt = 0; attempt < 30; attempt++) {
        await settle();
        button.focus();
        await settle();
        if (document.activeElement === button) return true;
    }
    return false;
}"""


def _press_on(page, selector, key):
    selector = f"#id_background_toolbar {selector}"
    page.evaluate(_FOCUS_WHEN_SETTLED, selector)  # the check below says so when the focus did not stay
    expect(page.locator(selector)).to_be_focused()
    page.keyboard.press(key)


def test_the_text_toolbar_works_from_the_keyboard(page, clerk, coop, mayor):
    body = _body(coop, clerk)
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/bodies/{body.pk}/cases/new/")
    page.locator("#id_title").fill("Tastatur")
    editor = page.locator("trix-editor#id_background")
    assert editor.get_attribute("aria-labelledby") == "id_background_label"
    editor.click()
    page.keyboard.type("Vanlig ")
    _typed(page, "Vanlig ")
    _press_on(page, "button[data-trix-attribute=bold]", "Enter")
    expect(editor).to_be_focused()  # back in the text, bold on
    page.keyboard.type("fet")
    _typed(page, "fet")
    _press_on(page, "button[data-trix-attribute=bullet]", "Space")
    expect(editor).to_be_focused()
    page.keyboard.type("punkt nettside")
    _typed(page, "nettside")
    # Select the word through Trix's API (keyboard selection is taken up asynchronously), until it holds.
    page.wait_for_function(
        """() => {
        const e = document.querySelector('#id_background').editor;
        const start = e.getDocument().toString().indexOf('nettside');
        const [from, to] = e.getSelectedRange();
        if (from === start && to === start + 8) return true;
        e.setSelectedRange([start, start + 8]);
        return false;
    }""",
        polling=100,
    )
    _press_on(page, "button[data-trix-action=link]", "Enter")
    address = page.locator("#id_background_toolbar input[name=href]")
    expect(address).to_be_focused()  # the link dialog opened with the focus in its address field
    page.keyboard.type("https://www.vestregionen.no")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Registrer med nummer nå").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(title="Tastatur")
    assert "<strong>fet" in case.background and "<li>" in case.background
    assert re.search(r'<a href="https://www.vestregionen.no" rel="noopener">(<strong>)?nettside', case.background)
    check_a11y(page)


def test_the_other_meeting_pages_pass_the_accessibility_check(page, clerk, coop, mayor):
    from tests import factories as f

    body = _body(coop, clerk)
    meeting = services.meeting_create(body=body, actor=clerk, title="Møte", starts_at=f.aware(2030, 6, 13, 10))
    services.meeting_create(body=body, actor=clerk, title="Senere møte", starts_at=f.aware(2030, 9, 12, 10))
    case = services.case_register(body=body, actor=clerk, title="Sak", meeting=meeting)
    services.case_register(body=body, actor=clerk, title="Venter")
    services.case_withdraw(
        case=services.case_register(body=body, actor=clerk, title="Trukket", meeting=meeting),
        actor=clerk,
        reason="Feil",
    )
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    for path in [
        "/bodies/",
        f"/bodies/{body.pk}/",
        "/bodies/new/",
        f"/bodies/{body.pk}/edit/",
        "/cases/",
        f"/cases/{case.pk}/move/",
        f"/cases/{case.pk}/edit/",
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/{meeting.pk}/cancel/",
        "/meetings/?show=all",
        f"/meetings/{meeting.pk}/",
    ]:
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        check_a11y(page)
    # A refused form shows its errors accessibly too.
    page.goto("/bodies/new/")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Feltet er påkrevet.").first.wait_for()
    check_a11y(page)
