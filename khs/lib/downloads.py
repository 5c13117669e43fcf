"""Every file the product hands out (PDF, CSV, XLSX, ZIP, ICS, attachments) goes through file_response:
its name keeps "ø", "æ" and "å" (RFC 6266/5987 `filename*=UTF-8''…`) with an ASCII `filename=` for
programs that read no other."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.text import slugify

_NORDIC = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/]+')


def file_stem(text: str) -> str:
    """A piece of a file name from user text, letters kept: "Ordførermøte i KHS" -> "ordførermøte-i-khs"."""
    return slugify(text, allow_unicode=True)


def ascii_name(filename: str) -> str:
    """The fallback name: "Årsmelding økonomi.pdf" -> "Arsmelding okonomi.pdf"."""
    text = unicodedata.normalize("NFKD", filename.translate(_NORDIC))
    text = "".join(c if c.isascii() else ("" if unicodedata.combining(c) else "_") for c in text)
    return _UNSAFE.sub("_", text).strip() or "fil"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """'attachment; filename="okonomi.pdf"; filename*=UTF-8''%C3%B8konomi.pdf'"""
    name = _UNSAFE.sub("_", filename.rsplit("/", 1)[-1]).strip() or "fil"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(
    data, filename: str, content_type: str, *, inline: bool = False, cache: str | None = None
) -> HttpResponse:
    """The bytes (or an open file) as a download named `filename`."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    if cache:
        response["Cache-Control"] = cache
    return response
