"""An issued invoice is never edited or deleted; corrections are credit notes with their own numbers."""

from decimal import Decimal

import pytest
from lxml import etree

from billing.errors import BillingError
from billing.models import ContributionRate, Invoice, InvoiceNumberSeries, InvoiceRun, Payment, Transmission
from billing.selectors import Status, invoice_status, with_balances
from billing.services import credit_note_issue, payment_register, rate_link_case
from khs.models import AppendOnlyError, AuditEntry
from tests import factories as f

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def annotated(invoice):
    return with_balances(Invoice.objects.filter(pk=invoice.pk)).get()


# --- Immutability -----------------------------------------------------------------------------------


def test_an_issued_invoice_refuses_to_be_saved_again(issued):
    invoice = issued["lier_invoice"]
    invoice.total = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        invoice.save()
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("64350.00")


def test_an_issued_invoice_refuses_to_be_deleted(issued):
    with pytest.raises(AppendOnlyError):
        issued["lier_invoice"].delete()
    with pytest.raises(AppendOnlyError):
        Invoice.objects.filter(pk=issued["lier_invoice"].pk).delete()
    with pytest.raises(AppendOnlyError):
        Invoice.objects.filter(pk=issued["lier_invoice"].pk).update(total=Decimal("1"))
    assert Invoice.objects.count() == 3


def test_series_runs_payments_and_transmissions_are_never_deleted(issued, treasurer):
    payment = payment_register(
        invoice=issued["lier_invoice"],
        actor=treasurer,
        paid_on=issued["lier_invoice"].issue_date,
        amount=Decimal("100"),
    )
    for obj in (InvoiceNumberSeries.objects.get(cooperation=issued["coop"]), issued["run"], payment):
        with pytest.raises(AppendOnlyError):
            obj.delete()
    with pytest.raises(AppendOnlyError):
        Payment.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        InvoiceRun.objects.all().update(year=2000)
    with pytest.raises(AppendOnlyError):
        payment.save()
    assert Transmission.objects.count() == 0  # (sending is tested in test_sending)


def test_a_rate_used_by_an_invoice_is_never_edited_or_deleted(issued):
    rate = ContributionRate.objects.get(pk=issued["rate"].pk)
    rate.per_inhabitant = Decimal("3.00")
    with pytest.raises(AppendOnlyError):
        rate.save()
    with pytest.raises(AppendOnlyError):
        rate.delete()
    assert ContributionRate.objects.get(pk=rate.pk).per_inhabitant == Decimal("2.50")


def test_an_unused_rate_may_still_be_corrected(billing):
    rate = ContributionRate.objects.get(pk=billing["rate"].pk)
    rate.resolution_text = "ordførermøtet sak 2/2017 (rettet)"
    rate.save()
    assert ContributionRate.objects.get(pk=rate.pk).resolution_text.endswith("(rettet)")


def test_the_adopted_case_may_be_linked_to_a_used_rate_without_changing_issued_invoices(issued, treasurer):
    body = f.make_body(issued["coop"], name="Ordførermøtet")
    case = f.make_case_row(body, 2, year=2017)
    rate_link_case(rate=issued["rate"], case=case, actor=treasurer)
    assert ContributionRate.objects.get(pk=issued["rate"].pk).resolution_case == case
    assert "ordførermøtet sak 2/2017" in Invoice.objects.get(pk=issued["lier_invoice"].pk).line_text
    assert AuditEntry.objects.filter(verb="rate_link_case").exists()


def test_a_case_of_another_cooperation_cannot_be_linked(issued, treasurer):
    other = f.make_cooperation()
    case = f.make_case_row(f.make_body(other), 2, year=2017)
    with pytest.raises(BillingError):
        rate_link_case(rate=issued["rate"], case=case, actor=treasurer)


# --- Credit notes ------------------------------------------------------------------------------------


def test_full_credit_note_takes_the_next_number_and_refers_to_the_original(issued, treasurer):
    original = issued["lier_invoice"]
    note = credit_note_issue(invoice=original, actor=treasurer, reason="Feil innbyggertall")
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.number == "HS-4" and note.series_number == 4
    assert note.credited_invoice == original
    assert note.total == original.total and note.quantity == original.quantity
    assert note.line_text.startswith("Kreditering av faktura HS-")
    assert note.kid == ""  # a credit note is not paid
    assert InvoiceNumberSeries.objects.get(cooperation=issued["coop"]).last_number == 4
    assert invoice_status(annotated(original), original.issue_date) == Status.CREDITED
    entry = AuditEntry.objects.get(verb="credit_note_issue", content_type__model="invoice", object_id=str(note.pk))
    assert entry.message == "Feil innbyggertall" and entry.cooperation_id == issued["coop"].pk


def test_credit_note_ehf_is_a_bis3_credit_note_with_a_billing_reference(issued, treasurer):
    original = issued["lier_invoice"]
    note = credit_note_issue(invoice=original, actor=treasurer, reason="Feil innbyggertall")
    root = etree.fromstring(note.ehf_xml.encode())
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == original.number
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "64350.00"


def test_partial_credit_note(issued, treasurer):
    original = issued["lier_invoice"]
    note = credit_note_issue(invoice=original, actor=treasurer, reason="Avtalt rabatt", amount=Decimal("350"))
    assert note.total == Decimal("350.00") and note.quantity == 1 and note.unit_price == Decimal("350")
    current = annotated(original)
    assert current.credited == Decimal("350.00")
    assert current.total - current.credited - current.paid == Decimal("64000.00")
    assert invoice_status(current, original.issue_date) == Status.OUTSTANDING


@pytest.mark.parametrize(
    "amount, reason, message",
    [
        (Decimal("0"), "grunn", "større enn null"),
        (Decimal("-5"), "grunn", "større enn null"),
        (Decimal("64350.01"), "grunn", "høyst kreditere"),
        (None, "  ", "årsaken"),
    ],
)
def test_a_bad_credit_note_is_refused_and_changes_nothing(issued, treasurer, amount, reason, message):
    with pytest.raises(BillingError, match=message):
        credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason=reason, amount=amount)
    assert Invoice.objects.count() == 3
    assert InvoiceNumberSeries.objects.get(cooperation=issued["coop"]).last_number == 3


def test_an_invoice_credited_in_full_cannot_be_credited_again(issued, treasurer):
    credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil")
    with pytest.raises(BillingError, match="allerede kreditert"):
        credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Igjen")


def test_a_partly_credited_invoice_is_credited_further_by_amount_only(issued, treasurer):
    credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Del", amount=Decimal("100"))
    with pytest.raises(BillingError, match="delvis kreditert"):
        credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Resten")
    rest = credit_note_issue(
        invoice=issued["lier_invoice"], actor=treasurer, reason="Resten", amount=Decimal("64250.00")
    )
    assert rest.number == "HS-5"
    assert annotated(issued["lier_invoice"]).credited == Decimal("64350.00")


def test_a_credit_note_cannot_be_credited(issued, treasurer):
    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil")
    with pytest.raises(BillingError, match="kreditnota kan ikke krediteres"):
        credit_note_issue(invoice=note, actor=treasurer, reason="x")
