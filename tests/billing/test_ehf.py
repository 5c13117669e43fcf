"""The generator (billing.ehf) against the official rules (billing.ehf_validation): our documents pass the
UBL 2.1 XSD and both published rule sets, the official examples pass, and a document broken the way a
treasurer could break it fails with the official rule id. The rules themselves are not re-tested here."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from billing import ehf
from billing.ehf_validation import EXAMPLES_DIR, FATAL, XSD_RULE_ID, validate
from billing.kid import make_kid

NS = {
    "cac": ehf.NS_CAC,
    "cbc": ehf.NS_CBC,
}
CAC = f"{{{ehf.NS_CAC}}}"
CBC = f"{{{ehf.NS_CBC}}}"

# Clearly fake organisation numbers that pass MOD11 (every ddddddddd does).
SELLER_ORG = "999999999"
BUYER_ORG = "888888888"
ACCOUNT = "1234.56.78903"  # fake, MOD11-valid Norwegian account number


# --------------------------------------------------------------------------
# Example data
# --------------------------------------------------------------------------


def seller(vat_registered=False):
    return ehf.Party(
        name="Kommunehelsesamarbeidet i Vestre Viken",
        org_number=SELLER_ORG,
        street="Postboks 123",
        postcode="3001",
        city="Drammen",
        email="faktura@khs.example",
        vat_registered=vat_registered,
        contact_name="Kari Nordmann",
    )


def buyer():
    return ehf.Party(
        name="Asker kommune",
        org_number=BUYER_ORG,
        street="Katrineåsveien 20",
        postcode="1383",
        city="Asker",
    )


LINE = ehf.Line(
    line_id="1",
    name="Medlemskontingent 2018",
    description="Medlemskontingent 2018: 60 781 innbyggere × kr 2,50",
    quantity=Decimal("60781"),
    unit_code="C62",
    unit_price=Decimal("2.50"),
    amount=Decimal("151952.50"),
    period_start=date(2018, 1, 1),
    period_end=date(2018, 12, 31),
)


def invoice(**changes):
    doc = ehf.Document(
        kind="invoice",
        number="2018-0001",
        issue_date=date(2018, 1, 15),
        due_date=date(2018, 2, 14),
        seller=seller(),
        buyer=buyer(),
        buyer_reference="Rådmannen v/ økonomi",
        lines=(LINE,),
        vat_category="O",
        vat_rate=Decimal("0"),
        payment_account=ACCOUNT,
        kid=make_kid(member=220, year=2018, sequence=1),
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        note="Årlig medlemskontingent etter innbyggertall per 1.1.2018",
    )
    return replace(doc, **changes)


def credit_note(**changes):
    base = dict(
        kind="credit_note",
        number="K-2018-0001",
        issue_date=date(2018, 3, 1),
        due_date=date(2018, 3, 15),
        billing_reference_number="2018-0001",
        billing_reference_date=date(2018, 1, 15),
        note="Kreditering av faktura 2018-0001",
        kid=make_kid(member=220, year=2018, sequence=2),
    )
    base.update(changes)
    return invoice(**base)


def vat_invoice(**changes):
    base = dict(seller=seller(vat_registered=True), vat_category="S", vat_rate=Decimal("25"))
    base.update(changes)
    return invoice(**base)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def xml_of(doc) -> bytes:
    return ehf.document_to_ubl(doc)


def findings(xml: bytes) -> list[tuple[str, str]]:
    """(rule id, flag) of every failed assert and XSD error, sorted."""
    return sorted({(f.rule_id, f.flag) for f in validate(xml).findings})


def fatal_ids(xml: bytes) -> set[str]:
    return {f.rule_id for f in validate(xml).fatal}


def edit(xml: bytes, fn) -> bytes:
    root = etree.fromstring(xml)
    fn(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def one(root, path):
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, (path, found)
    return found[0]


def set_text(path, value):
    def fn(root):
        one(root, path).text = value

    return fn


def remove(path):
    def fn(root):
        el = one(root, path)
        el.getparent().remove(el)

    return fn


def add_to_amounts(delta, *paths):
    def fn(root):
        for path in paths:
            el = one(root, path)
            el.text = f"{Decimal(el.text) + Decimal(delta):.2f}"

    return fn


def fragments(snippet: str) -> list:
    wrapper = etree.fromstring(f'<w xmlns:cac="{ehf.NS_CAC}" xmlns:cbc="{ehf.NS_CBC}">{snippet}</w>')
    return list(wrapper)


def fragment(snippet: str):
    (el,) = fragments(snippet)
    return el


def insert_before(path, snippet):
    def fn(root):
        anchor = one(root, path)
        for el in fragments(snippet):
            anchor.addprevious(el)

    return fn


def insert_after(path, snippet):
    def fn(root):
        anchor = one(root, path)
        for el in reversed(fragments(snippet)):
            anchor.addnext(el)

    return fn


def append(path, snippet):
    def fn(root):
        parent = one(root, path)
        for el in fragments(snippet):
            parent.append(el)

    return fn


def pop_attr(path, name):
    def fn(root):
        one(root, path).attrib.pop(name)

    return fn


def set_attr(path, name, value):
    def fn(root):
        one(root, path).set(name, value)

    return fn


def chain(*fns):
    def fn(root):
        for f in fns:
            f(root)

    return fn


SUB = "cac:TaxTotal/cac:TaxSubtotal"
LMT = "cac:LegalMonetaryTotal"
SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"


# --------------------------------------------------------------------------
# Valid documents
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [invoice, credit_note, vat_invoice], ids=["invoice-O", "creditnote-O", "invoice-S"])
def test_valid_documents_have_no_violations(make):
    assert findings(xml_of(make())) == []


def test_vat_credit_note_is_valid():
    doc = credit_note(seller=seller(vat_registered=True), vat_category="S", vat_rate=Decimal("25"))
    assert findings(xml_of(doc)) == []


def test_minimal_document_without_optional_parts_is_valid():
    doc = invoice(
        note="",
        period_start=None,
        period_end=None,
        lines=(replace(LINE, period_start=None, period_end=None, description=""),),
        seller=replace(seller(), email="", contact_name=""),
    )
    assert findings(xml_of(doc)) == []


def test_multiple_lines_with_rounding():
    lines = tuple(
        replace(
            LINE,
            line_id=str(i),
            quantity=Decimal(q),
            unit_price=Decimal("2.345"),
            amount=ehf.money(Decimal(q) * Decimal("2.345")),
        )
        for i, q in enumerate([1001, 333, 7], start=1)
    )
    doc = vat_invoice(lines=lines)
    xml = xml_of(doc)
    assert findings(xml) == []
    root = etree.fromstring(xml)
    # lines: 2347.345 -> 2347.35, 780.885 -> 780.89, 16.415 -> 16.42 (half up)
    assert [e.text for e in root.xpath("cac:InvoiceLine/cbc:LineExtensionAmount", namespaces=NS)] == [
        "2347.35",
        "780.89",
        "16.42",
    ]
    assert one(root, f"{LMT}/cbc:LineExtensionAmount").text == "3144.66"
    assert one(root, "cac:TaxTotal/cbc:TaxAmount").text == "786.17"  # 786.165 half up
    assert one(root, f"{LMT}/cbc:PayableAmount").text == "3930.83"
    assert one(root, "cac:InvoiceLine[1]/cac:Price/cbc:PriceAmount").text == "2.345"


def test_generated_content():
    root = etree.fromstring(xml_of(invoice()))
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert one(root, "cbc:CustomizationID").text == ehf.CUSTOMIZATION_ID
    assert one(root, "cbc:ProfileID").text == ehf.PROFILE_ID
    assert one(root, "cbc:InvoiceTypeCode").text == "380"
    assert one(root, f"{SELLER}/cbc:EndpointID").get("schemeID") == "0192"
    assert one(root, f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID").get("schemeID") == "0192"
    assert one(root, f"{SELLER}/cac:PartyTaxScheme/cbc:CompanyID").text == "Foretaksregisteret"
    assert root.xpath(f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']", namespaces=NS) == []
    assert one(root, "cac:PaymentMeans/cbc:PaymentMeansCode").text == "30"
    assert one(root, "cac:PaymentMeans/cbc:PaymentID").text == "02202018000018"
    assert one(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID").text == "12345678903"
    assert one(root, f"{SUB}/cac:TaxCategory/cbc:ID").text == "O"
    assert one(root, f"{SUB}/cac:TaxCategory/cbc:TaxExemptionReason").text == "Not subject to VAT"
    assert root.xpath("//cac:TaxCategory/cbc:Percent | //cac:ClassifiedTaxCategory/cbc:Percent", namespaces=NS) == []
    assert one(root, "cac:InvoicePeriod/cbc:StartDate").text == "2018-01-01"
    assert one(root, "cac:InvoicePeriod/cbc:EndDate").text == "2018-12-31"
    line = one(root, "cac:InvoiceLine")
    assert one(line, "cbc:InvoicedQuantity").text == "60781"
    assert one(line, "cbc:InvoicedQuantity").get("unitCode") == "C62"
    assert one(line, "cac:Price/cbc:PriceAmount").text == "2.50"
    assert one(line, "cbc:LineExtensionAmount").text == "151952.50"
    assert one(root, f"{LMT}/cbc:PayableAmount").text == "151952.50"


def test_generated_vat_content():
    root = etree.fromstring(xml_of(vat_invoice()))
    vat = one(root, f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID")
    assert vat.text == "NO999999999MVA"
    assert one(root, f"{SUB}/cac:TaxCategory/cbc:Percent").text == "25"
    assert root.xpath(f"{SUB}/cac:TaxCategory/cbc:TaxExemptionReason", namespaces=NS) == []
    assert one(root, "cac:TaxTotal/cbc:TaxAmount").text == "37988.13"  # 151952.50 * 25% = 37988.125
    assert one(root, f"{LMT}/cbc:TaxInclusiveAmount").text == "189940.63"


def test_generated_credit_note_content():
    root = etree.fromstring(xml_of(credit_note()))
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert one(root, "cbc:CreditNoteTypeCode").text == "381"
    assert root.xpath("cbc:DueDate", namespaces=NS) == []
    assert one(root, "cac:PaymentMeans/cbc:PaymentDueDate").text == "2018-03-15"
    assert one(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID").text == "2018-0001"
    assert one(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate").text == "2018-01-15"
    line = one(root, "cac:CreditNoteLine")
    assert one(line, "cbc:CreditedQuantity").text == "60781"


def test_element_order_is_the_ubl_schemas():
    """Moving one element out of the schema's order is caught by the UBL 2.1 XSD itself."""
    for doc in (invoice(), credit_note()):
        xml = edit(xml_of(doc), lambda root: one(root, "cbc:ID").addprevious(one(root, "cbc:IssueDate")))
        assert findings(xml) == [(XSD_RULE_ID, FATAL)]


# --------------------------------------------------------------------------
# Generator refuses inconsistent input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        dict(seller=replace(seller(), org_number="999999998")),
        dict(buyer=replace(buyer(), org_number="12345678")),
        dict(vat_category="S", vat_rate=Decimal("25")),  # seller not VAT registered
        dict(seller=seller(vat_registered=True)),  # VAT registered seller with category O
        dict(vat_rate=Decimal("25")),  # O with a rate
        dict(lines=(replace(LINE, amount=Decimal("151000.00")),)),
        dict(lines=(replace(LINE, unit_code="XYZ"),)),
        dict(lines=(replace(LINE, period_start=date(2017, 12, 1)),)),
        dict(lines=()),
        dict(buyer_reference=""),
        dict(kid="02202018000017"),
        dict(payment_account="1234.56.78900"),
        dict(currency="nok"),
        dict(kind="order"),
    ],
)
def test_generator_rejects_bad_input(changes):
    with pytest.raises(ValueError):
        xml_of(invoice(**changes))


def test_generator_rejects_float_money():
    with pytest.raises(TypeError):
        xml_of(invoice(lines=(replace(LINE, unit_price=2.5),)))


def test_iban_account_is_accepted():
    root = etree.fromstring(xml_of(invoice(payment_account="NO93 8601 1117 947")))
    assert one(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID").text == "NO9386011117947"


# --------------------------------------------------------------------------
# The official examples and our own variants pass
# --------------------------------------------------------------------------

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.xml"))


def test_the_official_examples_are_all_there():
    assert [p.name for p in EXAMPLES] == [
        "Allowance-example.xml",
        "Norwegian-example-1.xml",
        "Vat-category-S.xml",
        "base-creditnote-correction.xml",
        "base-example.xml",
        "vat-category-O.xml",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_official_example_passes(path):
    report = validate(path.read_bytes())
    assert report.fatal == []
    assert report.ok


def test_vat_registered_buyer_on_a_standard_rated_invoice_passes():
    xml = xml_of(vat_invoice(buyer=replace(buyer(), vat_registered=True)))
    assert findings(xml) == []
    assert one(etree.fromstring(xml), f"{BUYER}/cac:PartyTaxScheme/cbc:CompanyID").text == "NO888888888MVA"


def test_buyer_vat_id_only_on_standard_rated_documents():
    o_doc = etree.fromstring(xml_of(invoice(buyer=replace(buyer(), vat_registered=True))))
    assert o_doc.xpath(f"{BUYER}/cac:PartyTaxScheme", namespaces=NS) == []


def test_an_order_reference_instead_of_the_buyer_reference_is_accepted():
    fn = chain(
        insert_after("cac:InvoicePeriod", "<cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>"),
        remove("cbc:BuyerReference"),
    )
    assert findings(edit(xml_of(invoice()), fn)) == []


# --------------------------------------------------------------------------
# Documents broken the way a treasurer could break them fail with the official rule id
# --------------------------------------------------------------------------

BROKEN = {
    # The buyer's organisasjonsnummer with a wrong MOD11 check digit (as endpoint and legal id).
    "wrong org-number check digit": (
        lambda: edit(
            xml_of(invoice()),
            chain(
                set_text(f"{BUYER}/cbc:EndpointID", "888888889"),
                set_text(f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID", "888888889"),
            ),
        ),
        {"PEPPOL-COMMON-R041"},
    ),
    "missing buyer endpoint": (
        lambda: edit(xml_of(invoice()), remove(f"{BUYER}/cbc:EndpointID")),
        {"PEPPOL-EN16931-R010"},
    ),
    "missing seller endpoint": (
        lambda: edit(xml_of(invoice()), remove(f"{SELLER}/cbc:EndpointID")),
        {"PEPPOL-EN16931-R020"},
    ),
    "amount due is not the total": (
        lambda: edit(xml_of(invoice()), add_to_amounts("100", f"{LMT}/cbc:PayableAmount")),
        {"BR-CO-16"},
    ),
    "sum of lines is not the lines": (
        lambda: edit(xml_of(invoice()), add_to_amounts("100", f"{LMT}/cbc:LineExtensionAmount")),
        {"BR-CO-10", "BR-CO-13"},
    ),
    "VAT does not add up": (
        lambda: edit(xml_of(vat_invoice()), add_to_amounts("1", "cac:TaxTotal/cbc:TaxAmount", f"{SUB}/cbc:TaxAmount")),
        {"BR-CO-15", "BR-CO-17", "BR-S-09"},
    ),
    "missing buyer reference": (
        lambda: edit(xml_of(invoice()), remove("cbc:BuyerReference")),
        {"PEPPOL-EN16931-R003"},
    ),
    "credit note without buyer reference": (
        lambda: edit(xml_of(credit_note()), remove("cbc:BuyerReference")),
        {"PEPPOL-EN16931-R003"},
    ),
}


@pytest.mark.parametrize("make, expected", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_document_fails_with_the_official_rule(make, expected):
    report = validate(make())
    assert not report.ok
    assert {f.rule_id for f in report.fatal} == expected


def test_flags_and_messages_are_the_official_ones():
    report = validate(edit(xml_of(invoice()), remove("cbc:BuyerReference")))
    (finding,) = report.findings
    assert finding.flag == "fatal"
    assert finding.text == "A buyer reference or purchase order reference MUST be provided."
    (warning,) = validate(xml_of(invoice(seller=replace(seller(), in_foretaksregisteret=False)))).findings
    assert (warning.rule_id, warning.flag) == ("NO-R-002", "warning")
    assert "Foretaksregisteret" in warning.text


def test_a_seller_outside_foretaksregisteret_gets_only_the_warning():
    report = validate(xml_of(invoice(seller=replace(seller(), in_foretaksregisteret=False))))
    assert report.ok and [f.rule_id for f in report.warnings] == ["NO-R-002"]


def test_something_that_is_not_ubl_is_refused():
    assert fatal_ids(xml_of(invoice()).replace(ehf.NS_INVOICE.encode(), b"urn:example:not-ubl")) == {XSD_RULE_ID}
    assert not validate(b"<Invoice><unclosed></Invoice>").ok
