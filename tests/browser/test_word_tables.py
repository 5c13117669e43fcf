"""Tables and headings from Word survive paste, editing in the browser, and printing."""

import re

from playwright.sync_api import expect

from meetings import services
from meetings.models import Case
from tests.browser.conftest import check_a11y, login

TABLE = (
    "<table><thead><tr><th>Kommune</th><th>Innbyggere</th></tr></thead>"
    "<tbody><tr><td>Lier</td><td>27 000</td></tr><tr><td>Gol</td><td>4 600</td></tr></tbody></table>"
)


def _body(coop, clerk):
    return services.body_create(cooperation=coop, actor=clerk, name="Styret", case_number_format="{n:02}/{yyyy}")


def test_a_table_and_headings_survive_editing_the_case(page, clerk, coop):
    body = _body(coop, clerk)
    case = services.case_draft(
        body=body, actor=clerk, title="Kontingent", background=f"<h3>Bakgrunn</h3><div>Tall:</div>{TABLE}"
    )
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/cases/{case.pk}/edit/")
    editor = page.locator("trix-editor#id_background")
    expect(editor.locator("table")).to_have_count(1)
    check_a11y(page)
    page.locator("trix-editor#id_proposed_resolution").click()
    page.keyboard.type("Vedtas.")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    case.refresh_from_db()
    assert "<h3>Bakgrunn</h3>" in case.background
    assert "<th>Kommune</th>" in case.background and "<td>27 000</td>" in case.background
    assert "figure" not in case.background
    expect(page.locator(".richtext table td").first).to_have_text("Lier")


def test_a_table_pasted_from_word_is_kept(page, clerk, coop):
    body = _body(coop, clerk)
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/bodies/{body.pk}/cases/new/")
    page.locator("#id_title").fill("Limt inn")
    page.locator("trix-editor#id_background").click()
    page.evaluate(
        """html => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'Overskrift');
        const editor = document.querySelector('trix-editor#id_background');
        // What Chromium sends an editor when the user pastes: beforeinput of type insertFromPaste.
        editor.dispatchEvent(new InputEvent('beforeinput',
            {inputType: 'insertFromPaste', dataTransfer: data, bubbles: true, cancelable: true}));
    }""",
        f"<h2>Overskrift fra Word</h2>{TABLE}<p>Etter tabellen</p>",
    )
    expect(page.locator("trix-editor#id_background table")).to_have_count(1)
    page.get_by_role("button", name="Lagre som utkast").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(title="Limt inn")
    assert "<h2>Overskrift fra Word</h2>" in case.background
    assert "<td>Gol</td>" in case.background and "Etter tabellen" in case.background
