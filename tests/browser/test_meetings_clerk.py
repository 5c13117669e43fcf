"""The secretariat's week in the browser: plan a meeting, register and write cases, order the agenda."""

import re

from meetings import services
from meetings.models import Case, CaseAttachment, Meeting
from tests.browser.conftest import check_a11y, login
from tests.meetings import uploads


def _body(coop, clerk):
    return services.body_create(cooperation=coop, actor=clerk, name="Ordførermøtet", kind="mayors_meeting",
                                case_number_format="{n}/{yyyy}", invite_mode="member_mayors")


def _write_case(page, title, background, proposal):
    page.locator("#id_title").fill(title)
    page.locator("trix-editor#id_background").click()
    page.keyboard.type(background)
    page.locator("trix-editor#id_proposed_resolution").click()
    page.keyboard.type(proposal)
    page.get_by_role("button", name="Registrer saken").click()


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
    page.locator(f"tr[data-case-id='{c.pk}']").drag_to(page.locator(f"tr[data-case-id='{a.pk}']"),
                                                        target_position={"x": 20, "y": 2})
    page.wait_for_load_state("load")
    page.get_by_text("Rekkefølgen på sakslisten er lagret.").wait_for()
    check_a11y(page)
    assert list(meeting.cases.order_by("agenda_position").values_list("title", flat=True)) == ["C", "A", "B"]


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
    toolbar_bold = page.locator("#id_background_toolbar button[data-trix-attribute=bold]")
    toolbar_bold.focus()
    page.keyboard.press("Enter")  # Bold on, focus back in the editor
    page.keyboard.type("fet")
    page.locator("#id_background_toolbar button[data-trix-attribute=bullet]").focus()
    page.keyboard.press("Space")
    page.keyboard.type("punkt nettside")
    for _ in "nettside":
        page.keyboard.press("Shift+ArrowLeft")
    page.locator("#id_background_toolbar button[data-trix-action=link]").focus()
    page.keyboard.press("Enter")  # opens the link dialog with the focus in its address field
    page.keyboard.type("https://www.vestregionen.no")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Registrer saken").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(title="Tastatur")
    assert "<strong>fet" in case.background and "<li>" in case.background
    assert re.search(r'<a href="https://www.vestregionen.no" rel="noopener">(<strong>)?nettside', case.background)
    check_a11y(page)
