"""An invoice sent while the mail server is down or silent: the failed attempt is recorded, no 500;
the invoice CSV for the accounting system carries no formula."""

from billing.models import Transmission
from billing.services import invoice_send


def test_a_failed_invoice_attempt_is_recorded(issued, treasurer, broken_smtp):
    invoice = issued["lier_invoice"]
    transmission = invoice_send(invoice=invoice, actor=treasurer)
    assert transmission.ok is False
    assert "ikke sendt" in transmission.detail
    assert Transmission.objects.filter(invoice=invoice, ok=False).count() == 1


def test_the_invoice_csv_carries_no_formula(issued):
    from billing.documents import invoices_csv

    invoice = issued["lier_invoice"]  # changed in memory only: issued invoices are never saved again
    invoice.buyer_reference = "+cmd|' /C calc'!A0"
    text = invoices_csv([invoice])
    assert ";'+cmd|" in text
