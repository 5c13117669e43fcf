"""User rich text (case texts written in Trix) cleaned to a small allowlist of HTML before it is stored.

The same function is used again when the text is shown on a page or rendered into a PDF, so text that
reached the database some other way (admin, import) is cleaned too.
"""

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    *("p", "br", "div", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote"),
    # Tables as they come from Word (pasted or imported from .docx).
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Dropped with everything inside them, not just their tags.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "title", "svg", "math"}


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep a link only when it is absolute http(s) or mailto: relative links mean nothing in a PDF or mail."""
    if tag == "a" and attribute == "href":
        scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
        return value.strip() if scheme in URL_SCHEMES else None
    if attribute in ("colspan", "rowspan"):
        return value.strip() if value.strip().isdigit() and 0 < int(value) <= 100 else None
    if attribute == "scope":
        return value if value in ("row", "col", "rowgroup", "colgroup") else None
    return value


def clean_html(text: str | None) -> str:
    """The allowlisted part of `text`: paragraphs, bold, italic, lists, links, h2–h4, quotes, tables.

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


# Word's headings become h2–h4: h1 is the page's (and the case document's) own title.
DOCX_STYLE_MAP = """
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Heading 4'] => h4:fresh
p[style-name='Title'] => h2:fresh
p[style-name='Overskrift 1'] => h2:fresh
p[style-name='Overskrift 2'] => h3:fresh
p[style-name='Overskrift 3'] => h4:fresh
"""


def docx_to_html(fileobj) -> str:
    """A Word document (.docx) as clean HTML for a case text: headings, lists, bold/italic, tables, links.

    mammoth maps Word's structure (not its looks) to HTML; images are left out (attach them instead); the
    result goes through the same cleaner as everything typed.
    """
    import mammoth

    fileobj.seek(0)
    result = mammoth.convert_to_html(
        fileobj, style_map=DOCX_STYLE_MAP, convert_image=mammoth.images.img_element(lambda image: {})
    )
    return clean_html(result.value)


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
