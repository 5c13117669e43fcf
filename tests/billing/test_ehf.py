"""Generator and validator are tested separately: valid documents come from
ehf.document_to_ubl, broken ones are made by editing that XML with lxml."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from billing import ehf, ehf_rules
from billing.ehf_rules import validate_ubl, xsd_errors
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


def ids(xml: bytes) -> set[str]:
    return {v.rule_id for v in validate_ubl(xml)}


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
    xml = xml_of(make())
    assert validate_ubl(xml) == []
    errors = xsd_errors(xml)
    if errors is None:
        pytest.skip("UBL 2.1 XSD not available (set EHF_UBL21_XSD_DIR)")
    assert errors == []


def test_vat_credit_note_is_valid():
    doc = credit_note(seller=seller(vat_registered=True), vat_category="S", vat_rate=Decimal("25"))
    assert validate_ubl(xml_of(doc)) == []


def test_minimal_document_without_optional_parts_is_valid():
    doc = invoice(
        note="",
        period_start=None,
        period_end=None,
        lines=(replace(LINE, period_start=None, period_end=None, description=""),),
        seller=replace(seller(), email="", contact_name=""),
    )
    assert validate_ubl(xml_of(doc)) == []


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
    assert validate_ubl(xml) == []
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


def test_element_order_follows_ubl_sequences():
    # Independent of the validator: the root children appear in the XSD order.
    for doc, seq_name in ((invoice(), "Invoice"), (credit_note(), "CreditNote")):
        root = etree.fromstring(xml_of(doc))
        order = [name for name, _, _ in ehf_rules.SEQUENCES[seq_name]]
        positions = [order.index(child.tag) for child in root]
        assert positions == sorted(positions)


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
# Broken documents: each fails with exactly the expected rule id(s)
# --------------------------------------------------------------------------

O_CASES = {
    # Norwegian organisation number MOD11 (scheme 0192)
    "buyer legal org number check digit": (
        set_text(f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID", "888888881"),
        {"PEPPOL-COMMON-R041"},
    ),
    "seller endpoint org number check digit": (
        set_text(f"{SELLER}/cbc:EndpointID", "999999991"),
        {"PEPPOL-COMMON-R041"},
    ),
    "org number with 8 digits": (
        set_text(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID", "99999999"),
        {"PEPPOL-COMMON-R041"},
    ),
    # electronic addresses
    "missing seller endpoint": (remove(f"{SELLER}/cbc:EndpointID"), {"PEPPOL-EN16931-R020"}),
    "missing buyer endpoint": (remove(f"{BUYER}/cbc:EndpointID"), {"PEPPOL-EN16931-R010"}),
    "endpoint scheme not in EAS": (
        lambda r: one(r, f"{BUYER}/cbc:EndpointID").set("schemeID", "9999"),
        {"PEPPOL-EN16931-CL008", "BR-CL-25"},
    ),
    "endpoint without scheme": (lambda r: one(r, f"{SELLER}/cbc:EndpointID").attrib.pop("schemeID"), {"BR-62"}),
    "bad GLN endpoint": (
        chain(
            lambda r: one(r, f"{BUYER}/cbc:EndpointID").set("schemeID", "0088"),
            set_text(f"{BUYER}/cbc:EndpointID", "7300010000002"),
        ),  # ...001 would be valid
        {"PEPPOL-COMMON-R040"},
    ),
    # arithmetic
    "lines do not add up to the total": (
        add_to_amounts(
            "1.00",
            f"{LMT}/cbc:LineExtensionAmount",
            f"{LMT}/cbc:TaxExclusiveAmount",
            f"{LMT}/cbc:TaxInclusiveAmount",
            f"{LMT}/cbc:PayableAmount",
        ),
        {"BR-CO-10"},
    ),
    "line amount is not quantity x price": (
        set_text("cac:InvoiceLine/cac:Price/cbc:PriceAmount", "2.60"),
        {"PEPPOL-EN16931-R120"},
    ),
    "payable amount mismatch": (add_to_amounts("-0.50", f"{LMT}/cbc:PayableAmount"), {"BR-CO-16"}),
    "total without VAT mismatch": (
        add_to_amounts(
            "10", f"{LMT}/cbc:TaxExclusiveAmount", f"{LMT}/cbc:TaxInclusiveAmount", f"{LMT}/cbc:PayableAmount"
        ),
        {"BR-CO-13"},
    ),
    "total with VAT mismatch": (
        add_to_amounts("10", f"{LMT}/cbc:TaxInclusiveAmount", f"{LMT}/cbc:PayableAmount"),
        {"BR-CO-15"},
    ),
    "missing LegalMonetaryTotal/PayableAmount": (
        remove(f"{LMT}/cbc:PayableAmount"),
        {"BR-15", "KHS-XSD-MISSING", "BR-CO-16"},
    ),
    # references
    "missing buyer reference": (remove("cbc:BuyerReference"), {"PEPPOL-EN16931-R003"}),
    "due date and payment terms missing": (chain(remove("cbc:DueDate"), remove("cac:PaymentTerms")), {"BR-CO-25"}),
    # identifiers of the specification
    "wrong CustomizationID (EHF 2.0)": (
        set_text(
            "cbc:CustomizationID",
            "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0"
            ":extended:urn:www.difi.no:ehf:faktura:ver2.0",
        ),
        {"PEPPOL-EN16931-R004"},
    ),
    "malformed ProfileID": (
        set_text("cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:1:1.0"),
        {"PEPPOL-EN16931-R007"},
    ),
    "missing ProfileID": (remove("cbc:ProfileID"), {"PEPPOL-EN16931-R001", "PEPPOL-EN16931-R007"}),
    "invoice type code outside profile 01": (set_text("cbc:InvoiceTypeCode", "384"), {"PEPPOL-EN16931-P0100"}),
    "invoice type code outside UNCL1001": (
        set_text("cbc:InvoiceTypeCode", "999"),
        {"BR-CL-01", "PEPPOL-EN16931-P0100"},
    ),
    # VAT category O
    "category O line carrying a rate": (
        insert_before(
            "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme", "<cbc:Percent>0</cbc:Percent>"
        ),
        {"BR-O-05"},
    ),
    "category O with seller VAT identifier": (
        insert_before(
            f"{SELLER}/cac:PartyTaxScheme",
            "<cac:PartyTaxScheme><cbc:CompanyID>NO999999999MVA</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"BR-O-02"},
    ),
    "category O without exemption reason": (remove(f"{SUB}/cac:TaxCategory/cbc:TaxExemptionReason"), {"BR-O-10"}),
    "category O taxable amount differs from lines": (add_to_amounts("100", f"{SUB}/cbc:TaxableAmount"), {"BR-O-08"}),
    "category O line under a standard rated breakdown": (
        chain(
            set_text(f"{SUB}/cac:TaxCategory/cbc:ID", "S"),
            remove(f"{SUB}/cac:TaxCategory/cbc:TaxExemptionReason"),
            insert_before(f"{SUB}/cac:TaxCategory/cac:TaxScheme", "<cbc:Percent>25</cbc:Percent>"),
        ),
        # the O line now has no O breakdown (BR-O-01), the S breakdown has no S
        # line (BR-S-01, BR-S-08), no VAT id (BR-S-02 does not apply: no S line)
        # and VAT 0 at 25 % on 151952.50 (BR-S-09, BR-CO-17)
        {"BR-O-01", "BR-S-01", "BR-S-08", "BR-S-09", "BR-CO-17"},
    ),
    # Norway
    "no Foretaksregisteret": (remove(f"{SELLER}/cac:PartyTaxScheme"), {"NO-R-002"}),
    # parties
    "no seller legal registration identifier": (remove(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID"), {"BR-CO-26"}),
    "no seller name": (remove(f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName"), {"BR-06"}),
    "buyer country code unknown": (
        set_text(f"{BUYER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "XX"),
        {"BR-CL-14"},
    ),
    # codes
    "unit code not allowed": (
        lambda r: one(r, "cac:InvoiceLine/cbc:InvoicedQuantity").set("unitCode", "XYZ"),
        {"BR-CL-23"},
    ),
    "amount in another currency": (
        lambda r: one(r, f"{LMT}/cbc:PayableAmount").set("currencyID", "SEK"),
        {"PEPPOL-EN16931-R051"},
    ),
    "currency code not ISO 4217": (
        lambda r: one(r, f"{LMT}/cbc:PayableAmount").set("currencyID", "NKR"),
        {"PEPPOL-EN16931-R051", "PEPPOL-EN16931-CL007", "BR-CL-03"},
    ),
    "payment means code not UNCL4461": (set_text("cac:PaymentMeans/cbc:PaymentMeansCode", "99"), {"BR-CL-16"}),
    "credit transfer without account": (remove("cac:PaymentMeans/cac:PayeeFinancialAccount"), {"BR-61"}),
    # decimals and dates
    "three decimals in payable amount": (
        set_text(f"{LMT}/cbc:PayableAmount", "151952.500"),
        {"BR-DEC-18", "UBL-DT-01"},
    ),
    "three decimals in line amount": (
        chain(set_text("cac:InvoiceLine/cbc:LineExtensionAmount", "151952.500")),
        {"BR-DEC-23", "UBL-DT-01"},
    ),
    "date not YYYY-MM-DD": (set_text("cbc:IssueDate", "2018-1-15"), {"PEPPOL-EN16931-F001"}),
    "impossible date": (set_text("cbc:DueDate", "2018-02-30"), {"PEPPOL-EN16931-F001"}),
    "invoice period ends before it starts": (
        chain(
            set_text("cac:InvoicePeriod/cbc:StartDate", "2018-12-31"),
            set_text("cac:InvoicePeriod/cbc:EndDate", "2018-01-01"),
            remove("cac:InvoiceLine/cac:InvoicePeriod"),
        ),
        {"BR-29"},
    ),
    "line period outside the invoice period": (
        set_text("cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate", "2017-12-01"),
        {"PEPPOL-EN16931-R110"},
    ),
    "line period after the invoice period": (
        set_text("cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate", "2019-01-31"),
        {"PEPPOL-EN16931-R111"},
    ),
    # document structure
    "empty element": (set_text("cbc:Note", "   "), {"PEPPOL-EN16931-R008"}),
    "two notes": (insert_after("cbc:Note", "<cbc:Note>Andre merknad</cbc:Note>"), {"PEPPOL-EN16931-R002"}),
    "no VAT breakdown": (remove("cac:TaxTotal"), {"BR-CO-18", "BR-CO-15", "PEPPOL-EN16931-R053", "BR-O-01"}),
    "two payment terms notes": (
        insert_after("cac:PaymentTerms/cbc:Note", "<cbc:Note>30 dager</cbc:Note>"),
        {"UBL-SR-05"},
    ),
    "elements out of UBL order": (
        lambda r: one(r, "cbc:InvoiceTypeCode").addnext(one(r, "cbc:DueDate")),
        {"KHS-XSD-ORDER"},
    ),
    "element not allowed in UBL": (insert_after("cbc:ID", "<cbc:Foo>x</cbc:Foo>"), {"KHS-XSD-UNEXPECTED"}),
    "party elements out of order": (
        lambda r: one(r, f"{SELLER}/cac:PartyLegalEntity").addnext(one(r, f"{SELLER}/cac:PostalAddress")),
        {"KHS-XSD-ORDER"},
    ),
}


@pytest.mark.parametrize("fn, expected", O_CASES.values(), ids=O_CASES.keys())
def test_broken_invoice(fn, expected):
    assert ids(edit(xml_of(invoice()), fn)) == expected


S_CASES = {
    "line without rate": (
        remove("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        {"BR-S-05", "BR-S-08"},
    ),
    "breakdown taxable amount differs from lines": (add_to_amounts("3", f"{SUB}/cbc:TaxableAmount"), {"BR-S-08"}),
    "VAT amount not taxable x rate": (
        add_to_amounts(
            "5",
            f"{SUB}/cbc:TaxAmount",
            "cac:TaxTotal/cbc:TaxAmount",
            f"{LMT}/cbc:TaxInclusiveAmount",
            f"{LMT}/cbc:PayableAmount",
        ),
        {"BR-S-09", "BR-CO-17"},
    ),
    "total VAT differs from breakdown": (
        add_to_amounts("1", "cac:TaxTotal/cbc:TaxAmount", f"{LMT}/cbc:TaxInclusiveAmount", f"{LMT}/cbc:PayableAmount"),
        {"BR-CO-14"},
    ),
    "standard rate with exemption reason": (
        insert_before(
            f"{SUB}/cac:TaxCategory/cac:TaxScheme",
            "<cbc:TaxExemptionReason>Not subject to VAT</cbc:TaxExemptionReason>",
        ),
        {"BR-S-10"},
    ),
    "VAT number without MVA": (
        set_text(f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "NO999999999"),
        {"NO-R-001"},
    ),
    "VAT number with bad check digit": (
        set_text(f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "NO999999998MVA"),
        {"NO-R-001"},
    ),
    "VAT number without country prefix": (
        set_text(f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "999999999MVA"),
        {"BR-CO-09"},
    ),
    "standard rate without any seller tax identifier": (
        lambda r: [p.getparent().remove(p) for p in r.xpath(f"{SELLER}/cac:PartyTaxScheme", namespaces=NS)],
        {"BR-S-02", "NO-R-002"},
    ),
    "three party tax schemes": (
        insert_before(
            f"{SELLER}/cac:PartyLegalEntity",
            "<cac:PartyTaxScheme><cbc:CompanyID>X</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>TAX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"UBL-SR-42", "UBL-SR-13"},
    ),
}


@pytest.mark.parametrize("fn, expected", S_CASES.values(), ids=S_CASES.keys())
def test_broken_vat_invoice(fn, expected):
    assert ids(edit(xml_of(vat_invoice()), fn)) == expected


CN_CASES = {
    # No BIS 3 / EN 16931 / Norwegian rule requires a credit note to reference
    # the credited invoice (NL-R-001 does, for Dutch suppliers only), so
    # removing it is accepted ...
    "credit note without billing reference": (remove("cac:BillingReference"), set()),
    # ... but a BillingReference without the invoice number is not.
    "billing reference without invoice number": (
        remove("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        {"BR-55", "UBL-SR-07", "KHS-XSD-MISSING"},
    ),
    "credit note type code outside profile": (set_text("cbc:CreditNoteTypeCode", "261"), {"PEPPOL-EN16931-P0101"}),
    # BR-CO-25 only concerns invoices
    "credit note without due date and terms": (
        chain(remove("cac:PaymentMeans/cbc:PaymentDueDate"), remove("cac:PaymentTerms")),
        set(),
    ),
    "credit note with an invoice-only element": (
        insert_after("cbc:IssueDate", "<cbc:DueDate>2018-03-15</cbc:DueDate>"),
        {"KHS-XSD-UNEXPECTED"},
    ),
    "credited amount does not match price": (
        set_text("cac:CreditNoteLine/cbc:CreditedQuantity", "60780"),
        {"PEPPOL-EN16931-R120"},
    ),
}


@pytest.mark.parametrize("fn, expected", CN_CASES.values(), ids=CN_CASES.keys())
def test_broken_credit_note(fn, expected):
    assert ids(edit(xml_of(credit_note()), fn)) == expected


# --------------------------------------------------------------------------
# Other validator behaviour
# --------------------------------------------------------------------------


def test_flags_and_messages_come_from_the_rule_files():
    xml = edit(xml_of(invoice()), remove(f"{SELLER}/cac:PartyTaxScheme"))
    (v,) = validate_ubl(xml)
    assert v.rule_id == "NO-R-002" and v.flag == "warning"
    assert "Foretaksregisteret" in v.message
    xml = edit(xml_of(invoice()), remove("cbc:BuyerReference"))
    (v,) = validate_ubl(xml)
    assert v.flag == "fatal"
    assert v.message == "A buyer reference or purchase order reference MUST be provided."
    assert v.location == "/*"


def test_seller_outside_foretaksregisteret_only_gets_the_warning():
    doc = invoice(seller=replace(seller(), in_foretaksregisteret=False))
    violations = validate_ubl(xml_of(doc))
    assert [(v.rule_id, v.flag) for v in violations] == [("NO-R-002", "warning")]
    assert ehf_rules.fatal(violations) == []


def test_wrong_root_namespace():
    xml = xml_of(invoice()).replace(ehf.NS_INVOICE.encode(), b"urn:example:not-ubl")
    assert ids(xml) == {"KHS-XSD-ROOT"}


def test_not_xml():
    assert ids(b"<Invoice><unclosed></Invoice>") == {"KHS-XML-PARSE"}


def test_order_reference_instead_of_buyer_reference_is_accepted():
    """Elements we do not emit (PartyIdentification, OrderReference) pass our
    checks, and an order reference satisfies PEPPOL-EN16931-R003."""
    fn = chain(
        insert_after("cac:InvoicePeriod", "<cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>"),
        insert_after(
            f"{SELLER}/cbc:EndpointID",
            '<cac:PartyIdentification><cbc:ID schemeID="0192">999999999</cbc:ID></cac:PartyIdentification>',
        ),
        remove("cbc:BuyerReference"),
    )
    assert ids(edit(xml_of(invoice()), fn)) == set()


def test_xsd_errors_is_none_or_list():
    result = xsd_errors(xml_of(invoice()))
    assert result is None or isinstance(result, list)


# --------------------------------------------------------------------------
# One broken document per remaining implemented rule.  Where a defect
# necessarily breaks more than one rule, the expected set lists all of them
# (each listed id was checked against the rule's XPath test).
# --------------------------------------------------------------------------

LINE_PATH = "cac:InvoiceLine"
LINE_CAT = f"{LINE_PATH}/cac:Item/cac:ClassifiedTaxCategory"
SUB_CAT = f"{SUB}/cac:TaxCategory"
PM = "cac:PaymentMeans"
PERIOD = "cac:InvoicePeriod"


def with_doc_allowance(charge: bool, amount: str = "100.00"):
    """Document level allowance (or charge) in the document's own VAT
    category, with all totals adjusted so the result is valid."""

    def fn(root):
        amt = Decimal(amount)
        signed = amt if charge else -amt
        cat_id = one(root, f"{SUB_CAT}/cbc:ID").text
        rate = root.xpath(f"{SUB_CAT}/cbc:Percent", namespaces=NS)
        pct = f"<cbc:Percent>{rate[0].text}</cbc:Percent>" if rate else ""
        one(root, "cac:TaxTotal").addprevious(
            fragment(
                f"<cac:AllowanceCharge><cbc:ChargeIndicator>{'true' if charge else 'false'}</cbc:ChargeIndicator>"
                f"<cbc:AllowanceChargeReason>{'Gebyr' if charge else 'Rabatt'}</cbc:AllowanceChargeReason>"
                f'<cbc:Amount currencyID="NOK">{amt}</cbc:Amount>'
                f"<cac:TaxCategory><cbc:ID>{cat_id}</cbc:ID>{pct}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
                "</cac:TaxCategory></cac:AllowanceCharge>"
            )
        )
        total = "ChargeTotalAmount" if charge else "AllowanceTotalAmount"
        one(root, f"{LMT}/cbc:TaxInclusiveAmount").addnext(
            fragment(f'<cbc:{total} currencyID="NOK">{amt}</cbc:{total}>')
        )
        taxable = Decimal(one(root, f"{SUB}/cbc:TaxableAmount").text) + signed
        tax = ehf.money(taxable * Decimal(rate[0].text) / 100) if rate else Decimal("0.00")
        excl = Decimal(one(root, f"{LMT}/cbc:TaxExclusiveAmount").text) + signed
        for path, value in (
            (f"{SUB}/cbc:TaxableAmount", taxable),
            (f"{SUB}/cbc:TaxAmount", tax),
            ("cac:TaxTotal/cbc:TaxAmount", tax),
            (f"{LMT}/cbc:TaxExclusiveAmount", excl),
            (f"{LMT}/cbc:TaxInclusiveAmount", excl + tax),
            (f"{LMT}/cbc:PayableAmount", excl + tax),
        ):
            one(root, path).text = f"{value:.2f}"

    return fn


def with_prepaid_and_rounding(root):
    one(root, f"{LMT}/cbc:PayableAmount").addprevious(
        fragment('<cbc:PrepaidAmount currencyID="NOK">50.00</cbc:PrepaidAmount>')
    )
    one(root, f"{LMT}/cbc:PayableAmount").addprevious(
        fragment('<cbc:PayableRoundingAmount currencyID="NOK">0.50</cbc:PayableRoundingAmount>')
    )
    one(root, f"{LMT}/cbc:PayableAmount").text = "151903.00"  # 151952.50 - 50.00 + 0.50


BASES = {
    "O": lambda: xml_of(invoice()),
    "S": lambda: xml_of(vat_invoice()),
    "CN": lambda: xml_of(credit_note()),
    "S+buyer VAT": lambda: xml_of(vat_invoice(buyer=replace(buyer(), vat_registered=True))),
    "O+allowance": lambda: edit(xml_of(invoice()), with_doc_allowance(False)),
    "O+charge": lambda: edit(xml_of(invoice()), with_doc_allowance(True)),
    "S+allowance": lambda: edit(xml_of(vat_invoice()), with_doc_allowance(False)),
    "S+charge": lambda: edit(xml_of(vat_invoice()), with_doc_allowance(True)),
    "O+prepaid": lambda: edit(xml_of(invoice()), with_prepaid_and_rounding),
}


@pytest.mark.parametrize("base", BASES)
def test_base_variants_are_valid(base):
    assert validate_ubl(BASES[base]()) == []


def test_buyer_vat_id_only_on_standard_rated_documents():
    o_doc = etree.fromstring(xml_of(invoice(buyer=replace(buyer(), vat_registered=True))))
    assert o_doc.xpath(f"{BUYER}/cac:PartyTaxScheme", namespaces=NS) == []
    s_doc = etree.fromstring(BASES["S+buyer VAT"]())
    assert one(s_doc, f"{BUYER}/cac:PartyTaxScheme/cbc:CompanyID").text == "NO888888888MVA"


def _second_payment_means(code="30", payment_id="02202018000018", due=""):
    return (
        f"<cac:PaymentMeans><cbc:PaymentMeansCode>{code}</cbc:PaymentMeansCode>{due}"
        + (f"<cbc:PaymentID>{payment_id}</cbc:PaymentID>" if payment_id else "")
        + "<cac:PayeeFinancialAccount><cbc:ID>12345678903</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>"
    )


def _three_decimals(path, value):
    return set_text(path, value)


MORE_CASES = {
    # ---- document level presence (BR-01..BR-16) ----
    "no CustomizationID": ("O", remove("cbc:CustomizationID"), {"BR-01", "PEPPOL-EN16931-R004"}),
    "no invoice number": ("O", remove("cbc:ID"), {"BR-02", "KHS-XSD-MISSING"}),
    "no issue date": ("O", remove("cbc:IssueDate"), {"BR-03", "KHS-XSD-MISSING"}),
    "no invoice type code": ("O", remove("cbc:InvoiceTypeCode"), {"BR-04"}),
    "no currency code": ("O", remove("cbc:DocumentCurrencyCode"), {"BR-05", "PEPPOL-EN16931-R051"}),
    "no buyer name": ("O", remove(f"{BUYER}/cac:PartyLegalEntity/cbc:RegistrationName"), {"BR-07"}),
    "no seller postal address": ("O", remove(f"{SELLER}/cac:PostalAddress"), {"BR-08"}),
    "no seller country": ("O", remove(f"{SELLER}/cac:PostalAddress/cac:Country"), {"BR-09"}),
    "no buyer postal address": ("O", remove(f"{BUYER}/cac:PostalAddress"), {"BR-10"}),
    "no buyer country": ("O", remove(f"{BUYER}/cac:PostalAddress/cac:Country"), {"BR-11"}),
    "no sum of line amounts": ("O", remove(f"{LMT}/cbc:LineExtensionAmount"), {"BR-12", "BR-CO-10", "BR-CO-13"}),
    "no total without VAT": ("O", remove(f"{LMT}/cbc:TaxExclusiveAmount"), {"BR-13", "BR-CO-13", "BR-CO-15"}),
    "no total with VAT": ("O", remove(f"{LMT}/cbc:TaxInclusiveAmount"), {"BR-14", "BR-CO-15", "BR-CO-16"}),
    "no lines": ("O", remove(LINE_PATH), {"BR-16", "KHS-XSD-MISSING", "BR-CO-10", "BR-O-08"}),
    # ---- lines (BR-21..BR-30, BR-CO-04, BR-CO-20) ----
    "no line id": ("O", remove(f"{LINE_PATH}/cbc:ID"), {"BR-21", "KHS-XSD-MISSING"}),
    "no invoiced quantity": (
        "O",
        remove(f"{LINE_PATH}/cbc:InvoicedQuantity"),
        {"BR-22", "BR-23", "PEPPOL-EN16931-R120"},
    ),
    "no unit code": ("O", pop_attr(f"{LINE_PATH}/cbc:InvoicedQuantity", "unitCode"), {"BR-23"}),
    "no line net amount": (
        "O",
        remove(f"{LINE_PATH}/cbc:LineExtensionAmount"),
        {"BR-24", "KHS-XSD-MISSING", "PEPPOL-EN16931-R120", "BR-CO-10", "BR-O-08"},
    ),
    "no item name": ("O", remove(f"{LINE_PATH}/cac:Item/cbc:Name"), {"BR-25"}),
    "no price": ("O", remove(f"{LINE_PATH}/cac:Price"), {"BR-26", "BR-27", "PEPPOL-EN16931-R120"}),
    "negative price": (
        "O",
        set_text(f"{LINE_PATH}/cac:Price/cbc:PriceAmount", "-2.50"),
        {"BR-27", "PEPPOL-EN16931-R120"},
    ),
    "negative gross price": (
        "O",
        insert_after(
            f"{LINE_PATH}/cac:Price/cbc:PriceAmount",
            '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="NOK">0.00</cbc:Amount>'
            '<cbc:BaseAmount currencyID="NOK">-2.50</cbc:BaseAmount></cac:AllowanceCharge>',
        ),
        {"BR-28"},
    ),
    "line period ends before it starts": (
        "O",
        chain(
            set_text(f"{LINE_PATH}/{PERIOD}/cbc:StartDate", "2018-12-31"),
            set_text(f"{LINE_PATH}/{PERIOD}/cbc:EndDate", "2018-01-01"),
        ),
        {"BR-30"},
    ),
    "line period without dates": (
        "O",
        chain(
            remove(f"{LINE_PATH}/{PERIOD}/cbc:StartDate"),
            remove(f"{LINE_PATH}/{PERIOD}/cbc:EndDate"),
            append(f"{LINE_PATH}/{PERIOD}", "<cbc:Description>Året 2018</cbc:Description>"),
        ),
        {"BR-CO-20"},
    ),
    "line without VAT category code": ("O", remove(f"{LINE_CAT}/cbc:ID"), {"BR-CO-04", "BR-O-08", "BR-O-12"}),
    # ---- invoice period and tax point (BR-CO-19, BR-CO-03, BR-CL-06) ----
    "invoice period with dates and code": (
        "O",
        append(PERIOD, "<cbc:DescriptionCode>35</cbc:DescriptionCode>"),
        {"BR-CO-19"},
    ),
    "tax point date and tax point date code": (
        "O",
        chain(
            remove(f"{PERIOD}/cbc:StartDate"),
            remove(f"{PERIOD}/cbc:EndDate"),
            append(PERIOD, "<cbc:DescriptionCode>3</cbc:DescriptionCode>"),
            insert_after("cbc:Note", "<cbc:TaxPointDate>2018-01-15</cbc:TaxPointDate>"),
        ),
        {"BR-CO-03"},
    ),
    "invalid period description code": (
        "O",
        chain(
            remove(f"{PERIOD}/cbc:StartDate"),
            remove(f"{PERIOD}/cbc:EndDate"),
            append(PERIOD, "<cbc:DescriptionCode>99</cbc:DescriptionCode>"),
        ),
        {"BR-CL-06", "PEPPOL-EN16931-CL006"},
    ),
    "two period description codes": (
        "O",
        chain(
            remove(f"{PERIOD}/cbc:StartDate"),
            remove(f"{PERIOD}/cbc:EndDate"),
            append(PERIOD, "<cbc:DescriptionCode>3</cbc:DescriptionCode>"),
            append(PERIOD, "<cbc:DescriptionCode>35</cbc:DescriptionCode>"),
        ),
        {"UBL-SR-49"},
    ),
    # ---- VAT breakdown (BR-45..BR-48) ----
    "no VAT category taxable amount": ("O", remove(f"{SUB}/cbc:TaxableAmount"), {"BR-45", "BR-O-08"}),
    "no VAT category tax amount": (
        "O",
        remove(f"{SUB}/cbc:TaxAmount"),
        {"BR-46", "KHS-XSD-MISSING", "BR-O-09", "BR-CO-17"},
    ),
    "no VAT category code": ("O", remove(f"{SUB_CAT}/cbc:ID"), {"BR-47", "BR-48", "BR-O-01"}),
    "no VAT category rate": ("S", remove(f"{SUB_CAT}/cbc:Percent"), {"BR-48", "BR-S-09", "BR-CO-17"}),
    "unknown tax category code": ("O", set_text(f"{SUB_CAT}/cbc:ID", "X"), {"BR-CL-17", "BR-48", "BR-O-01"}),
    "unknown line tax category code": ("O", set_text(f"{LINE_CAT}/cbc:ID", "X"), {"BR-CL-18", "BR-O-08", "BR-O-12"}),
    "category O breakdown next to another breakdown": (
        "O",
        insert_after(
            SUB,
            '<cac:TaxSubtotal><cbc:TaxableAmount currencyID="NOK">0.00</cbc:TaxableAmount>'
            '<cbc:TaxAmount currencyID="NOK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID>'
            "<cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>"
            "</cac:TaxSubtotal>",
        ),
        {"BR-O-11", "BR-S-01", "BR-S-08"},
    ),
    # ---- payment (BR-49, BR-50, R061) ----
    "no payment means code": ("O", remove(f"{PM}/cbc:PaymentMeansCode"), {"BR-49", "KHS-XSD-MISSING"}),
    "credit transfer account without id": (
        "O",
        chain(
            remove(f"{PM}/cac:PayeeFinancialAccount/cbc:ID"),
            append(f"{PM}/cac:PayeeFinancialAccount", "<cbc:Name>Driftskonto</cbc:Name>"),
        ),
        {"BR-50", "BR-61"},
    ),
    "direct debit without mandate (49)": ("O", set_text(f"{PM}/cbc:PaymentMeansCode", "49"), {"PEPPOL-EN16931-R061"}),
    "SEPA direct debit without mandate (59)": (
        "O",
        set_text(f"{PM}/cbc:PaymentMeansCode", "59"),
        {"PEPPOL-EN16931-R061"},
    ),
    # ---- identifiers and schemes ----
    "buyer endpoint without scheme": ("O", pop_attr(f"{BUYER}/cbc:EndpointID", "schemeID"), {"BR-63"}),
    "party identification scheme not ICD": (
        "O",
        insert_after(
            f"{SELLER}/cbc:EndpointID",
            '<cac:PartyIdentification><cbc:ID schemeID="XXXX">1</cbc:ID></cac:PartyIdentification>',
        ),
        {"BR-CL-10"},
    ),
    "SEPA identifier on the buyer": (
        "O",
        insert_after(
            f"{BUYER}/cbc:EndpointID",
            '<cac:PartyIdentification><cbc:ID schemeID="SEPA">NO12ZZZ1</cbc:ID></cac:PartyIdentification>',
        ),
        {"BR-CL-10"},
    ),
    "legal entity scheme not ICD": (
        "O",
        set_attr(f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "0092"),
        {"BR-CL-11"},
    ),
    # ---- decimals ----
    "three decimals: sum of lines": (
        "O",
        _three_decimals(f"{LMT}/cbc:LineExtensionAmount", "151952.500"),
        {"BR-DEC-09", "UBL-DT-01"},
    ),
    "three decimals: total without VAT": (
        "O",
        _three_decimals(f"{LMT}/cbc:TaxExclusiveAmount", "151952.500"),
        {"BR-DEC-12", "UBL-DT-01"},
    ),
    "three decimals: total with VAT": (
        "O",
        _three_decimals(f"{LMT}/cbc:TaxInclusiveAmount", "151952.500"),
        {"BR-DEC-14", "UBL-DT-01"},
    ),
    "three decimals: total VAT": (
        "O",
        _three_decimals("cac:TaxTotal/cbc:TaxAmount", "0.000"),
        {"BR-DEC-13", "UBL-DT-01"},
    ),
    "three decimals: taxable amount": (
        "O",
        _three_decimals(f"{SUB}/cbc:TaxableAmount", "151952.500"),
        {"BR-DEC-19", "UBL-DT-01"},
    ),
    "three decimals: category VAT": ("O", _three_decimals(f"{SUB}/cbc:TaxAmount", "0.000"), {"BR-DEC-20", "UBL-DT-01"}),
    "three decimals: prepaid": (
        "O",
        insert_before(f"{LMT}/cbc:PayableAmount", '<cbc:PrepaidAmount currencyID="NOK">0.000</cbc:PrepaidAmount>'),
        {"BR-DEC-16", "UBL-DT-01"},
    ),
    "three decimals: rounding": (
        "O",
        insert_before(
            f"{LMT}/cbc:PayableAmount", '<cbc:PayableRoundingAmount currencyID="NOK">0.000</cbc:PayableRoundingAmount>'
        ),
        {"BR-DEC-17", "UBL-DT-01"},
    ),
    "three decimals: allowance total": (
        "O+allowance",
        set_text(f"{LMT}/cbc:AllowanceTotalAmount", "100.000"),
        {"BR-DEC-10", "UBL-DT-01"},
    ),
    "three decimals: charge total": (
        "O+charge",
        set_text(f"{LMT}/cbc:ChargeTotalAmount", "100.000"),
        {"BR-DEC-11", "UBL-DT-01"},
    ),
    # ---- structural (our XSD stand-in) ----
    "amount without currency": (
        "O",
        pop_attr(f"{LMT}/cbc:PayableAmount", "currencyID"),
        {"KHS-XSD-ATTR", "PEPPOL-EN16931-R051", "PEPPOL-EN16931-CL007", "BR-CL-03"},
    ),
    "amount that is not a number": ("O", set_text(f"{LMT}/cbc:PayableAmount", "abc"), {"KHS-XSD-DECIMAL"}),
    "buyer reference twice": (
        "O",
        insert_after("cbc:BuyerReference", "<cbc:BuyerReference>x</cbc:BuyerReference>"),
        {"KHS-XSD-TOO-MANY"},
    ),
    # ---- currencies ----
    "all currencies not ISO 4217": (
        "O",
        chain(
            set_text("cbc:DocumentCurrencyCode", "NKR"),
            lambda r: [e.set("currencyID", "NKR") for e in r.xpath("//*[@currencyID]")],
        ),
        {"BR-CL-04", "BR-CL-03", "PEPPOL-EN16931-CL007"},
    ),
    "tax currency equal to invoice currency": (
        "S",
        insert_after("cbc:DocumentCurrencyCode", "<cbc:TaxCurrencyCode>NOK</cbc:TaxCurrencyCode>"),
        {"PEPPOL-EN16931-R005", "PEPPOL-EN16931-R054"},
    ),
    "tax currency total with the other sign": (
        "S",
        chain(
            insert_after("cbc:DocumentCurrencyCode", "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"),
            insert_after(
                "cac:TaxTotal", '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">-3500.00</cbc:TaxAmount></cac:TaxTotal>'
            ),
        ),
        {"PEPPOL-EN16931-R055"},
    ),
    "tax currency total correct": (
        "S",
        chain(
            insert_after("cbc:DocumentCurrencyCode", "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"),
            insert_after(
                "cac:TaxTotal", '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">3500.00</cbc:TaxAmount></cac:TaxTotal>'
            ),
        ),
        set(),
    ),
    "tax currency not ISO 4217": (
        "S",
        chain(
            insert_after("cbc:DocumentCurrencyCode", "<cbc:TaxCurrencyCode>EUX</cbc:TaxCurrencyCode>"),
            insert_after(
                "cac:TaxTotal", '<cac:TaxTotal><cbc:TaxAmount currencyID="EUX">3500.00</cbc:TaxAmount></cac:TaxTotal>'
            ),
        ),
        {"BR-CL-05", "BR-CL-03", "PEPPOL-EN16931-CL007"},
    ),
    "tax currency total with three decimals": (
        "S",
        chain(
            insert_after("cbc:DocumentCurrencyCode", "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"),
            insert_after(
                "cac:TaxTotal", '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">3500.000</cbc:TaxAmount></cac:TaxTotal>'
            ),
        ),
        {"BR-DEC-15", "UBL-DT-01"},
    ),
    # ---- VATEX codes (P0104..P0111) ----
    "VATEX-EU-O on category O": (
        "O",
        insert_before(
            f"{SUB_CAT}/cbc:TaxExemptionReason", "<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>"
        ),
        set(),
    ),
    "VATEX-EU-O on category S": (
        "S",
        insert_before(
            f"{SUB_CAT}/cac:TaxScheme", "<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>"
        ),
        {"PEPPOL-EN16931-P0105", "BR-S-10"},
    ),
    # ---- line references and base quantity ----
    "two invoiced objects on a line": (
        "O",
        insert_after(
            f"{LINE_PATH}/{PERIOD}",
            "<cac:DocumentReference><cbc:ID>A</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>"
            "<cac:DocumentReference><cbc:ID>B</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>",
        ),
        {"PEPPOL-EN16931-R100"},
    ),
    "one invoiced object on a line": (
        "O",
        insert_after(
            f"{LINE_PATH}/{PERIOD}",
            "<cac:DocumentReference><cbc:ID>A</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>",
        ),
        set(),
    ),
    "line document reference that is not an invoiced object": (
        "O",
        insert_after(f"{LINE_PATH}/{PERIOD}", "<cac:DocumentReference><cbc:ID>A</cbc:ID></cac:DocumentReference>"),
        {"PEPPOL-EN16931-R101"},
    ),
    "base quantity zero": (
        "O",
        insert_after(f"{LINE_PATH}/cac:Price/cbc:PriceAmount", '<cbc:BaseQuantity unitCode="C62">0</cbc:BaseQuantity>'),
        {"PEPPOL-EN16931-R121"},
    ),
    "base quantity in another unit": (
        "O",
        insert_after(f"{LINE_PATH}/cac:Price/cbc:PriceAmount", '<cbc:BaseQuantity unitCode="EA">1</cbc:BaseQuantity>'),
        {"PEPPOL-EN16931-R130"},
    ),
    # ---- cardinalities (UBL-SR-*) ----
    "two invoice periods": (
        "O",
        insert_after(PERIOD, f"<{PERIOD}><cbc:StartDate>2018-01-01</cbc:StartDate></{PERIOD}>"),
        {"UBL-SR-08"},
    ),
    "two seller names": (
        "O",
        insert_after(
            f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", "<cbc:RegistrationName>KHS</cbc:RegistrationName>"
        ),
        {"UBL-SR-09", "KHS-XSD-TOO-MANY"},
    ),
    "two seller trading names": (
        "O",
        insert_after(f"{SELLER}/cac:PartyName", "<cac:PartyName><cbc:Name>KHS</cbc:Name></cac:PartyName>"),
        {"UBL-SR-10"},
    ),
    "two seller legal identifiers": (
        "O",
        insert_after(
            f"{SELLER}/cac:PartyLegalEntity",
            '<cac:PartyLegalEntity><cbc:CompanyID schemeID="0192">999999999</cbc:CompanyID></cac:PartyLegalEntity>',
        ),
        {"UBL-SR-11"},
    ),
    "two seller tax registrations": (
        "O",
        insert_after(
            f"{SELLER}/cac:PartyTaxScheme",
            "<cac:PartyTaxScheme><cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>TAX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"UBL-SR-13"},
    ),
    "two seller VAT identifiers": (
        "S",
        insert_after(
            f"{SELLER}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']",
            "<cac:PartyTaxScheme><cbc:CompanyID>NO999999999MVA</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"UBL-SR-12", "UBL-SR-42"},
    ),
    "two seller legal forms": (
        "O",
        insert_after(
            f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID",
            "<cbc:CompanyLegalForm>IKS</cbc:CompanyLegalForm><cbc:CompanyLegalForm>IKS</cbc:CompanyLegalForm>",
        ),
        {"UBL-SR-14", "KHS-XSD-TOO-MANY"},
    ),
    "two buyer names": (
        "O",
        insert_after(
            f"{BUYER}/cac:PartyLegalEntity",
            "<cac:PartyLegalEntity><cbc:RegistrationName>Asker</cbc:RegistrationName></cac:PartyLegalEntity>",
        ),
        {"UBL-SR-15"},
    ),
    "two buyer identifiers": (
        "O",
        insert_after(
            f"{BUYER}/cbc:EndpointID",
            '<cac:PartyIdentification><cbc:ID schemeID="0192">888888888</cbc:ID></cac:PartyIdentification>'
            '<cac:PartyIdentification><cbc:ID schemeID="0192">888888888</cbc:ID></cac:PartyIdentification>',
        ),
        {"UBL-SR-16"},
    ),
    "two buyer legal identifiers": (
        "O",
        insert_after(
            f"{BUYER}/cac:PartyLegalEntity",
            '<cac:PartyLegalEntity><cbc:CompanyID schemeID="0192">888888888</cbc:CompanyID></cac:PartyLegalEntity>',
        ),
        {"UBL-SR-17"},
    ),
    "two buyer VAT identifiers": (
        "S+buyer VAT",
        insert_after(
            f"{BUYER}/cac:PartyTaxScheme",
            "<cac:PartyTaxScheme><cbc:CompanyID>NO888888888MVA</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"UBL-SR-18"},
    ),
    "two buyer trading names": (
        "O",
        insert_after(f"{BUYER}/cac:PartyName", "<cac:PartyName><cbc:Name>Asker</cbc:Name></cac:PartyName>"),
        {"UBL-SR-40"},
    ),
    "two deliveries": (
        "O",
        insert_before(
            PM,
            "<cac:Delivery><cbc:ActualDeliveryDate>2018-01-15</cbc:ActualDeliveryDate></cac:Delivery>"
            "<cac:Delivery><cbc:ActualDeliveryDate>2018-01-16</cbc:ActualDeliveryDate></cac:Delivery>",
        ),
        {"UBL-SR-24"},
    ),
    "payment id twice in one payment means": (
        "O",
        insert_after(f"{PM}/cbc:PaymentID", "<cbc:PaymentID>02202018000018</cbc:PaymentID>"),
        {"UBL-SR-26"},
    ),
    "two payment means texts": (
        "O",
        insert_before(
            f"{PM}/cbc:PaymentID",
            "<cbc:InstructionNote>Bruk KID</cbc:InstructionNote><cbc:InstructionNote>x</cbc:InstructionNote>",
        ),
        {"UBL-SR-27"},
    ),
    "two mandate ids": (
        "O",
        append(PM, "<cac:PaymentMandate><cbc:ID>1</cbc:ID><cbc:ID>2</cbc:ID></cac:PaymentMandate>"),
        {"UBL-SR-28"},
    ),
    "two exemption reasons": (
        "O",
        insert_after(
            f"{SUB_CAT}/cbc:TaxExemptionReason", "<cbc:TaxExemptionReason>Ikke mva-pliktig</cbc:TaxExemptionReason>"
        ),
        {"UBL-SR-32"},
    ),
    "two line notes": (
        "O",
        insert_after(f"{LINE_PATH}/cbc:ID", "<cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>"),
        {"UBL-SR-34"},
    ),
    "two order line ids": (
        "O",
        insert_after(
            f"{LINE_PATH}/{PERIOD}",
            "<cac:OrderLineReference><cbc:LineID>1</cbc:LineID><cbc:LineID>2</cbc:LineID></cac:OrderLineReference>",
        ),
        {"UBL-SR-35"},
    ),
    "two line periods": (
        "O",
        insert_after(f"{LINE_PATH}/{PERIOD}", f"<{PERIOD}><cbc:StartDate>2018-01-01</cbc:StartDate></{PERIOD}>"),
        {"UBL-SR-36"},
    ),
    "two price discounts": (
        "O",
        append(
            f"{LINE_PATH}/cac:Price",
            '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="NOK">0.00</cbc:Amount></cac:AllowanceCharge>'
            '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="NOK">0.00</cbc:Amount></cac:AllowanceCharge>',
        ),
        {"UBL-SR-37"},
    ),
    "two line exemption reasons": (
        "O",
        insert_before(
            f"{LINE_CAT}/cac:TaxScheme",
            "<cbc:TaxExemptionReason>a</cbc:TaxExemptionReason><cbc:TaxExemptionReason>b</cbc:TaxExemptionReason>",
        ),
        {"UBL-SR-38"},
    ),
    "two payment ids": ("O", insert_after(PM, _second_payment_means(payment_id="02202018000026")), {"UBL-SR-44"}),
    "two payment means codes": ("O", insert_after(PM, _second_payment_means(code="31", payment_id="")), {"UBL-SR-47"}),
    "two classified tax categories": (
        "O",
        insert_after(
            LINE_CAT,
            "<cac:ClassifiedTaxCategory><cbc:ID>O</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>",
        ),
        {"UBL-SR-48"},
    ),
    "two item descriptions": (
        "O",
        insert_after(f"{LINE_PATH}/cac:Item/cbc:Description", "<cbc:Description>x</cbc:Description>"),
        {"UBL-SR-50"},
    ),
    # ---- credit note ----
    "two due dates": (
        "CN",
        insert_after(
            PM,
            _second_payment_means(
                due="<cbc:PaymentDueDate>2018-03-20</cbc:PaymentDueDate>", payment_id="02202018000026"
            ),
        ),
        {"UBL-SR-45"},
    ),  # same KID in both, so UBL-SR-44 (distinct ids) holds
    "two project references": (
        "CN",
        insert_after(
            "cac:BillingReference",
            "<cac:AdditionalDocumentReference><cbc:ID>P1</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>"
            "<cac:AdditionalDocumentReference><cbc:ID>P2</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>",
        ),
        {"PEPPOL-EN16931-R080"},
    ),
    # ---- document level allowances and charges ----
    "allowance amount differs from allowance total": (
        "O+allowance",
        set_text("cac:AllowanceCharge/cbc:Amount", "90.00"),
        {"BR-CO-11", "BR-O-08"},
    ),
    "charge amount differs from charge total": (
        "O+charge",
        set_text("cac:AllowanceCharge/cbc:Amount", "90.00"),
        {"BR-CO-12", "BR-O-08"},
    ),
    "category O allowance with a rate": (
        "O+allowance",
        insert_before("cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme", "<cbc:Percent>0</cbc:Percent>"),
        {"BR-O-06"},
    ),
    "category O charge with a rate": (
        "O+charge",
        insert_before("cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme", "<cbc:Percent>0</cbc:Percent>"),
        {"BR-O-07"},
    ),
    "category O allowance with seller VAT id": (
        "O+allowance",
        insert_before(
            f"{SELLER}/cac:PartyTaxScheme",
            "<cac:PartyTaxScheme><cbc:CompanyID>NO999999999MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"BR-O-02", "BR-O-03"},
    ),
    "category O charge with seller VAT id": (
        "O+charge",
        insert_before(
            f"{SELLER}/cac:PartyTaxScheme",
            "<cac:PartyTaxScheme><cbc:CompanyID>NO999999999MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        ),
        {"BR-O-02", "BR-O-04"},
    ),
    "standard rated allowance on a category O document": (
        "O+allowance",
        chain(
            set_text("cac:AllowanceCharge/cac:TaxCategory/cbc:ID", "S"),
            insert_before("cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme", "<cbc:Percent>25</cbc:Percent>"),
        ),
        {"BR-O-13", "BR-S-01", "BR-O-08"},
    ),
    "standard rated charge on a category O document": (
        "O+charge",
        chain(
            set_text("cac:AllowanceCharge/cac:TaxCategory/cbc:ID", "S"),
            insert_before("cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme", "<cbc:Percent>25</cbc:Percent>"),
        ),
        {"BR-O-14", "BR-S-01", "BR-O-08"},
    ),
    "standard rated allowance with rate 0": (
        "S+allowance",
        set_text("cac:AllowanceCharge/cac:TaxCategory/cbc:Percent", "0"),
        {"BR-S-06", "BR-S-08"},
    ),
    "standard rated charge with rate 0": (
        "S+charge",
        set_text("cac:AllowanceCharge/cac:TaxCategory/cbc:Percent", "0"),
        {"BR-S-07", "BR-S-08"},
    ),
    "standard rated allowance without seller tax ids": (
        "S+allowance",
        lambda r: [p.getparent().remove(p) for p in r.xpath(f"{SELLER}/cac:PartyTaxScheme", namespaces=NS)],
        {"BR-S-02", "BR-S-03", "NO-R-002"},
    ),
    "standard rated charge without seller tax ids": (
        "S+charge",
        lambda r: [p.getparent().remove(p) for p in r.xpath(f"{SELLER}/cac:PartyTaxScheme", namespaces=NS)],
        {"BR-S-02", "BR-S-04", "NO-R-002"},
    ),
    # ---- prepaid / rounding ----
    "payable ignores the prepaid amount": (
        "O+prepaid",
        set_text(f"{LMT}/cbc:PayableAmount", "151952.50"),
        {"BR-CO-16"},
    ),
}


@pytest.mark.parametrize("base, fn, expected", MORE_CASES.values(), ids=MORE_CASES.keys())
def test_more_broken_documents(base, fn, expected):
    assert ids(edit(BASES[base](), fn)) == expected


@pytest.mark.parametrize(
    "code, rule",
    [
        ("VATEX-EU-G", "PEPPOL-EN16931-P0104"),
        ("VATEX-EU-IC", "PEPPOL-EN16931-P0106"),
        ("VATEX-EU-AE", "PEPPOL-EN16931-P0107"),
        ("VATEX-EU-D", "PEPPOL-EN16931-P0108"),
        ("VATEX-EU-F", "PEPPOL-EN16931-P0109"),
        ("VATEX-EU-I", "PEPPOL-EN16931-P0110"),
        ("VATEX-EU-J", "PEPPOL-EN16931-P0111"),
    ],
)
def test_exemption_reason_code_must_match_category(code, rule):
    fn = insert_before(
        f"{SUB_CAT}/cbc:TaxExemptionReason", f"<cbc:TaxExemptionReasonCode>{code}</cbc:TaxExemptionReasonCode>"
    )
    assert ids(edit(xml_of(invoice()), fn)) == {rule}


def test_every_implemented_rule_is_exercised():
    covered = set()
    for cases in (O_CASES, S_CASES, CN_CASES):
        for _, expected in cases.values():
            covered |= expected
    for _, _, expected in MORE_CASES.values():
        covered |= expected
    covered |= {
        "PEPPOL-EN16931-P0104",
        "PEPPOL-EN16931-P0106",
        "PEPPOL-EN16931-P0107",
        "PEPPOL-EN16931-P0108",
        "PEPPOL-EN16931-P0109",
        "PEPPOL-EN16931-P0110",
        "PEPPOL-EN16931-P0111",
    }  # parametrized above
    covered |= {"KHS-XSD-ROOT", "KHS-XML-PARSE"}  # dedicated tests
    assert set(ehf_rules.RULES) - covered == set()
