"""Follow-up: payments (partial), statuses, the yearly summary; sending invoices and reminders."""

from datetime import date
from decimal import Decimal
from email.utils import parseaddr

import pytest
import time_machine
from django.core import mail

from billing.errors import BillingError
from billing.models import Payment, Transmission
from billing.selectors import Status, invoice_list, year_summary
from billing.services import (
    credit_note_issue,
    invoice_remind,
    invoice_run_send,
    invoice_send,
    payment_register,
    payment_reverse,
)
from billing.transmission import TransmissionResult
from khs.lib.pdf import pdf_text
from khs.models import AuditEntry


def statuses(coop, today):
    return {i.number: i.status for i in invoice_list(coop, year=2018, today=today)}


# --- Payments -------------------------------------------------------------------------------------------


def test_partial_payments_until_paid(issued, treasurer, frozen):
    frozen.move_to("2018-02-26 12:00 +01:00")
    lier = issued["lier_invoice"]
    payment_register(invoice=lier, actor=treasurer, paid_on=date(2018, 2, 20), amount=Decimal("30000"))
    assert statuses(issued["coop"], date(2018, 2, 21))[lier.number] == Status.OUTSTANDING
    payment_register(invoice=lier, actor=treasurer, paid_on=date(2018, 2, 25), amount=Decimal("34350.00"), note="Rest")
    listed = {i.number: i for i in invoice_list(issued["coop"], year=2018, today=date(2018, 4, 1))}
    assert listed[lier.number].paid == Decimal("64350.00")
    assert listed[lier.number].outstanding == Decimal("0.00")
    assert listed[lier.number].status == Status.PAID
    entries = AuditEntry.objects.filter(verb="payment_register")
    assert entries.count() == 2 and {e.cooperation_id for e in entries} == {issued["coop"].pk}


def test_an_unpaid_invoice_past_its_due_date_is_overdue(issued):
    assert set(statuses(issued["coop"], date(2018, 3, 17)).values()) == {Status.OUTSTANDING}
    assert set(statuses(issued["coop"], date(2018, 3, 18)).values()) == {Status.OVERDUE}


@pytest.mark.parametrize(
    "amount, paid_on, message",
    [
        (Decimal("0"), date(2018, 2, 15), "større enn null"),
        (Decimal("-10"), date(2018, 2, 15), "større enn null"),
        (Decimal("64350.01"), date(2018, 2, 15), "større enn det som gjenstår"),
        (Decimal("10"), date(2018, 2, 16), "fram i tid"),
    ],
)
def test_a_bad_payment_is_refused_and_changes_nothing(issued, treasurer, amount, paid_on, message):
    with pytest.raises(BillingError, match=message):
        payment_register(invoice=issued["lier_invoice"], actor=treasurer, paid_on=paid_on, amount=amount)
    assert Payment.objects.count() == 0


def test_no_payment_is_registered_on_a_credit_note(issued, treasurer):
    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil", amount=Decimal("10"))
    with pytest.raises(BillingError, match="kreditnota"):
        payment_register(invoice=note, actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("10"))


def test_a_payment_registered_by_mistake_is_reversed_with_a_new_row(issued, treasurer):
    payment = payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("64350")
    )
    reversal = payment_reverse(payment=payment, actor=treasurer, reason="Feil faktura")
    assert reversal.amount == Decimal("-64350.00") and reversal.reverses == payment
    assert Payment.objects.count() == 2
    assert statuses(issued["coop"], date(2018, 2, 15))[issued["lier_invoice"].number] == Status.OUTSTANDING
    with pytest.raises(BillingError, match="allerede tilbakeført"):
        payment_reverse(payment=payment, actor=treasurer, reason="igjen")
    with pytest.raises(BillingError, match="kan ikke tilbakeføres"):
        payment_reverse(payment=reversal, actor=treasurer, reason="igjen")


def test_year_summary_per_member_and_in_all(issued, treasurer):
    payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("64350.00")
    )
    credit_note_issue(invoice=issued["drammen_invoice"], actor=treasurer, reason="Rabatt", amount=Decimal("907.50"))
    totals, members = year_summary(issued["coop"], 2018, today=date(2018, 6, 1))
    assert totals.issued == Decimal("64350.00") + Decimal("170907.50") + Decimal("11530.00")
    assert totals.credited == Decimal("907.50")
    assert totals.paid == Decimal("64350.00")
    assert totals.outstanding == Decimal("170000.00") + Decimal("11530.00")
    assert totals.overdue == totals.outstanding and totals.overdue_count == 2
    by_name = {m.municipality.name: m.totals for m in members}
    assert by_name["Drammen"].net == Decimal("170000.00")
    assert by_name["Lier"].outstanding == Decimal("0.00")


# --- Sending ------------------------------------------------------------------------------------------------


def test_sending_mails_pdf_and_ehf_to_the_invoice_address_and_records_it(issued, treasurer):
    invoice = issued["lier_invoice"]
    transmission = invoice_send(invoice=invoice, actor=treasurer)
    assert transmission.ok and transmission.channel == "email"
    assert transmission.recipient == issued["lier"].invoice_email
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [issued["lier"].invoice_email]
    assert invoice.number in message.subject
    assert invoice.kid in message.body and "kr\xa064\xa0350,00" in message.body
    names = [a[0] for a in message.attachments]
    assert names == [f"{invoice.number}.pdf", f"{invoice.number}.xml"]
    pdf, xml = message.attachments[0][1], message.attachments[1][1]
    assert invoice.line_text.split(" (")[0] in pdf_text(pdf).replace("\n", " ")
    assert (xml if isinstance(xml, str) else xml.decode()) == invoice.ehf_xml
    stored = Transmission.objects.get()
    assert stored.pdf.read().startswith(b"%PDF") and stored.pdf_sha256 and stored.xml_sha256
    assert AuditEntry.objects.filter(verb="invoice_send", object_id=str(invoice.pk)).exists()


def test_a_credit_note_mail_says_credit_note_not_invoice(issued, treasurer):
    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil innbyggertall")
    invoice_send(invoice=note, actor=treasurer)
    [message] = mail.outbox
    assert message.subject.startswith(f"Kreditnota {note.number}")
    assert "Kreditnotaen er vedlagt som PDF og som EHF (XML)." in message.body
    assert "Fakturaen" not in message.body and "Faktura " not in message.body


def test_an_invoice_without_an_e_mail_address_is_recorded_as_not_sent(billing, treasurer, frozen):
    from billing.services import invoice_run_issue
    from membership.models import Municipality

    Municipality.objects.filter(pk=billing["gol"].pk).update(invoice_email="")
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    transmission = invoice_send(invoice=run.invoices.get(municipality=billing["gol"]), actor=treasurer)
    assert not transmission.ok and "e-postadresse" in transmission.detail
    assert not transmission.pdf
    assert mail.outbox == []


class RecordingTransmitter:
    """An access point stand-in: remembers what it was given."""

    sent = []

    def send(self, invoice, pdf, xml):
        RecordingTransmitter.sent.append((invoice.number, pdf[:5], xml[:5]))
        return TransmissionResult(True, "peppol-test", f"0192:{invoice.buyer_org_number}", "ok")


def test_the_transmitter_is_chosen_by_a_setting(issued, treasurer, settings):
    settings.BILLING_TRANSMITTER = "tests.billing.test_payments_and_sending.RecordingTransmitter"
    RecordingTransmitter.sent = []
    transmission = invoice_send(invoice=issued["lier_invoice"], actor=treasurer)
    assert RecordingTransmitter.sent == [(issued["lier_invoice"].number, b"%PDF-", b"<?xml")]
    assert transmission.channel == "peppol-test" and transmission.recipient.startswith("0192:")
    assert mail.outbox == []


def test_sending_a_run_sends_each_unsent_invoice_once(issued, treasurer):
    first = invoice_run_send(run=issued["run"], actor=treasurer)
    assert len(first) == 3 and all(t.ok for t in first)
    assert len(mail.outbox) == 3
    assert invoice_run_send(run=issued["run"], actor=treasurer) == []
    assert len(mail.outbox) == 3


def test_a_reminder_is_sent_for_an_overdue_invoice_and_recorded(issued, treasurer):
    lier = issued["lier_invoice"]
    payment_register(invoice=lier, actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("350"))
    with time_machine.travel("2018-04-02 09:00 +02:00", tick=False):
        transmission = invoice_remind(invoice=lier, actor=treasurer)
    assert transmission.purpose == Transmission.Purpose.REMINDER and transmission.ok
    message = mail.outbox[0]
    assert "Betalingspåminnelse" in message.subject
    assert "kr\xa064\xa0000,00" in message.body and "17.03.2018" in message.body
    assert message.attachments[0][0] == f"{lier.number}.pdf"
    assert AuditEntry.objects.filter(verb="invoice_remind", object_id=str(lier.pk)).exists()
    # From the cooperation's name at the installation's address; replies go to the cooperation.
    assert parseaddr(message.from_email) == ("Helsesamarbeidet", "khs@localhost")
    assert message.reply_to == [lier.seller_email]


def test_no_reminder_before_the_due_date_or_when_paid(issued, treasurer):
    lier = issued["lier_invoice"]
    with pytest.raises(BillingError, match="ikke forfalt"):
        invoice_remind(invoice=lier, actor=treasurer)
    payment_register(invoice=lier, actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("64350"))
    with time_machine.travel("2018-04-02 09:00 +02:00", tick=False), pytest.raises(BillingError):
        invoice_remind(invoice=lier, actor=treasurer)
    assert mail.outbox == [] and not Transmission.objects.exists()


def test_the_treasurer_sees_each_invoice_mail_as_the_mail_server_answered(issued, treasurer, client, settings):
    from django.urls import reverse

    from tests.smtp_server import smtp_server

    lier = issued["lier_invoice"]
    with smtp_server(settings) as server:
        server.refuse = True
        transmission = invoice_send(invoice=lier, actor=treasurer)
    assert transmission.ok  # handed to the outbox; the delivery is the mail's own record
    client.force_login(treasurer)
    html = client.get(reverse("billing:invoice-detail", args=[lier.pk])).content.decode()
    assert "feilet" in html and "550" in html and "No such user" in html
    run = client.get(reverse("billing:run-detail", args=[issued["run"].pk])).content.decode()
    assert "sendt 0 · i kø 0 · prøves igjen 0 · feilet 1" in run

    with smtp_server(settings) as server:
        invoice_send(invoice=lier, actor=treasurer)  # "Send på nytt": a new message
        assert len(server.received) == 1
    run = client.get(reverse("billing:run-detail", args=[issued["run"].pk])).content.decode()
    assert "sendt 1 · i kø 0 · prøves igjen 0 · feilet 1" in run
