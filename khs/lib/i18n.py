"""The language a document is written in: the body's or cooperation's, whatever the reader's interface is.

Documents render their fixed words through gettext (pgettext with a context) inside
`translation.override(document_language(...))`; the catalogues under locale/ hold the Nynorsk and English.
"""

from django.conf import settings

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def document_language(code: str | None) -> str:
    """The code itself when khs writes that language (nb, nn, en), else the default (Bokmål)."""
    code = (code or "")[:2]
    return code if code in LANGUAGES else settings.LANGUAGE_CODE
