"""EHF (= Peppol BIS Billing 3.0) UBL 2.1 generation for khs.

One Document becomes one UBL 2.1 ``Invoice`` or ``CreditNote``.  Element
order follows the UBL 2.1 schemas (xsdrt/maindoc/UBL-Invoice-2.1.xsd,
UBL-CreditNote-2.1.xsd and common/UBL-CommonAggregateComponents-2.1.xsd).
Usage of the elements follows Peppol BIS Billing 3.0 and its Norwegian
national rules; billing.ehf_validation checks the result with the official
rule sets (3.0.19) and the UBL 2.1 XSD.

Money is Decimal all the way; amounts are written with two decimals
(ROUND_HALF_UP).  No floats are used anywhere.

Django-free: only the standard library, lxml and python-stdnum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from lxml import etree
from stdnum import iban as _iban
from stdnum.no import kontonr as _kontonr
from stdnum.no import orgnr as _orgnr

from billing import kid as _kid

# --------------------------------------------------------------------------
# Identifiers (values from Peppol BIS Billing 3.0)
# --------------------------------------------------------------------------

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

INVOICE_TYPE_CODE = "380"  # UNCL1001 Commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"  # UNCL1001 Credit note
SCHEME_NO_ORGNR = "0192"  # ISO 6523 ICD / EAS: Norwegian organisation number
PAYMENT_MEANS_CREDIT_TRANSFER = "30"  # UNCL4461 Credit transfer (as in the
# official vat-category-O example; the NO national example uses 31 - both pass)
TAX_SCHEME_VAT = "VAT"
TAX_SCHEME_TAX = "TAX"
FORETAKSREGISTERET = "Foretaksregisteret"

# UN/ECE Rec 20 unit codes khs may emit (all in the official BR-CL-23 code list).
ALLOWED_UNIT_CODES = frozenset(
    {
        "C62",  # one
        "EA",  # each
        "H87",  # piece
        "E48",  # service unit
        "NAR",  # number of articles
        "SET",  # set
        "ZZ",  # mutually defined
        "ANN",  # year
        "MON",  # month
        "WEE",  # week
        "DAY",  # day
        "HUR",  # hour
        "MIN",  # minute
        "SEC",  # second
        "KGM",  # kilogram
        "LTR",  # litre
        "MTR",  # metre
        "KMT",  # kilometre
        "MTK",  # square metre
        "MTQ",  # cubic metre
        "KWH",  # kilowatt hour
    }
)

TWO_PLACES = Decimal("0.01")
LINE_AMOUNT_TOLERANCE = Decimal("0.02")  # same slack as PEPPOL-EN16931-R120


# --------------------------------------------------------------------------
# Input model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    name: str
    org_number: str  # 9 digits, MOD11-valid (scheme 0192)
    street: str
    postcode: str
    city: str
    country: str = "NO"
    email: str = ""
    vat_registered: bool = False
    contact_name: str = ""
    # Extension (not in the original brief): set False for a seller that is
    # only in Enhetsregisteret, so we do not claim "Foretaksregisteret".
    # NO-R-002 then reports a warning, which is correct for such sellers.
    in_foretaksregisteret: bool = True


@dataclass(frozen=True)
class Line:
    line_id: str
    name: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True, kw_only=True)
class Document:
    kind: Literal["invoice", "credit_note"]
    number: str
    issue_date: date
    due_date: date | None
    currency: str = "NOK"
    seller: Party
    buyer: Party
    buyer_reference: str
    lines: tuple[Line, ...]
    vat_category: Literal["O", "S"]  # O = not subject to VAT, S = standard rate
    vat_rate: Decimal  # 0 for O, e.g. Decimal("25") for S
    vat_exemption_reason: str = "Not subject to VAT"
    payment_account: str  # 11-digit Norwegian account or IBAN
    kid: str  # payment reference (KID), written to PaymentMeans/PaymentID
    period_start: date | None = None  # invoice period = the contribution year
    period_end: date | None = None
    note: str = ""
    billing_reference_number: str = ""  # credit note: the original invoice
    billing_reference_date: date | None = None


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def money(value: Decimal) -> Decimal:
    """Round to two decimals, half up."""
    if isinstance(value, float):
        raise TypeError("floats are not accepted for money; use Decimal")
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _fmt_money(value: Decimal) -> str:
    return f"{money(value):f}"


def _fmt_plain(value: Decimal) -> str:
    """Quantities and rates: exact, no exponent, no trailing zeros."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


def _fmt_price(value: Decimal) -> str:
    """Prices keep their own precision but are written with at least two
    decimals (BR-DEC does not restrict the item net price)."""
    value = Decimal(value)
    if value.as_tuple().exponent >= -2:
        return f"{value.quantize(TWO_PLACES):f}"
    return f"{value.normalize():f}"


def _clean_account(account: str) -> str:
    return "".join(ch for ch in account if ch not in " .-").upper()


def normalise_payment_account(account: str) -> str:
    """Return the account as written in PayeeFinancialAccount/ID.

    Accepts an 11-digit Norwegian account number (MOD11, dots/spaces allowed)
    or an IBAN; raises ValueError otherwise.
    """
    cleaned = _clean_account(account)
    if cleaned.isdigit() and len(cleaned) == 11:
        if not _kontonr.is_valid(cleaned):
            raise ValueError(f"invalid Norwegian account number {account!r}")
        return cleaned
    if _iban.is_valid(cleaned):
        return _iban.compact(cleaned)
    raise ValueError(f"payment account is neither an 11-digit Norwegian account nor an IBAN: {account!r}")


class _Builder:
    def __init__(self, root_ns: str, root_name: str) -> None:
        self.root = etree.Element(
            f"{{{root_ns}}}{root_name}",
            nsmap={None: root_ns, "cac": NS_CAC, "cbc": NS_CBC},
        )

    @staticmethod
    def cbc(parent: etree._Element, name: str, text: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", **attrs)
        el.text = text
        return el

    @staticmethod
    def cac(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")


# --------------------------------------------------------------------------
# Validation of the input (we refuse to build documents we know are wrong)
# --------------------------------------------------------------------------


def _check_party(role: str, party: Party) -> None:
    if not party.name.strip():
        raise ValueError(f"{role}: name is required")
    if not (len(party.org_number) == 9 and party.org_number.isdigit() and _orgnr.is_valid(party.org_number)):
        raise ValueError(f"{role}: invalid Norwegian organisation number {party.org_number!r}")
    if len(party.country) != 2 or not party.country.isalpha() or not party.country.isupper():
        raise ValueError(f"{role}: country must be an ISO 3166-1 alpha-2 code, got {party.country!r}")


def _check_document(doc: Document) -> None:
    if doc.kind not in ("invoice", "credit_note"):
        raise ValueError(f"kind must be 'invoice' or 'credit_note', got {doc.kind!r}")
    if not doc.number.strip():
        raise ValueError("document number is required")
    if not (len(doc.currency) == 3 and doc.currency.isalpha() and doc.currency.isupper()):
        raise ValueError(f"currency must be an ISO 4217 code, got {doc.currency!r}")
    _check_party("seller", doc.seller)
    _check_party("buyer", doc.buyer)
    if not doc.lines:
        raise ValueError("a document needs at least one line")
    if not doc.buyer_reference.strip():
        raise ValueError("buyer_reference is required (PEPPOL-EN16931-R003)")
    rate = Decimal(doc.vat_rate)
    if doc.vat_category == "O":
        if rate != 0:
            raise ValueError("VAT category O (not subject to VAT) must have vat_rate 0")
        if doc.seller.vat_registered:
            raise ValueError("seller is VAT registered; use VAT category S")
        if not doc.vat_exemption_reason.strip():
            raise ValueError("VAT category O needs an exemption reason (BR-O-10)")
    elif doc.vat_category == "S":
        if rate <= 0:
            raise ValueError("VAT category S needs a positive vat_rate")
        if not doc.seller.vat_registered:
            raise ValueError("VAT category S requires a VAT registered seller")
    else:
        raise ValueError(f"vat_category must be 'O' or 'S', got {doc.vat_category!r}")
    if doc.period_start and doc.period_end and doc.period_end < doc.period_start:
        raise ValueError("document period ends before it starts")
    if doc.kid and not (_kid.is_valid_kid(doc.kid, "mod10") or _kid.is_valid_kid(doc.kid, "mod11")):
        raise ValueError(f"invalid KID {doc.kid!r}")
    if doc.payment_account:
        normalise_payment_account(doc.payment_account)
    seen_ids: set[str] = set()
    for line in doc.lines:
        if line.line_id in seen_ids or not line.line_id.strip():
            raise ValueError(f"line ids must be unique and non-empty ({line.line_id!r})")
        seen_ids.add(line.line_id)
        if not line.name.strip():
            raise ValueError(f"line {line.line_id}: item name is required (BR-25)")
        if line.unit_code not in ALLOWED_UNIT_CODES:
            raise ValueError(f"line {line.line_id}: unit code {line.unit_code!r} not in ALLOWED_UNIT_CODES")
        for field in ("quantity", "unit_price", "amount"):
            value = getattr(line, field)
            if isinstance(value, float) or not isinstance(value, (Decimal, int)):
                raise TypeError(f"line {line.line_id}: {field} must be Decimal, got {type(value).__name__}")
        if Decimal(line.unit_price) < 0:
            raise ValueError(f"line {line.line_id}: negative price (BR-27)")
        expected = Decimal(line.quantity) * Decimal(line.unit_price)
        if abs(money(line.amount) - expected) > LINE_AMOUNT_TOLERANCE:
            raise ValueError(f"line {line.line_id}: amount {line.amount} != quantity x price = {expected}")
        if line.period_start and line.period_end and line.period_end < line.period_start:
            raise ValueError(f"line {line.line_id}: period ends before it starts")
        if doc.period_start and line.period_start and line.period_start < doc.period_start:
            raise ValueError(f"line {line.line_id}: period starts before the document period")
        if doc.period_end and line.period_end and line.period_end > doc.period_end:
            raise ValueError(f"line {line.line_id}: period ends after the document period")


# --------------------------------------------------------------------------
# Totals
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    line_extension: Decimal
    tax_exclusive: Decimal
    tax: Decimal
    tax_inclusive: Decimal
    payable: Decimal


def compute_totals(doc: Document) -> Totals:
    line_sum = money(sum((money(line.amount) for line in doc.lines), Decimal(0)))
    if doc.vat_category == "S":
        tax = money(line_sum * Decimal(doc.vat_rate) / Decimal(100))
    else:
        tax = money(Decimal(0))
    inclusive = money(line_sum + tax)
    return Totals(line_sum, line_sum, tax, inclusive, inclusive)


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------


def _add_party(b: _Builder, parent: etree._Element, party: Party, *, is_seller: bool, vat_category: str) -> None:
    p = b.cac(parent, "Party")
    b.cbc(p, "EndpointID", party.org_number, schemeID=SCHEME_NO_ORGNR)
    b.cbc(b.cac(p, "PartyName"), "Name", party.name.strip())

    addr = b.cac(p, "PostalAddress")
    if party.street.strip():
        b.cbc(addr, "StreetName", party.street.strip())
    if party.city.strip():
        b.cbc(addr, "CityName", party.city.strip())
    if party.postcode.strip():
        b.cbc(addr, "PostalZone", party.postcode.strip())
    b.cbc(b.cac(addr, "Country"), "IdentificationCode", party.country)

    # Seller VAT identifier only when VAT registered (BR-O-02 forbids it for
    # category O); buyer VAT identifier only on standard rated documents.
    if party.vat_registered and (is_seller or vat_category == "S"):
        pts = b.cac(p, "PartyTaxScheme")
        b.cbc(
            pts,
            "CompanyID",
            f"{party.country}{party.org_number}MVA" if party.country == "NO" else f"{party.country}{party.org_number}",
        )
        b.cbc(b.cac(pts, "TaxScheme"), "ID", TAX_SCHEME_VAT)
    if is_seller and party.country == "NO" and party.in_foretaksregisteret:
        # NO-R-002: "Foretaksregisteret" as seller tax registration (BT-32).
        pts = b.cac(p, "PartyTaxScheme")
        b.cbc(pts, "CompanyID", FORETAKSREGISTERET)
        b.cbc(b.cac(pts, "TaxScheme"), "ID", TAX_SCHEME_TAX)

    legal = b.cac(p, "PartyLegalEntity")
    b.cbc(legal, "RegistrationName", party.name.strip())
    b.cbc(legal, "CompanyID", party.org_number, schemeID=SCHEME_NO_ORGNR)

    if party.contact_name.strip() or party.email.strip():
        contact = b.cac(p, "Contact")
        if party.contact_name.strip():
            b.cbc(contact, "Name", party.contact_name.strip())
        if party.email.strip():
            b.cbc(contact, "ElectronicMail", party.email.strip())


def _add_period(b: _Builder, parent: etree._Element, start: date | None, end: date | None) -> None:
    if start is None and end is None:
        return
    period = b.cac(parent, "InvoicePeriod")
    if start is not None:
        b.cbc(period, "StartDate", start.isoformat())
    if end is not None:
        b.cbc(period, "EndDate", end.isoformat())


def _add_tax_category(b: _Builder, parent: etree._Element, name: str, doc: Document, *, with_reason: bool) -> None:
    cat = b.cac(parent, name)
    b.cbc(cat, "ID", doc.vat_category)
    if doc.vat_category == "S":
        b.cbc(cat, "Percent", _fmt_plain(doc.vat_rate))
    elif with_reason:
        # BR-O-10; no Percent for category O (BR-O-05, BR-48 exception).
        b.cbc(cat, "TaxExemptionReason", doc.vat_exemption_reason.strip())
    b.cbc(b.cac(cat, "TaxScheme"), "ID", TAX_SCHEME_VAT)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def document_to_ubl(doc: Document) -> bytes:
    """Serialise ``doc`` as EHF / Peppol BIS Billing 3.0 UBL 2.1 (UTF-8 bytes)."""
    _check_document(doc)
    is_invoice = doc.kind == "invoice"
    totals = compute_totals(doc)
    cur = {"currencyID": doc.currency}

    b = _Builder(NS_INVOICE if is_invoice else NS_CREDITNOTE, "Invoice" if is_invoice else "CreditNote")
    root = b.root

    b.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    b.cbc(root, "ProfileID", PROFILE_ID)
    b.cbc(root, "ID", doc.number.strip())
    b.cbc(root, "IssueDate", doc.issue_date.isoformat())
    if is_invoice:
        if doc.due_date is not None:
            b.cbc(root, "DueDate", doc.due_date.isoformat())
        b.cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
    else:
        # UBL 2.1 CreditNote has no DueDate; BIS 3 puts it in PaymentMeans.
        b.cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
    if doc.note.strip():
        b.cbc(root, "Note", doc.note.strip())
    b.cbc(root, "DocumentCurrencyCode", doc.currency)
    b.cbc(root, "BuyerReference", doc.buyer_reference.strip())
    _add_period(b, root, doc.period_start, doc.period_end)
    if doc.billing_reference_number.strip():
        ref = b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference")
        b.cbc(ref, "ID", doc.billing_reference_number.strip())
        if doc.billing_reference_date is not None:
            b.cbc(ref, "IssueDate", doc.billing_reference_date.isoformat())

    _add_party(b, b.cac(root, "AccountingSupplierParty"), doc.seller, is_seller=True, vat_category=doc.vat_category)
    _add_party(b, b.cac(root, "AccountingCustomerParty"), doc.buyer, is_seller=False, vat_category=doc.vat_category)

    if doc.payment_account or doc.kid:
        pm = b.cac(root, "PaymentMeans")
        b.cbc(pm, "PaymentMeansCode", PAYMENT_MEANS_CREDIT_TRANSFER)
        if not is_invoice and doc.due_date is not None:
            b.cbc(pm, "PaymentDueDate", doc.due_date.isoformat())
        if doc.kid:
            b.cbc(pm, "PaymentID", doc.kid)
        if doc.payment_account:
            fa = b.cac(pm, "PayeeFinancialAccount")
            b.cbc(fa, "ID", normalise_payment_account(doc.payment_account))
    if doc.due_date is not None:
        terms = b.cac(root, "PaymentTerms")
        b.cbc(terms, "Note", f"Forfallsdato {doc.due_date:%d.%m.%Y}")

    tax_total = b.cac(root, "TaxTotal")
    b.cbc(tax_total, "TaxAmount", _fmt_money(totals.tax), **cur)
    sub = b.cac(tax_total, "TaxSubtotal")
    b.cbc(sub, "TaxableAmount", _fmt_money(totals.tax_exclusive), **cur)
    b.cbc(sub, "TaxAmount", _fmt_money(totals.tax), **cur)
    _add_tax_category(b, sub, "TaxCategory", doc, with_reason=True)

    lmt = b.cac(root, "LegalMonetaryTotal")
    b.cbc(lmt, "LineExtensionAmount", _fmt_money(totals.line_extension), **cur)
    b.cbc(lmt, "TaxExclusiveAmount", _fmt_money(totals.tax_exclusive), **cur)
    b.cbc(lmt, "TaxInclusiveAmount", _fmt_money(totals.tax_inclusive), **cur)
    b.cbc(lmt, "PayableAmount", _fmt_money(totals.payable), **cur)

    line_tag = "InvoiceLine" if is_invoice else "CreditNoteLine"
    qty_tag = "InvoicedQuantity" if is_invoice else "CreditedQuantity"
    for line in doc.lines:
        el = b.cac(root, line_tag)
        b.cbc(el, "ID", line.line_id.strip())
        b.cbc(el, qty_tag, _fmt_plain(line.quantity), unitCode=line.unit_code)
        b.cbc(el, "LineExtensionAmount", _fmt_money(line.amount), **cur)
        _add_period(b, el, line.period_start, line.period_end)
        item = b.cac(el, "Item")
        if line.description.strip():
            b.cbc(item, "Description", line.description.strip())
        b.cbc(item, "Name", line.name.strip())
        _add_tax_category(b, item, "ClassifiedTaxCategory", doc, with_reason=False)
        price = b.cac(el, "Price")
        b.cbc(price, "PriceAmount", _fmt_price(line.unit_price), **cur)

    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


__all__ = [
    "ALLOWED_UNIT_CODES",
    "CUSTOMIZATION_ID",
    "PROFILE_ID",
    "Document",
    "Line",
    "Party",
    "Totals",
    "compute_totals",
    "document_to_ubl",
    "money",
    "normalise_payment_account",
]
