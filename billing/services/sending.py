"""Sending invoices, runs and payment reminders, each recorded as a Transmission."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.errors import BillingError
from billing.models import (
    Invoice,
    InvoiceRun,
    Transmission,
    sha256,
)
from billing.selectors import (
    Status,
    invoice_status,
    outstanding,
    with_balances,
)
from billing.services.pdfs import invoice_pdf_bytes
from billing.texts import words
from khs.lib.audit import acting_user, audit_log
from khs.mail import mail_queue, make_message

# --- Sending ----------------------------------------------------------------------------------------------


def _record_transmission(*, invoice, purpose, result, pdf: bytes, xml: bytes, actor, at) -> Transmission:
    transmission = Transmission(
        invoice=invoice,
        purpose=purpose,
        channel=result.channel,
        recipient=result.recipient,
        ok=result.ok,
        detail=result.detail,
        pdf_sha256=sha256(pdf),
        xml_sha256=sha256(xml) if xml else "",
        sent_at=at,
        sent_by=acting_user(actor),
    )
    if result.ok:
        stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M%S")
        transmission.pdf = ContentFile(pdf, name=f"{invoice.number}-{purpose}-{stamp}.pdf")
    transmission.save()
    return transmission


def invoice_send(*, invoice: Invoice, actor, transmitter=None) -> Transmission:
    """Send the kept PDF and the EHF through the configured transmitter and record what was sent (or tried).

    The PDF is the one kept when the invoice was issued (rendered first, outside the transaction, if missing).
    """
    pdf = invoice_pdf_bytes(invoice=invoice)
    return _invoice_send(invoice=invoice, actor=actor, transmitter=transmitter, pdf=pdf)


@transaction.atomic
def _invoice_send(*, invoice: Invoice, actor, transmitter, pdf: bytes) -> Transmission:
    from billing.transmission import get_transmitter

    transmitter = transmitter or get_transmitter()
    now = timezone.now()
    xml = invoice.ehf_xml.encode("utf-8")
    result = transmitter.send(invoice, pdf, xml)
    transmission = _record_transmission(
        invoice=invoice, purpose=Transmission.Purpose.INVOICE, result=result, pdf=pdf, xml=xml, actor=actor, at=now
    )
    audit_log(
        actor=actor,
        action="event",
        verb="invoice_send",
        obj=invoice,
        cooperation_id=invoice.cooperation_id,
        at=now,
        changes={"channel": result.channel, "recipient": result.recipient, "ok": result.ok},
        message=result.detail,
    )
    return transmission  # a failed attempt is recorded too (ok=False); the caller reports it


def invoice_run_send(*, run: InvoiceRun, actor) -> list[Transmission]:
    """Send every document of a run that has not been sent yet (each in its own transaction)."""
    unsent = (
        run.invoices.exclude(transmissions__purpose=Transmission.Purpose.INVOICE, transmissions__ok=True)
        .select_related("cooperation", "credited_invoice")
        .order_by("series_number")
    )
    return [invoice_send(invoice=invoice, actor=actor) for invoice in unsent]


def invoice_remind(*, invoice: Invoice, actor) -> Transmission:
    """E-mail a payment reminder (with the invoice's kept PDF) for an overdue invoice, and record it."""
    pdf = invoice_pdf_bytes(invoice=invoice)  # outside the transaction: rendered there if it was missing
    return _invoice_remind(invoice=invoice, actor=actor, pdf=pdf)


@transaction.atomic
def _invoice_remind(*, invoice: Invoice, actor, pdf: bytes) -> Transmission:
    from billing.transmission import TransmissionResult, document_subject

    now = timezone.now()
    today = timezone.localdate(now)
    current = with_balances(Invoice.objects.filter(pk=invoice.pk)).get()
    if invoice_status(current, today) != Status.OVERDUE:
        raise BillingError(
            _("Faktura %(number)s er ikke forfalt og ubetalt; ingen påminnelse sendt.") % {"number": invoice.number}
        )
    if not invoice.buyer_email:
        raise BillingError(_("%(name)s har ingen e-postadresse for faktura.") % {"name": invoice.buyer_name})
    owed = outstanding(current)
    message = make_message(
        "billing/reminder",
        invoice.buyer_email,
        {
            "invoice": invoice,
            "outstanding": owed,
            "today": today,
            "subject": document_subject(invoice, words(invoice.language)["reminder"]),
        },
        invoice.language,
        reply_to=[invoice.seller_email] if invoice.seller_email else None,
        cooperation=invoice.cooperation,
    )
    message.attach(invoice.pdf_filename, pdf, "application/pdf")
    mail_queue(message, kind="invoice_reminder", key=f"reminder:{invoice.pk}:{now.isoformat()}", about=invoice)
    result = TransmissionResult(True, "email", invoice.buyer_email, "")
    transmission = _record_transmission(
        invoice=invoice, purpose=Transmission.Purpose.REMINDER, result=result, pdf=pdf, xml=b"", actor=actor, at=now
    )
    audit_log(
        actor=actor,
        action="event",
        verb="invoice_remind",
        obj=invoice,
        cooperation_id=invoice.cooperation_id,
        at=now,
        changes={"recipient": invoice.buyer_email, "outstanding": owed},
    )
    return transmission
