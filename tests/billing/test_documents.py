"""Outputs: the invoice PDF (PDF/A with the EHF inside), the run's one PDF, the CSV; and the EHF of our
documents against the official EN 16931 / PEPPOL BIS 3.0 rules and the UBL 2.1 XSD."""

import csv
import io
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from billing import documents
from billing.ehf_validation import validate
from billing.errors import BillingError
from billing.services import basis_override_set, credit_note_issue, invoice_run_issue
from khs.lib.pdf import pdf_page_count, pdf_text, pdf_xmp

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


# --- PDF ------------------------------------------------------------------------------------------------


def test_invoice_pdf_is_pdf_a_and_carries_everything_the_law_asks(issued):
    invoice = issued["lier_invoice"]
    data = documents.invoice_pdf(invoice)
    assert 'pdfaid:part="3"' in pdf_xmp(data)
    text = flat(pdf_text(data))
    coop = issued["coop"]
    for expected in [
        "Faktura",
        f"Fakturanummer {invoice.number}",
        "Fakturadato 15.02.2018",
        "Forfallsdato 17.03.2018",
        "Kontingentår 2018",
        "Innbyggertall per 1.1.2017",
        coop.name,
        f"Org.nr. {coop.org_number}",
        "Lier kommune",
        f"Org.nr. {invoice.buyer_org_number}",
        "Rådhusveien 1",
        "Medlemskontingent 2018: 25 740 innbyggere × kr 2,50 (innbyggertall 1.1.2017, jf. vedtak i "
        "ordførermøtet sak 2/2017)",
        "Å betale kr 64 350,00",
        "ikke registrert i Merverdiavgiftsregisteret",
        "Kontonummer 1503.79.12341",
        f"KID {invoice.kid}",
    ]:
        assert expected in text, expected


def test_invoice_pdf_embeds_its_ehf(issued):
    invoice = issued["lier_invoice"]
    reader = PdfReader(io.BytesIO(documents.invoice_pdf(invoice)))
    attachments = reader.attachments
    assert list(attachments) == [invoice.ehf_filename]
    assert attachments[invoice.ehf_filename][0].decode() == invoice.ehf_xml


def test_invoice_pdf_shows_the_buyers_reference_and_an_override_reason(billing, treasurer, frozen):
    from membership.models import Municipality

    Municipality.objects.filter(pk=billing["gol"].pk).update(invoice_reference="Ref 4711 Ola")
    basis_override_set(
        cooperation=billing["coop"],
        municipality=billing["gol"],
        year=2018,
        inhabitants=3000,
        reason="kun tidligere Sande kommune",
        actor=treasurer,
    )
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    gol = run.invoices.get(municipality=billing["gol"])
    text = flat(pdf_text(documents.invoice_pdf(gol)))
    assert "Deres referanse Ref 4711 Ola" in text
    assert "særskilt grunnlag: kun tidligere Sande kommune" in text
    assert "<cbc:BuyerReference>Ref 4711 Ola</cbc:BuyerReference>" in gol.ehf_xml


def test_credit_note_pdf_refers_to_the_original(issued, treasurer):
    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil innbyggertall")
    text = flat(pdf_text(documents.invoice_pdf(note)))
    assert "Kreditnota" in text and f"Kreditnotanummer {note.number}" in text
    assert f"Krediterer faktura {issued['lier_invoice'].number} av 15.02.2018" in text
    assert "Årsak: Feil innbyggertall" in text and "Kreditert beløp kr 64 350,00" in text
    assert "KID" not in text
    # It calls itself a credit note throughout; "faktura" only names the invoice it credits.
    assert f"Kreditnotadato {note.issue_date:%d.%m.%Y}" in text and "Kreditnota til Lier" in text
    assert "Kreditnotaen følger også som EHF" in text
    assert "Faktura" not in text.replace(f"Krediterer faktura {issued['lier_invoice'].number}", "")
    assert "Fakturadato" not in text and "Faktureres" not in text and "Fakturaen" not in text


def test_nynorsk_invoice_pdf(billing, treasurer, frozen):
    coop = billing["coop"]
    coop.language = "nn"
    coop.save()
    run = invoice_run_issue(cooperation=coop, year=2018, actor=treasurer)
    text = flat(pdf_text(documents.invoice_pdf(run.invoices.get(municipality=billing["gol"]))))
    assert "Fakturerast til" in text and "innbyggjarar" in text and "ikkje registrert" in text


@pytest.mark.parametrize(
    "lang, words, not_words",
    [
        ("nn", ["Kreditnotadato", "Kreditnota til"], ["Fakturadato", "Fakturerast"]),
        ("en", ["Credit note date", "Credit note to"], ["Invoice date", "Bill to"]),
    ],
)
def test_a_credit_note_in_nynorsk_and_english_is_no_invoice(billing, treasurer, frozen, lang, words, not_words):
    coop = billing["coop"]
    coop.language = lang
    coop.save()
    run = invoice_run_issue(cooperation=coop, year=2018, actor=treasurer)
    note = credit_note_issue(invoice=run.invoices.get(municipality=billing["gol"]), actor=treasurer, reason="Feil")
    text = flat(pdf_text(documents.invoice_pdf(note)))
    assert all(w in text for w in words) and not any(w in text for w in not_words)


def test_the_whole_run_is_one_pdf_with_a_page_per_invoice(issued):
    invoices = list(issued["run"].invoices.order_by("series_number"))
    data = documents.run_pdf(invoices, issued["coop"])
    assert pdf_page_count(data) == 3
    text = flat(pdf_text(data))
    for invoice in invoices:
        assert f"Fakturanummer {invoice.number}" in text and invoice.kid in text


# --- CSV ------------------------------------------------------------------------------------------------


def test_csv_export_for_the_accounting_system(issued, treasurer):
    credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Rabatt", amount=Decimal("350"))
    invoices = issued["coop"].invoices.select_related("municipality", "credited_invoice").order_by("series_number")
    text = documents.invoices_csv(invoices)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [r["fakturanummer"] for r in rows] == ["HS-1", "HS-2", "HS-3", "HS-4"]
    lier = next(r for r in rows if r["kunde"] == "Lier kommune" and r["type"] == "faktura")
    assert lier["totalt"] == "64350,00" and lier["innbyggere"] == "25740" and lier["sats"] == "2,50"
    assert lier["kid"] == issued["lier_invoice"].kid and lier["fakturadato"] == "2018-02-15"
    credit = rows[-1]
    assert credit["type"] == "kreditnota" and credit["krediterer"] == issued["lier_invoice"].number
    assert credit["totalt"] == "350,00"


# --- EHF of our documents -------------------------------------------------------------------------------


def test_our_invoice_ehf_passes_every_rule_and_carries_what_bis3_asks(issued):
    """Outside VAT: the one finding of the official rules is the NO-R-002 warning (the HS profile is not in
    Foretaksregisteret)."""
    invoice = issued["lier_invoice"]
    xml = invoice.ehf_xml.encode()
    report = validate(xml)
    assert report.fatal == [] and [f.rule_id for f in report.warnings] == ["NO-R-002"]
    root = etree.fromstring(xml)
    find = lambda path: root.findtext(path, namespaces=NS)  # noqa: E731
    assert find("cbc:CustomizationID") == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    assert find("cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    for party, org in (
        ("AccountingSupplierParty", issued["coop"].org_number),
        ("AccountingCustomerParty", issued["lier"].org_number),
    ):
        endpoint = root.find(f"cac:{party}/cac:Party/cbc:EndpointID", NS)
        legal = root.find(f"cac:{party}/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
        assert (endpoint.text, endpoint.get("schemeID")) == (org, "0192")
        assert (legal.text, legal.get("schemeID")) == (org, "0192")
    assert find("cac:PaymentMeans/cbc:PaymentID") == invoice.kid
    assert find("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "15037912341"
    assert find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "O"
    assert find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason") == "Not subject to VAT"
    assert (find("cac:InvoicePeriod/cbc:StartDate"), find("cac:InvoicePeriod/cbc:EndDate")) == (
        "2018-01-01",
        "2018-12-31",
    )
    assert find("cac:InvoiceLine/cbc:InvoicedQuantity") == "25740"
    assert find("cac:InvoiceLine/cac:Price/cbc:PriceAmount") == "2.50"
    assert find("cac:LegalMonetaryTotal/cbc:PayableAmount") == "64350.00"
    assert find("cbc:DueDate") == "2018-03-17"


def _edit(xml: str, path: str, *, text: str | None = None, remove: bool = False) -> bytes:
    root = etree.fromstring(xml.encode())
    node = root.find(path, NS)
    if remove:
        node.getparent().remove(node)
    else:
        node.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(
    "path, change, rule",
    [
        # A wrong organisasjonsnummer check digit (990000026 -> 990000027).
        ("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", dict(text="123456789"), "PEPPOL-COMMON-R041"),
        # A missing endpoint (electronic address) of the buyer.
        ("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", dict(remove=True), "PEPPOL-EN16931-R010"),
        # Totals that do not add up.
        ("cac:LegalMonetaryTotal/cbc:PayableAmount", dict(text="64000.00"), "BR-CO-16"),
        ("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", dict(text="64000.00"), "BR-CO-15"),
        ("cac:LegalMonetaryTotal/cbc:LineExtensionAmount", dict(text="1.00"), "BR-CO-10"),
        ("cac:InvoiceLine/cbc:LineExtensionAmount", dict(text="64000.00"), "PEPPOL-EN16931-R120"),
        # Not the BIS 3.0 specification or process.
        ("cbc:CustomizationID", dict(text="urn:cen.eu:en16931:2017"), "PEPPOL-EN16931-R004"),
        ("cbc:ProfileID", dict(remove=True), "PEPPOL-EN16931-R001"),
        # No buyer reference (BT-10) or order reference.
        ("cbc:BuyerReference", dict(remove=True), "PEPPOL-EN16931-R003"),
        # VAT category O must say why (BR-O-10) and carry no rate.
        ("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason", dict(remove=True), "BR-O-10"),
        # The seller's electronic address.
        ("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", dict(remove=True), "PEPPOL-EN16931-R020"),
    ],
)
def test_a_broken_document_fails_our_validation_before_anything_is_sent(issued, path, change, rule):
    xml = _edit(issued["lier_invoice"].ehf_xml, path, **change)
    with pytest.raises(BillingError) as excinfo:
        documents.ehf_check(xml, number="HS-2")
    assert rule in str(excinfo.value)


def test_a_positive_amount_without_due_date_or_payment_terms_fails(issued):
    xml = _edit(issued["lier_invoice"].ehf_xml, "cbc:DueDate", remove=True)
    xml = _edit(xml.decode(), "cac:PaymentTerms", remove=True)
    with pytest.raises(BillingError, match="BR-CO-25"):
        documents.ehf_check(xml, number="HS-2")


def test_a_wrong_organisation_number_is_refused_when_the_ehf_is_built(issued):
    invoice = issued["lier_invoice"]
    valid = invoice.buyer_org_number
    invoice.buyer_org_number = valid[:-1] + str((int(valid[-1]) + 1) % 10)  # any other check digit is wrong
    with pytest.raises(BillingError, match="organisation number"):
        documents.ehf_xml(invoice)


def test_our_credit_note_ehf_passes_every_rule(issued, treasurer):
    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Rabatt", amount=Decimal("10"))
    assert validate(note.ehf_xml.encode()).fatal == []


def test_our_vat_registered_invoice_ehf_passes_every_rule(billing, treasurer, frozen):
    from tests import factories as f

    f.make_billing_profile(billing["coop"], vat_registered=True, in_foretaksregisteret=True)
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    for invoice in run.invoices.all():
        assert validate(invoice.ehf_xml.encode()).findings == ()  # not even a warning: Foretaksregisteret is stated
        assert "Foretaksregisteret" in invoice.ehf_xml
