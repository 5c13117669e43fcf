"""Which attachments a case accepts, told by the file's content rather than its name (no libmagic needed)."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_ATTACHMENT_SIZE = 25 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = AttachmentType("application/pdf", ("pdf",), "PDF")
PNG = AttachmentType("image/png", ("png",), "PNG")
JPEG = AttachmentType("image/jpeg", ("jpg", "jpeg"), "JPEG")
DOCX = AttachmentType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "DOCX")
XLSX = AttachmentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "XLSX")
ODT = AttachmentType("application/vnd.oasis.opendocument.text", ("odt",), "ODT")
ATTACHMENT_TYPES = (PDF, DOCX, ODT, XLSX, PNG, JPEG)
ATTACHMENT_EXTENSIONS = tuple(ext for t in ATTACHMENT_TYPES for ext in t.extensions)


def _zip_type(fileobj) -> AttachmentType | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return ODT if mimetype == ODT.content_type else None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    return None


def attachment_type_of(fileobj) -> AttachmentType | None:
    """The allowed type a file's content shows (magic bytes; a zip's own entries), or None."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(fileobj)
        return None
    finally:
        fileobj.seek(0)


def attachment_check(upload) -> AttachmentType:
    """The type of an uploaded file, or MeetingsError saying why it is refused (size, content, name)."""
    from meetings.errors import MeetingsError

    size = upload.size or 0
    if size == 0:
        raise MeetingsError(_("Filen er tom."))
    if size > MAX_ATTACHMENT_SIZE:
        raise MeetingsError(
            _("Filen er for stor (%(size)s MB). Største tillatte størrelse er 25 MB.")
            % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    kind = attachment_type_of(upload)
    allowed = ", ".join(t.label for t in ATTACHMENT_TYPES)
    if kind is None:
        raise MeetingsError(
            _("Filen er ikke en av de tillatte typene (%(allowed)s), ut fra innholdet.") % {"allowed": allowed}
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in kind.extensions:
        raise MeetingsError(
            _("Filen er en %(kind)s-fil, men navnet slutter ikke på .%(ext)s.")
            % {"kind": kind.label, "ext": kind.extensions[0]}
        )
    return kind


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
