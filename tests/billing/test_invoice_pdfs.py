"""Each issued invoice's and credit note's PDF is rendered once, by a worker after the issuing transaction, and
kept: the download, the mail and the reminder carry the same bytes. No PDF is rendered inside a transaction
(tests/conftest.py fails any test whose code does)."""

import hashlib

import pytest
from django.core import mail
from django.urls import reverse

from billing import documents
from billing.models import Invoice, InvoicePdf, Transmission
from billing.services import invoice_run_issue
from khs.lib.pdf import pdf_text


@pytest.fixture
def renders(monkeypatch):
    """The numbers of the invoices whose PDF was rendered, in order."""
    seen = []
    real = documents.invoice_pdf
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: seen.append(invoice.number) or real(invoice))
    return seen


@pytest.fixture
def prerender(settings):
    """A worker renders the PDFs ahead (as in production; the other tests leave it to the first download)."""
    settings.DOCUMENTS_PRERENDER = True


def test_issuing_a_run_keeps_each_pdf_once_and_the_download_serves_it(
    treasurer_client, billing, treasurer, frozen, renders, prerender
):
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    assert renders == ["HS-1", "HS-2", "HS-3"]  # after commit, by the (here immediate) worker
    for invoice in run.invoices.all():
        kept = InvoicePdf.objects.get(invoice=invoice)
        data = kept.file.read()
        assert kept.sha256 == hashlib.sha256(data).hexdigest()
        download = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
        assert download["Content-Type"] == "application/pdf" and download.content == data
        assert invoice.number in pdf_text(download.content) and invoice.kid in pdf_text(download.content)
    treasurer_client.get(reverse("billing:invoice-pdf", args=[run.invoices.first().pk]))
    assert renders == ["HS-1", "HS-2", "HS-3"]  # downloads render nothing


def test_the_sent_pdf_is_the_downloaded_one_byte_for_byte(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    downloaded = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).content
    treasurer_client.post(reverse("billing:invoice-send", args=[invoice.pk]))
    (message,) = mail.outbox
    name, attached, _type = message.attachments[0]
    assert name == invoice.pdf_filename and attached == downloaded
    sent = Transmission.objects.get(invoice=invoice)
    assert sent.pdf_sha256 == InvoicePdf.objects.get(invoice=invoice).sha256 == hashlib.sha256(downloaded).hexdigest()
    assert sent.pdf.read() == downloaded


def test_a_reminder_attaches_the_kept_pdf(treasurer_client, issued, frozen):
    invoice = issued["lier_invoice"]
    downloaded = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).content
    frozen.move_to("2018-04-20 10:00 +02:00")  # overdue
    response = treasurer_client.post(reverse("billing:invoice-remind", args=[invoice.pk]), follow=True)
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.attachments[0][1] == downloaded


def test_an_invoice_without_a_kept_pdf_gets_it_rendered_and_kept_once(
    treasurer_client, billing, treasurer, frozen, settings, renders
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker: as before
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    invoice = run.invoices.get(number="HS-2")
    assert renders == [] and not InvoicePdf.objects.exists()
    first = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).content
    second = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).content
    assert renders == ["HS-2"] and first == second
    assert InvoicePdf.objects.get().invoice == invoice and "HS-2" in pdf_text(first)


def test_sending_an_invoice_without_a_kept_pdf_renders_it_outside_the_transaction_and_keeps_it(
    treasurer_client, billing, treasurer, frozen, settings, renders
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    invoice = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer).invoices.get(number="HS-1")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    treasurer_client.post(reverse("billing:invoice-send", args=[invoice.pk]))
    downloaded = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).content
    assert renders == ["HS-1"] and mail.outbox[0].attachments[0][1] == downloaded


def test_a_credit_note_keeps_its_pdf_when_issued(treasurer_client, issued, renders, prerender):
    invoice = issued["lier_invoice"]
    treasurer_client.post(
        reverse("billing:credit-note-create", args=[invoice.pk]),
        {"scope": "full", "reason": "Feil innbyggertall", "confirmed": "1"},
    )
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert renders == [note.number]
    kept = InvoicePdf.objects.get(invoice=note)
    download = treasurer_client.get(reverse("billing:invoice-pdf", args=[note.pk])).content
    assert download == kept.file.read() and "Feil innbyggertall" in pdf_text(download)
    assert renders == [note.number]


def test_asking_for_a_credit_note_confirmation_renders_nothing(treasurer_client, issued, renders):
    treasurer_client.post(
        reverse("billing:credit-note-create", args=[issued["lier_invoice"].pk]),
        {"scope": "full", "reason": "Feil innbyggertall"},
    )
    assert renders == [] and not InvoicePdf.objects.filter(invoice__kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_a_kept_pdf_is_never_changed_or_deleted(prerender, issued):
    from khs.models import AppendOnlyError

    kept = InvoicePdf.objects.get(invoice=issued["lier_invoice"])
    with pytest.raises(AppendOnlyError):
        kept.delete()
    with pytest.raises(AppendOnlyError):
        kept.save()


@pytest.mark.postgres
def test_two_asking_at_once_for_a_missing_pdf_keep_one(transactional_db, settings):
    """Two downloads of an invoice issued before PDFs were kept, at the same moment: both get the one kept."""
    from tests.billing.test_concurrency import _cooperation, _in_threads, _require_postgres

    _require_postgres()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    coop = _cooperation(members=1, years=range(2018, 2019))
    invoice = invoice_run_issue(cooperation=coop, year=2018, actor=None).invoices.get()
    from billing.services import invoice_pdf_bytes

    results = _in_threads([lambda: invoice_pdf_bytes(invoice=Invoice.objects.get(pk=invoice.pk))] * 2)
    assert all(isinstance(r, bytes) for r in results), results
    kept = InvoicePdf.objects.get()
    assert results[0] == results[1] == kept.file.read()
