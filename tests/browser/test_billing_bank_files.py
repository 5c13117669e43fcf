"""The treasurer's references and bank files: a required "Deres ref." blocks the run until it is set;
then a camt.054 and an OCR Giro file from the bank pay the invoices by KID (preview, then confirm)."""

from decimal import Decimal

from django.utils import timezone

from billing.models import Invoice, Payment
from tests import factories as f
from tests.billing.bank_files import Entry, OcrPayment, Tx, camt054, ocr
from tests.browser.conftest import check_a11y, login

POPULATION_2017 = {"lier": 25740, "drammen": 68363, "gol": 4612}


def test_treasurer_sets_a_reference_issues_and_imports_the_banks_files(page, treasurer, coop, municipalities, tmp_path):
    for key, count in POPULATION_2017.items():
        f.make_population(municipalities[key], 2017, count)
    f.make_billing_profile(coop)
    f.make_rate(coop)
    today = timezone.localdate()  # real time: the session cookie must be valid
    login(page, "treasurer")
    page.wait_for_url("**/dashboard/")

    # Gol's invoice reception requires a reference, and none is registered: the run is blocked.
    page.goto("/billing/references/")
    check_a11y(page)
    page.get_by_label("Gol krever referanse").check()
    page.get_by_role("button", name="Lagre for Gol").click()
    page.wait_for_url("**/billing/references/")
    page.goto("/billing/run/?year=2018")
    assert "Gol: krever bestillerreferanse" in page.locator("#blockers").inner_text()
    check_a11y(page)

    page.goto("/billing/references/")
    page.get_by_label("Deres ref. for Gol").fill("Gol 4242")
    page.get_by_role("button", name="Lagre for Gol").click()
    page.wait_for_url("**/billing/references/")
    assert "Referansen for Gol er lagret." in page.get_by_role("status").first.inner_text()
    page.goto("/billing/run/?year=2018")
    assert "Gol 4242" in page.locator("#preview-table").inner_text()
    page.get_by_role("button", name="Utsted 3 fakturaer").click()
    page.get_by_role("button", name="Utsted 3 fakturaer").click()  # the confirmation page (issue 12)
    page.wait_for_url("**/billing/runs/*/")
    invoices = {i.municipality_id: i for i in Invoice.objects.all()}
    lier, drammen, gol = (invoices[municipalities[k].pk] for k in ("lier", "drammen", "gol"))
    assert gol.buyer_reference == "Gol 4242" and "<cbc:BuyerReference>Gol 4242</cbc:BuyerReference>" in gol.ehf_xml

    # The bank's camt.054: Lier paid in full, Drammen in part, and one payment with a KID we do not know.
    camt = tmp_path / "camt054.xml"
    camt.write_bytes(
        camt054(
            [
                Entry("E-1", today, [Tx(f"{lier.total:.2f}", lier.kid, "TX-1")]),
                Entry("E-2", today, [Tx("60000.00", drammen.kid, "TX-2"), Tx("10.00", "06262018999990", "TX-3")]),
            ],
            created=f"{today.isoformat()}T06:00:00",
        )
    )
    page.get_by_role("link", name="Innbetalinger fra banken").first.click()
    page.wait_for_url("**/billing/payments/import/")
    check_a11y(page)
    page.get_by_label("Bankfil (camt.054 eller OCR Giro)").set_input_files(str(camt))
    page.get_by_role("button", name="Les filen").click()
    table = page.locator("#plan-table").inner_text().replace("\xa0", " ")
    assert "Betalt" in table and "Delbetaling" in table and "Ukjent KID" in table
    check_a11y(page)
    assert Payment.objects.count() == 0
    page.get_by_role("button", name="Registrer 2 innbetalinger (kr 124 350,00)").click()
    page.wait_for_selector("#plan-table")
    status = page.get_by_role("status").first.inner_text().replace("\xa0", " ")
    assert "2 innbetalinger på til sammen kr 124 350,00 er registrert fra camt054.xml." in status
    check_a11y(page)
    assert sorted(p.bank_reference for p in Payment.objects.all()) == ["TX-1", "TX-2"]

    # The same day's OCR Giro file: the rest of Drammen and all of Gol.
    rest = drammen.total - Decimal("60000.00")
    giro = tmp_path / "OCR.txt"
    giro.write_bytes(
        ocr([OcrPayment(f"{rest:.2f}", drammen.kid, today), OcrPayment(f"{gol.total:.2f}", gol.kid, today)])
    )
    page.get_by_label("Bankfil (camt.054 eller OCR Giro)").set_input_files(str(giro))
    page.get_by_role("button", name="Les filen").click()
    page.get_by_role("button", name="Registrer 2 innbetalinger").click()
    page.wait_for_selector("#plan-table")
    assert Payment.objects.count() == 4

    page.goto(f"/billing/invoices/{drammen.pk}/")
    assert page.locator("#outstanding").inner_text().replace("\xa0", " ") == "kr 0,00"
    check_a11y(page)
