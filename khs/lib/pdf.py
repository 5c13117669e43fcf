"""PDF documents: one narrow function renders a template of ours to PDF/A bytes with WeasyPrint."""

import io
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# PDF/A-3u: archival (fonts embedded, text as Unicode), and PDF/A-3 lets an invoice carry its EHF XML.
PDF_VARIANT = "pdf/a-3u"


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_html(template_name: str, context: dict, *, lang: str) -> str:
    """The document's HTML in its own language (the body's or cooperation's, not the reader's).

    Every fixed word of the templates is {% translate … context … %}, so the catalogues decide it here.
    """
    with translation.override(lang):
        return render_to_string(template_name, {**context, "lang": lang})


def html_to_pdf(html: str, *, attachments: list | None = None, archival: bool = True) -> bytes:
    """WeasyPrint on finished HTML; static files (fonts, logos) resolve against static/ and media/.

    archival=True gives tagged PDF/A; False a plain PDF, about twice as fast, for print-only bundles.
    """
    return html_to_pdf_pages(html, attachments=attachments, archival=archival)[0]


def html_to_pdf_pages(html: str, *, attachments: list | None = None, archival: bool = True) -> tuple[bytes, int]:
    """html_to_pdf, and the number of pages the layout made (no second reading of the PDF to count them)."""
    from weasyprint import DEFAULT_OPTIONS, HTML

    options = {**DEFAULT_OPTIONS, "attachments": attachments or None}
    if archival:
        options.update(pdf_variant=PDF_VARIANT, pdf_tags=True)
    page = HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=_fetcher())
    document = page.render(font_config=_font_config(), **options)
    return document.write_pdf(**options), len(document.pages)


def render_pdf(template_name: str, context: dict, *, lang: str = "nb", attachments: list | None = None) -> bytes:
    """Render templates/<template_name> (extending pdf/base.html) to PDF/A bytes."""
    return html_to_pdf(render_html(template_name, context, lang=lang), attachments=attachments)


def is_readable_file(url: str) -> bool:
    """Is this file:// URL inside static/ or MEDIA_ROOT once resolved? ("../" and symlinks are followed
    first, so file://<static>/../../etc/hostname is refused.)"""
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    path = Path(unquote(urlsplit(url).path)).resolve()
    roots = (Path(settings.BASE_DIR / "static").resolve(), Path(settings.MEDIA_ROOT).resolve())
    return any(path.is_relative_to(root) for root in roots)


def _fetcher():
    """Only local files: static assets and uploaded logos. Nothing is fetched from the network."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                if not is_readable_file(url):
                    raise ValueError(f"PDF rendering may not read {url!r}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), fail_on_errors=False)


def pdf_xmp(data: bytes) -> str:
    """The XMP metadata of a PDF (where PDF/A conformance is declared)."""
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    return root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""


def pdf_text(data: bytes) -> str:
    """All text of a PDF, page after page (used by tests and checks)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def merge_pdfs(documents: list[bytes]) -> bytes:
    """One PDF of many (e.g. every invoice of a run, for printing)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in documents:
        writer.append(io.BytesIO(data))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
