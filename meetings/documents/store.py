"""Each meeting document rendered once per version of its content, and kept (RenderedDocument, in MEDIA).

A version is the SHA-256 of everything the PDF is made from: the HTML rendered from the data, the
document's language and RENDER_VERSION (the engine and what this module does with its output). The HTML is
cheap to make (queries and templates); only a version not seen before is rendered, and only outside a
transaction: the workers render after each change (meetings.tasks), a request that finds no stored
version renders it then. Two renders of the same version store one row (the unique constraint).

A long summons is rendered in parts, its head and then each case on pages of its own, without page
numbers; the parts are merged and one frame of the running header, "Side X av Y" and the footer is laid
over the whole. An edit to one case re-renders that case (and the frame if the page count changed).
"""

import hashlib
import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from khs.lib.pdf import PDF_VARIANT, html_to_pdf_pages, pdf_page_count, render_html
from meetings.models import RenderedDocument

Kind = RenderedDocument.Kind

# Bump when what turns HTML into the stored bytes changes (engine options, merging, the frame).
RENDER_VERSION = "1"
# From this many cases on, a summons is rendered per case and merged.
SPLIT_FROM_CASES = 8
# Versions other than the newest are removed after this long (mails in the outbox may still attach them).
KEEP_OLD_VERSIONS_DAYS = 14


def version_key(html: str, *, lang: str) -> str:
    """The version of a document: SHA-256 of its HTML, language and render version."""
    from weasyprint import __version__ as engine

    digest = hashlib.sha256(f"{RENDER_VERSION}\x1f{engine}\x1f{PDF_VARIANT}\x1f{lang}\x1f".encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def read(document: RenderedDocument) -> bytes:
    with document.file.open("rb") as fh:
        return fh.read()


def stored(kind: str, object_id: int, key: str, render: Callable[[], tuple], *, name: str) -> RenderedDocument:
    """The stored version `key` of a document; if there is none yet, `render()` gives (bytes, pages) to keep."""
    found = RenderedDocument.objects.filter(kind=kind, object_id=object_id, content_sha256=key).first()
    if found is not None:
        return found
    data, pages = render()
    return keep(kind, object_id, key, data, pages=pages, name=name)


def keep(kind: str, object_id: int, key: str, data: bytes, *, pages: int | None = None, name: str) -> RenderedDocument:
    """Store rendered bytes as version `key`; if another process stored it first, theirs is kept."""
    document = RenderedDocument(
        kind=kind,
        object_id=object_id,
        content_sha256=key,
        size=len(data),
        pages=pdf_page_count(data) if pages is None else pages,
        rendered_at=timezone.now(),
    )
    document.file.save(name, ContentFile(data), save=False)
    with transaction.atomic():
        row, created = RenderedDocument.objects.get_or_create(
            kind=kind,
            object_id=object_id,
            content_sha256=key,
            defaults={
                "file": document.file.name,
                "size": document.size,
                "pages": document.pages,
                "rendered_at": document.rendered_at,
            },
        )
    if not created:
        document.file.storage.delete(document.file.name)  # the same version, rendered twice at once
    return row


def prune(kind: str, object_id: int) -> int:
    """Remove the versions of a document older than KEEP_OLD_VERSIONS_DAYS, except the newest one."""
    cutoff = timezone.now() - timezone.timedelta(days=KEEP_OLD_VERSIONS_DAYS)
    versions = RenderedDocument.objects.filter(kind=kind, object_id=object_id).order_by("-rendered_at", "-pk")
    removed = 0
    for document in versions[1:]:
        if document.rendered_at < cutoff:
            document.file.storage.delete(document.file.name)
            document.delete()
            removed += 1
    return removed


# --- A document in parts: merged, with one frame of page numbers over the whole ------------------------------


class Part:
    """One part of a document: its HTML, and where its stored versions are kept.

    Parts are plain PDFs (archival=False): WeasyPrint makes them about twice as fast, and pypdf merges them
    in milliseconds where tagged ones take a second each; the merged whole gets its PDF/A declaration from
    the frame (see merged), but no tag tree.
    """

    def __init__(self, kind: str, object_id: int, html: str, *, lang: str):
        self.kind, self.object_id, self.html, self.lang = kind, object_id, html, lang
        self.key = version_key(html, lang=lang)

    def document(self) -> RenderedDocument:
        render = lambda: html_to_pdf_pages(self.html, archival=False)  # noqa: E731
        return stored(self.kind, self.object_id, self.key, render, name=f"{self.kind}.pdf")


def parts_key(parts: list[Part], frame_context: dict, *, lang: str) -> str:
    """The version of the merged document: its parts' versions and the frame's template and words (the page
    count follows from the parts)."""
    frame_html = render_html("pdf/page_frame.html", {**frame_context, "pages": range(0)}, lang=lang)
    return version_key("\x1e".join(p.key for p in parts) + "\x1d" + frame_html, lang=lang)


def merged(parts: list[Part], frame_context: dict, *, frame_object_id: int, lang: str) -> tuple[bytes, int]:
    """The parts (each rendered once per version) as one PDF, with the frame laid over every page; and its pages.

    The frame is a document of as many pages as the parts have together, with nothing but the page
    margins of pdf/base.html: running header (not on page 1), "Side X av Y" and the footer.
    """
    from pypdf import PdfReader, PdfWriter

    documents = [part.document() for part in parts]
    total = sum(d.pages for d in documents)
    frame_html = render_html("pdf/page_frame.html", {**frame_context, "pages": range(total)}, lang=lang)
    frame = stored(
        Kind.PAGE_FRAME,
        frame_object_id,
        version_key(frame_html, lang=lang),
        lambda: html_to_pdf_pages(frame_html),
        name="frame.pdf",
    )
    writer = PdfWriter()
    for document in documents:
        writer.append(PdfReader(io.BytesIO(read(document))), import_outline=False)
    frame_reader = PdfReader(io.BytesIO(read(frame)))
    for n, (page, over) in enumerate(zip(writer.pages, frame_reader.pages, strict=True)):
        _lay_over(writer, page, over, f"/KhsFrame{n}")
    _declare_archival(writer, frame_reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total


def _lay_over(writer, page, over, name: str) -> None:
    """Draw page `over` on top of `page` as a form XObject (no content stream is parsed, unlike merge_page)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    contents = over.get_object()["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(over.mediabox),
            NameObject("/Resources"): over["/Resources"].clone(writer),
        }
    )
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(name)] = writer._add_object(form)
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ\nq {name} Do Q\n".encode())
    own = page.raw_get("/Contents")
    own_list = list(own.get_object()) if isinstance(own.get_object(), ArrayObject) else [own]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *own_list, writer._add_object(after)])


def _declare_archival(writer, frame) -> None:
    """The frame's PDF/A-3u identification (XMP, output intent), language and document info for the whole."""
    from pypdf.generic import NameObject

    root = frame.trailer["/Root"]
    for key in ("/Metadata", "/OutputIntents", "/Lang"):
        if key in root:
            writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    if frame.metadata:
        writer.add_metadata({k: v for k, v in frame.metadata.items() if isinstance(v, str)})
