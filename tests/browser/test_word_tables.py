"""Tables and headings from Word survive paste, editing in the browser, and printing."""

import re

import pytest
from playwright.sync_api import expect

from meetings import services
from meetings.models import Case
from tests.browser.conftest import assert_fits_a_phone, check_a11y, login

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


@pytest.mark.both_widths
def test_the_clerk_edits_a_tables_cells_rows_and_columns_in_a_dialog(page, viewport, clerk, coop):
    body = _body(coop, clerk)
    case = services.case_draft(body=body, actor=clerk, title="Kontingent", background=f"<div>Tall:</div>{TABLE}")
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/cases/{case.pk}/edit/")
    editor = page.locator("trix-editor#id_background")
    toolbar = page.locator("trix-toolbar#id_background_toolbar")
    edit = toolbar.get_by_role("button", name="Rediger tabell")
    expect(edit).to_be_disabled()  # until the cursor is at a table
    editor.locator("table").click()
    expect(edit).to_be_enabled()
    edit.click()
    dialog = page.get_by_role("dialog", name="Rediger tabell")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Rad 2, kolonne 2")).to_have_value("27 000")
    check_a11y(page)
    if viewport == "phone":
        assert_fits_a_phone(page)
    dialog.get_by_label("Rad 2, kolonne 2").fill("27 500")
    dialog.get_by_role("button", name="Legg til rad").click()
    dialog.get_by_label("Rad 4, kolonne 1").fill("Hol")
    dialog.get_by_label("Rad 4, kolonne 2").fill("4 400")
    dialog.get_by_role("button", name="Legg til kolonne").click()
    dialog.get_by_label("Rad 1, kolonne 3").fill("Andel")
    dialog.get_by_role("button", name="Fjern kolonnen lengst til høyre").click()
    expect(dialog.get_by_label("Rad 1, kolonne 3")).to_have_count(0)
    dialog.get_by_role("button", name="Bruk endringene").click()
    expect(dialog).to_be_hidden()
    # Still one table block in the editor, with the new figures.
    expect(editor.locator("table")).to_have_count(1)
    expect(editor.locator("table td", has_text="27 500")).to_have_count(1)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    case.refresh_from_db()
    assert "<th>Kommune</th>" in case.background and "<td>27 500</td>" in case.background
    assert "<td>Hol</td><td>4 400</td>" in case.background and "27 000" not in case.background
    assert "Andel" not in case.background and case.background.count("<table>") == 1
    assert "<td>Lier</td>" in case.background  # the cells left alone are as they were
    expect(page.locator(".richtext table tr")).to_have_count(4)


def test_the_clerk_inserts_a_new_table_from_the_keyboard(page, clerk, coop):
    body = _body(coop, clerk)
    login(page, "clerk")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/bodies/{body.pk}/cases/new/")
    page.locator("#id_title").fill("Ny tabell")
    page.locator("trix-editor#id_background").click()
    page.keyboard.type("Fordeling:")
    insert = page.locator("trix-toolbar#id_background_toolbar").get_by_role("button", name="Sett inn tabell")
    insert.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Ny tabell")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Rad 1, kolonne 1")).to_be_focused()
    page.keyboard.type("Kommune")
    dialog.get_by_label("Rad 2, kolonne 1").fill("Gol")
    dialog.get_by_role("button", name="Bruk endringene").click()
    expect(page.locator("trix-editor#id_background table")).to_have_count(1)
    page.get_by_role("button", name="Lagre som utkast").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    background = Case.objects.get(title="Ny tabell").background
    assert "Fordeling:" in background and "<th>Kommune</th>" in background and "<td>Gol</td>" in background
