"""User rich text (case texts written in Trix) cleaned to a small allowlist of HTML before it is stored.

The same function is used again when the text is shown on a page or rendered into a PDF, so text that
reached the database some other way (admin, import) is cleaned too.
"""

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "div", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped with everything inside them, not just their tags.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "title", "svg", "math"}


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep a link only when it is absolute http(s) or mailto: relative links mean nothing in a PDF or mail."""
    if tag == "a" and attribute == "href":
        scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
        return value.strip() if scheme in URL_SCHEMES else None
    return value


def clean_html(text: str | None) -> str:
    """The allowlisted part of `text`: paragraphs, bold, italic, lists, links, h2–h4, quotes.

    Script, style, event attributes (onclick …), javascript:/data: links and iframes never survive.
    """
    if not text:
        return ""
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_absolute_links_only,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
    return cleaned.strip()


def render_html(text: str | None) -> SafeString:
    """Cleaned HTML, marked safe for a template."""
    return mark_safe(clean_html(text))  # noqa: S308 - cleaned by the allowlist just above


def is_blank(text: str | None) -> bool:
    """True when the rich text holds no words (Trix leaves "<div><br></div>" in an empty editor)."""
    return not strip_tags(clean_html(text)).replace("&nbsp;", "").strip()


# A case text beyond this is no longer a case text (about 40 printed pages); rendering it to PDF inside a
# request took minutes. Checked on the raw text as sent and on what remains after cleaning.
MAX_TEXT_CHARS = 100_000


def text_size_check(text: str | None) -> None:
    """MeetingsError when a rich-text field is larger than MAX_TEXT_CHARS characters."""
    from django.utils.translation import gettext as _

    from meetings.errors import MeetingsError

    if text and len(text) > MAX_TEXT_CHARS:
        raise MeetingsError(
            _("Teksten er for lang (%(n)s tegn). Største tillatte lengde er %(max)s tegn; legg resten ved som vedlegg.")
            % {"n": f"{len(text):,}".replace(",", " "), "max": "100 000"}
        )
