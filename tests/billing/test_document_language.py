"""An invoice is written in its cooperation's language, whatever the language of the treasurer's screen."""

import pytest
from django.utils import translation

from billing.services import invoice_run_issue
from khs.lib.pdf import pdf_text


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """A request in English leaves English active in this thread; the next test must not inherit it."""
    yield
    translation.deactivate()


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_a_nynorsk_cooperation_issues_nynorsk_invoices_while_the_treasurer_works_in_english(
    billing, treasurer, treasurer_client, frozen
):
    coop = billing["coop"]
    coop.language = "nn"
    coop.save()
    with translation.override("en"):  # issued from an English screen: the line text is still Nynorsk
        run = invoice_run_issue(cooperation=coop, year=2018, actor=treasurer)
    invoice = run.invoices.get(municipality=billing["gol"])
    assert invoice.line_text == (
        "Medlemskontingent 2018: 4 612 innbyggjarar × kr 2,50 (innbyggjartal 1.1.2017, jf. vedtak i "
        "ordførermøtet sak 2/2017)"
    )
    assert treasurer_client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    response = treasurer_client.get(f"/billing/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    for word in (
        "Fakturerast til",
        f"Fakturanummer {invoice.number}",
        "Fakturadato 15.02.2018",
        "Innbyggjartal per 1.1.2017",
        "Skildring Tal Pris Beløp",
        "ikkje registrert i Meirverdiavgiftsregisteret",
        "Fakturaen følgjer òg som EHF",
    ):
        assert word in text, word
    for english in ("Invoice", "Bill to", "Due date", "Page 1", "inhabitants"):
        assert english not in text, english

    # The print bundle is built by a worker (here at once, after commit) and then served as stored.
    assert treasurer_client.post(f"/billing/runs/{run.pk}/bundle/").status_code == 302
    run_pdf = treasurer_client.get(f"/billing/runs/{run.pk}/pdf/")
    assert run_pdf.status_code == 200
    run_text = flat(pdf_text(run_pdf.content))
    assert run_text.count("Fakturerast til") == 3 and "Bill to" not in run_text
