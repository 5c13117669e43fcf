"""Documents read their files through the media storage, never a local path: with media in a bucket shared by
several servers (no file system behind it) the invoice PDF still carries the cooperation's logo."""

import io

from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from billing import documents


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_the_invoice_pdf_embeds_a_logo_kept_in_storage_without_local_paths(issued, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},  # .path() is not there
    }
    invoice = issued["lier_invoice"]
    coop = invoice.cooperation
    coop.logo.save("logo.png", ContentFile(_png()), save=True)
    pdf = documents.invoice_pdf(invoice)
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert images, "the logo is missing from the invoice PDF"
