"""The kept PDF of each issued invoice and credit note: rendered once, outside any transaction, and served,
attached and sent as the same bytes ever after (an issued invoice never changes, so neither does its PDF).

Issuing orders the rendering after commit (`invoice_pdfs_order`); a worker renders. An invoice issued before
PDFs were kept has none yet: the first one to ask renders and keeps it.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing import documents
from billing.models import Invoice, InvoicePdf, sha256


def invoice_pdfs_order(invoice_ids) -> None:
    """After the issuing transaction commits, ask a worker to render and keep these invoices' PDFs."""
    from billing.tasks import invoice_pdfs_task

    if not settings.DOCUMENTS_PRERENDER:  # no worker renders ahead: the first to ask renders and keeps it
        return
    ids = list(invoice_ids)
    transaction.on_commit(lambda: invoice_pdfs_task.enqueue(ids), robust=True)


def invoice_pdf_keep(*, invoice: Invoice) -> InvoicePdf:
    """The invoice's kept PDF, rendered and stored now when there is none; never inside a transaction.

    Two asking at once may both render, but only one is kept (the row is unique per invoice) and both
    return it; the other's file is removed.
    """
    kept = InvoicePdf.objects.filter(invoice=invoice).first()
    if kept is not None:
        return kept
    pdf = documents.invoice_pdf(invoice)
    kept = InvoicePdf(invoice=invoice, sha256=sha256(pdf), rendered_at=timezone.now())
    kept.file.save(invoice.pdf_filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            kept.save()
    except IntegrityError:
        kept.file.delete(save=False)
        return InvoicePdf.objects.get(invoice=invoice)
    return kept


def invoice_pdf_bytes(*, invoice: Invoice) -> bytes:
    """The bytes of the invoice's kept PDF (rendered and kept first when it has none)."""
    with invoice_pdf_keep(invoice=invoice).file.open("rb") as stored:
        return stored.read()


def invoice_pdfs_render(*, invoice_ids) -> int:
    """The worker's half: keep the PDF of each of these invoices that has none yet; returns how many it rendered."""
    invoices = (
        Invoice.objects.filter(pk__in=list(invoice_ids), stored_pdf__isnull=True)
        .select_related("cooperation", "credited_invoice")
        .order_by("series_number")
    )
    rendered = 0
    for invoice in invoices:
        invoice_pdf_keep(invoice=invoice)
        rendered += 1
    return rendered
