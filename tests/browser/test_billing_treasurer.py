"""The treasurer's year: preview the 2018 run, issue it, download a PDF, register a payment, see the summary."""

from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Invoice, Payment
from khs.lib.pdf import pdf_text
from tests import factories as f
from tests.browser.conftest import check_a11y, login

POPULATION_2017 = {"lier": 25740, "drammen": 68363, "gol": 4612}


def _setup(coop, municipalities):
    for key, count in POPULATION_2017.items():
        f.make_population(municipalities[key], 2017, count)
    f.make_billing_profile(coop)
    f.make_rate(coop)


def test_treasurer_previews_issues_downloads_and_registers_a_payment(page, treasurer, coop, municipalities):
    _setup(coop, municipalities)
    # Real time: a frozen clock would give the browser a session cookie that expired years ago.
    today = timezone.localdate()
    login(page, "treasurer")
    page.wait_for_url("**/dashboard/")
    check_a11y(page)

    page.get_by_role("link", name="Fakturering").first.click()
    page.wait_for_url("**/billing/")
    check_a11y(page)

    page.get_by_role("link", name="Fakturakjøring", exact=True).click()
    page.wait_for_url("**/billing/run/")
    page.get_by_label("Kontingentår").select_option("2018")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/billing/run/?year=2018")
    total = page.locator("#run-total").inner_text().replace("\xa0", " ")
    assert total == "3 kommuner, 98 715 innbyggere, kr 246 787,50"
    assert "kr 64 350,00" in page.locator("#preview-table").inner_text().replace("\xa0", " ")
    check_a11y(page)

    page.get_by_role("button", name="Utsted 3 fakturaer").click()
    # One confirmation: how many, to whom, how much.
    expect(page.get_by_role("heading", level=1)).to_have_text("Utsted 3 fakturaer?")
    check_a11y(page)
    assert Invoice.objects.count() == 0
    page.get_by_role("button", name="Utsted 3 fakturaer").click()
    page.wait_for_url("**/billing/runs/*/")
    assert "3 fakturaer er utstedt for 2018" in page.get_by_role("status").first.inner_text()
    check_a11y(page)
    assert Invoice.objects.count() == 3

    lier = Invoice.objects.get(municipality=municipalities["lier"])
    page.get_by_role("link", name=lier.number, exact=True).click()
    page.wait_for_url(f"**/billing/invoices/{lier.pk}/")
    check_a11y(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{lier.number}.pdf"
    text = pdf_text(open(download.path(), "rb").read())
    assert lier.kid in text and "25 740 innbyggere × kr 2,50" in text.replace("\xa0", " ")

    page.get_by_label("Betalt dato").fill(today.isoformat())
    page.locator("#payment_amount").fill("30000,00")
    page.get_by_role("button", name="Registrer innbetaling").click()
    page.wait_for_url(f"**/billing/invoices/{lier.pk}/")
    assert "Innbetaling på kr 30 000,00 er registrert" in page.get_by_role("status").first.inner_text().replace(
        "\xa0", " "
    )
    assert page.locator("#outstanding").inner_text().replace("\xa0", " ") == "kr 34 350,00"
    check_a11y(page)
    assert Payment.objects.get().amount == Decimal("30000.00")

    page.locator("#payment_amount").fill("0")
    page.get_by_role("button", name="Registrer innbetaling").click()
    assert "Beløpet må være større enn null." in page.content()
    check_a11y(page)

    page.get_by_role("link", name="Oversikt", exact=True).nth(1).click()
    page.wait_for_url("**/billing/")
    page.get_by_role("link", name="2018", exact=True).click()
    page.wait_for_url("**/billing/years/2018/")
    assert page.get_by_role("img", name="Kontingent per medlem 2018").is_visible()
    check_a11y(page)


def test_treasurer_rates_settings_invoices_and_a_credit_note(page, treasurer, coop, municipalities):
    from billing.services import invoice_run_issue

    _setup(coop, municipalities)
    run = invoice_run_issue(cooperation=coop, year=2018, actor=treasurer)
    login(page, "treasurer")
    page.wait_for_url("**/dashboard/")

    page.goto("/billing/rates/")
    check_a11y(page)
    page.get_by_label("Kroner per innbygger").fill("0")
    page.get_by_label("Gjelder fra").fill("2020-01-01")
    page.get_by_role("button", name="Registrer sats").click()
    assert "Satsen må være større enn null." in page.content()
    check_a11y(page)

    page.goto("/billing/settings/")
    check_a11y(page)

    page.goto("/billing/invoices/")
    check_a11y(page)

    lier = run.invoices.get(municipality=municipalities["lier"])
    page.goto(f"/billing/invoices/{lier.pk}/")
    page.get_by_label("Årsak (står på kreditnotaen)").fill("Feil innbyggertall")
    page.get_by_role("button", name="Utsted kreditnota").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utsted kreditnota?")
    check_a11y(page)
    page.get_by_role("button", name="Utsted kreditnota").click()
    page.wait_for_url("**/billing/invoices/*/")
    assert "Kreditnota" in page.get_by_role("heading", level=1).inner_text()
    check_a11y(page)

    # A member that joined in July without a population figure: flagged, blocked, then given a basis.
    from datetime import date

    hol = f.make_municipality("0620", "Hol")
    f.make_membership(coop, hol, starts_on=date(2018, 7, 1))
    page.goto("/billing/run/?year=2018")
    assert "Hol: mangler innbyggertall per 1.1.2017" in page.locator("#blockers").inner_text()
    check_a11y(page)
    page.get_by_label("Forholdsmessig for Hol").check()
    page.get_by_role("button", name="Oppdater forhåndsvisning").click()
    page.wait_for_url(f"**/billing/run/?year=2018&pro_rata={hol.pk}")
    page.get_by_label("Kommune").select_option(str(hol.pk))
    page.get_by_label("Innbyggere (grunnlag)").fill("4535")
    page.get_by_label("Begrunnelse (står på fakturaen)").fill("tall fra kommunen 1.7.2018")
    page.get_by_role("button", name="Lagre grunnlag").click()
    page.wait_for_url(f"**/billing/run/?year=2018&pro_rata={hol.pk}")
    assert "6/12" in page.locator("#preview-table").inner_text()
    assert "Overstyrt: tall fra kommunen 1.7.2018" in page.content()
    check_a11y(page)
    page.goto(f"/billing/runs/{run.pk}/")
    check_a11y(page)
