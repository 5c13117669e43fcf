"""An invoice sent while the mail server is down or silent: the attempt is recorded and kept for another
try, no 500; the invoice CSV for the accounting system carries no formula."""

from billing.models import Transmission
from billing.services import invoice_send
from khs.mail import mails_for
from khs.models import OutgoingMail


def test_a_failed_invoice_attempt_is_recorded(issued, treasurer, broken_smtp):
    # Since the outbox (issue 13) the sending is recorded when the mail is queued; the mail server's
    # failure is the outbox's to retry and show, so nothing is lost with it.
    invoice = issued["lier_invoice"]
    transmission = invoice_send(invoice=invoice, actor=treasurer)
    assert Transmission.objects.filter(invoice=invoice).count() == 1
    [mail] = mails_for(invoice)
    assert mail.status == OutgoingMail.Status.RETRYING
    assert mail.last_error and mail.next_attempt_at is not None
    assert transmission.recipient == invoice.buyer_email


def test_the_invoice_csv_carries_no_formula(issued):
    from billing.documents import invoices_csv

    invoice = issued["lier_invoice"]  # changed in memory only: issued invoices are never saved again
    invoice.buyer_reference = "+cmd|' /C calc'!A0"
    text = invoices_csv([invoice])
    assert ";'+cmd|" in text
