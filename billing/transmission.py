"""Sending an issued invoice or credit note: one function behind an interface.

The default sends e-mail (the PDF with the EHF inside, and the EHF XML as its own attachment) to
the member's invoice address. An access-point provider for the PEPPOL network can be plugged in
later with the setting BILLING_TRANSMITTER (a dotted path to a class with the same `send`).
"""

import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from billing.texts import words
from khs.lib.text import mail_subject
from khs.mail import mail_queue, make_message


@dataclass(frozen=True)
class TransmissionResult:
    ok: bool
    channel: str
    recipient: str
    detail: str = ""


class Transmitter(Protocol):
    def send(self, invoice, pdf: bytes, xml: bytes) -> TransmissionResult: ...


def document_subject(invoice, purpose_word: str | None = None) -> str:
    w = words(invoice.language)
    kind = purpose_word or (w["credit_note"] if invoice.is_credit_note else w["invoice"])
    return mail_subject(f"{kind} {invoice.number} – {invoice.seller_name}: {w['contribution'].lower()} {invoice.year}")


class EmailTransmitter:
    """E-mail to the invoice address through Django's mail framework."""

    channel = "email"

    def send(self, invoice, pdf: bytes, xml: bytes) -> TransmissionResult:
        """Put the mail in the outbox (sent after commit; its delivery is shown beside the invoice)."""
        if not invoice.buyer_email:
            return TransmissionResult(False, self.channel, "", "Ingen e-postadresse for faktura.")
        message = make_message(
            "billing/invoice",
            invoice.buyer_email,
            {"invoice": invoice, "subject": document_subject(invoice)},
            invoice.language,
            reply_to=[invoice.seller_email] if invoice.seller_email else None,
            cooperation=invoice.cooperation,
        )
        message.attach(invoice.pdf_filename, pdf, "application/pdf")
        message.attach(invoice.ehf_filename, xml, "application/xml")
        mail_queue(message, kind="invoice", key=f"invoice:{invoice.pk}:{uuid.uuid4().hex}", about=invoice)
        return TransmissionResult(True, self.channel, invoice.buyer_email, "")


def get_transmitter() -> Transmitter:
    return import_string(getattr(settings, "BILLING_TRANSMITTER", "billing.transmission.EmailTransmitter"))()
