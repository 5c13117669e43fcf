"""Sending an issued invoice or credit note: one function behind an interface.

The default sends e-mail (the PDF with the EHF inside, and the EHF XML as its own attachment) to
the member's invoice address. An access-point provider for the PEPPOL network can be plugged in
later with the setting BILLING_TRANSMITTER (a dotted path to a class with the same `send`).
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from billing.texts import words
from khs.lib.mail import MAIL_ERRORS
from khs.lib.text import mail_subject


@dataclass(frozen=True)
class TransmissionResult:
    ok: bool
    channel: str
    recipient: str
    detail: str = ""


class Transmitter(Protocol):
    def send(self, invoice, pdf: bytes, xml: bytes) -> TransmissionResult: ...


def mail_template(name: str, lang: str) -> str:
    """Mails follow the cooperation's language: billing/mail/<name>_nb.txt or _nn.txt."""
    return f"billing/mail/{name}_{'nn' if lang == 'nn' else 'nb'}.txt"


def document_subject(invoice, purpose_word: str | None = None) -> str:
    w = words(invoice.language)
    kind = purpose_word or (w["credit_note"] if invoice.is_credit_note else w["invoice"])
    return mail_subject(f"{kind} {invoice.number} – {invoice.seller_name}: {w['contribution'].lower()} {invoice.year}")


class EmailTransmitter:
    """E-mail to the invoice address through Django's mail framework."""

    channel = "email"

    def send(self, invoice, pdf: bytes, xml: bytes) -> TransmissionResult:
        if not invoice.buyer_email:
            return TransmissionResult(False, self.channel, "", "Ingen e-postadresse for faktura.")
        with translation.override(invoice.language):
            body = render_to_string(mail_template("invoice", invoice.language), {"invoice": invoice})
        message = EmailMessage(
            subject=document_subject(invoice),
            body=body,
            to=[invoice.buyer_email],
            reply_to=[invoice.seller_email] if invoice.seller_email else None,
        )
        message.attach(invoice.pdf_filename, pdf, "application/pdf")
        message.attach(invoice.ehf_filename, xml, "application/xml")
        try:
            sent = message.send()
        except MAIL_ERRORS as error:  # recorded as a failed attempt, never lost
            return TransmissionResult(
                False, self.channel, invoice.buyer_email, f"E-posten ble ikke sendt: {type(error).__name__}"
            )
        return TransmissionResult(
            bool(sent), self.channel, invoice.buyer_email, "" if sent else "E-posten ble ikke sendt."
        )


def get_transmitter() -> Transmitter:
    return import_string(getattr(settings, "BILLING_TRANSMITTER", "billing.transmission.EmailTransmitter"))()
