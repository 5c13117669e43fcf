"""The outputs of an issued invoice: EHF XML, PDF (with the EHF inside), the run's merged PDF, CSV."""

import io
from decimal import Decimal

from billing.errors import BillingError, say
from billing.texts import default_reference, item_name
from khs.lib.money import format_number
from khs.lib.pdf import html_to_pdf, merge_pdfs, render_html
from khs.lib.spreadsheet import SafeCsvWriter

EHF_UNIT_INHABITANTS = "C62"  # UN/ECE Rec 20 "one": the quantity is a count of inhabitants


# --- EHF -------------------------------------------------------------------------------------------


def ehf_document(invoice):
    """The invoice snapshot as an EHF (PEPPOL BIS Billing 3.0) document of billing.ehf."""
    from billing import ehf

    seller = ehf.Party(
        name=invoice.seller_name,
        org_number=invoice.seller_org_number,
        street=invoice.seller_street,
        postcode=invoice.seller_postcode,
        city=invoice.seller_city,
        email=invoice.seller_email,
        vat_registered=invoice.seller_vat_registered,
        in_foretaksregisteret=invoice.seller_in_foretaksregisteret,
    )
    buyer = ehf.Party(
        name=invoice.buyer_name,
        org_number=invoice.buyer_org_number,
        street=invoice.buyer_street,
        postcode=invoice.buyer_postcode,
        city=invoice.buyer_city,
        email=invoice.buyer_email,
    )
    line = ehf.Line(
        line_id="1",
        name=item_name(invoice),
        description=invoice.line_text,
        quantity=Decimal(invoice.quantity),
        unit_code=EHF_UNIT_INHABITANTS,
        unit_price=invoice.unit_price,
        amount=invoice.net_amount,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
    )
    original = invoice.credited_invoice if invoice.is_credit_note else None
    return ehf.Document(
        kind="credit_note" if invoice.is_credit_note else "invoice",
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        seller=seller,
        buyer=buyer,
        buyer_reference=invoice.buyer_reference or default_reference(invoice),
        lines=(line,),
        vat_category="S" if invoice.seller_vat_registered else "O",
        vat_rate=invoice.vat_rate if invoice.seller_vat_registered else Decimal("0"),
        payment_account="" if invoice.is_credit_note else invoice.seller_account,
        kid=invoice.kid,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        note=invoice.basis_note if not invoice.is_credit_note else invoice.credit_reason,
        billing_reference_number=original.number if original else "",
        billing_reference_date=original.issue_date if original else None,
    )


def ehf_xml(invoice) -> bytes:
    """Build and validate the EHF of an (unsaved or issued) invoice; BillingError lists the failed rule ids.

    The warnings of the official rules are left on `invoice.ehf_warnings` for the caller to show.
    """
    from billing import ehf

    try:
        xml = ehf.document_to_ubl(ehf_document(invoice))
    except (ValueError, TypeError) as exc:
        raise BillingError(say("ehf_not_built", number=invoice.number, error=str(exc))) from exc
    invoice.ehf_warnings = ehf_check(xml, number=invoice.number)
    return xml


def ehf_check(xml: bytes, *, number: str) -> list:
    """Refuse an EHF that fails the UBL 2.1 XSD or a fatal assert of the official rule sets.

    Returns the warnings (shown to the treasurer, not blocking); BillingError lists each fatal
    assert as "rule id: official text".
    """
    from billing.ehf_validation import validate

    report = validate(xml)
    if not report.ok:
        raise BillingError(
            say("ehf_rules_broken", number=number, rules=", ".join(sorted({f.rule_id for f in report.fatal}))),
            details=[say("ehf_rule", rule_id=f.rule_id, text=f.text) for f in report.fatal],
        )
    return report.warnings


# --- PDF -------------------------------------------------------------------------------------------


def _ehf_attachment(invoice):
    from weasyprint import Attachment

    return Attachment(
        string=invoice.ehf_xml.encode("utf-8"),
        name=invoice.ehf_filename,
        description="EHF (PEPPOL BIS Billing 3.0)",
        relationship="Alternative",
    )


def invoice_pdf(invoice) -> bytes:
    """The invoice or credit note as PDF/A-3 in the house style, with its EHF XML embedded."""
    html = render_html(
        "billing/pdf/invoice.html", {"invoice": invoice, "cooperation": invoice.cooperation}, lang=invoice.language
    )
    return html_to_pdf(html, attachments=[_ehf_attachment(invoice)])


RUN_PDF_CHUNK = 50


def run_pdf(invoices: list, cooperation) -> bytes:
    """Every invoice of a run in one PDF for printing.

    Invoices are rendered as one HTML document with page breaks (one layout pass, not one per
    invoice), in chunks of RUN_PDF_CHUNK so memory stays bounded; the chunks are then merged.
    A run that fits one chunk stays PDF/A.
    """
    lang = invoices[0].language if invoices else cooperation.language
    chunks = []
    for start in range(0, max(len(invoices), 1), RUN_PDF_CHUNK):
        part = invoices[start : start + RUN_PDF_CHUNK]
        html = render_html(
            "billing/pdf/run.html",
            {"invoices": part, "cooperation": cooperation},
            lang=lang,
        )
        chunks.append(_print_pdf(html))
    return chunks[0] if len(chunks) == 1 else merge_pdfs(chunks)


def _print_pdf(html: str) -> bytes:
    """A plain PDF for printing: the archival copy of each invoice is its own PDF/A (invoice_pdf).

    Skipping PDF/A and tagging halves the time of a long run.
    """
    return html_to_pdf(html, archival=False)


# --- CSV -------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "type",
    "fakturanummer",
    "krediterer",
    "fakturadato",
    "forfallsdato",
    "kontingentaar",
    "kommunenummer",
    "kunde",
    "kunde_orgnr",
    "deres_ref",
    "innbyggere",
    "sats",
    "mnd",
    "belop_uten_mva",
    "mva",
    "totalt",
    "kid",
    "kontonummer",
    "tekst",
]


def _csv_number(value) -> str:
    return format_number(value, lang="nb", decimals=2).replace("\xa0", "")


def invoices_csv(invoices) -> str:
    """For the accounting system: semicolon-separated, decimal comma, UTF-8 with BOM (opens in Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = SafeCsvWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for i in invoices:
        writer.writerow(
            [
                "kreditnota" if i.is_credit_note else "faktura",
                i.number,
                i.credited_invoice.number if i.credited_invoice_id else "",
                i.issue_date.isoformat(),
                i.due_date.isoformat(),
                i.year,
                i.municipality.number,
                i.buyer_name,
                i.buyer_org_number,
                i.buyer_reference,
                i.quantity if not i.is_credit_note or i.rate_per_inhabitant else "",
                _csv_number(i.rate_per_inhabitant) if i.rate_per_inhabitant is not None else "",
                i.months,
                _csv_number(i.net_amount),
                _csv_number(i.vat_amount),
                _csv_number(i.total),
                i.kid,
                i.seller_account,
                i.line_text,
            ]
        )
    return out.getvalue()
