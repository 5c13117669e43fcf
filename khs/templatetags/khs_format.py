"""Filters for Norwegian money, numbers and dates; built into every template."""

import base64
import mimetypes

from django import template
from django.utils.translation import get_language

from khs.lib import dates, money
from khs.roles import user_roles

register = template.Library()


def _lang(lang=None):
    return (lang or get_language() or "nb")[:2]


@register.filter
def kr(value, lang=None):
    """{{ amount|kr }} -> kr 2 500,00"""
    return money.format_money(value, lang=_lang(lang))


@register.filter
def num(value, lang=None):
    """{{ population|num }} -> 450 000"""
    return money.format_number(value, lang=_lang(lang))


@register.filter
def rate(value, lang=None):
    """{{ rate|rate }} -> 2,50"""
    return money.format_number(value, lang=_lang(lang), decimals=2)


@register.filter
def no_date(value):
    """{{ day|no_date }} -> 15.06.2017"""
    return dates.format_date(value)


@register.filter
def long_date(value, lang=None):
    """{{ day|long_date }} -> 4. juni 2017"""
    return dates.format_long_date(value, _lang(lang))


@register.simple_tag
def meeting_time(start, end=None, lang=None):
    """{% meeting_time m.starts_at m.ends_at %} -> Torsdag 15.06.2017 kl. 10–11"""
    return dates.format_meeting_time(start, end, _lang(lang))


@register.filter
def has_role(user, role):
    return role in user_roles(user)


@register.filter
def css_string(value):
    """Text made safe inside a CSS "string" (running headers of PDFs)."""
    import html

    from django.utils.safestring import mark_safe

    # Inside <style> HTML entities are not decoded: undo autoescaping, then escape for CSS.
    text = " ".join(html.unescape(str(value)).split())
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace(">", "\\3E ")
    return mark_safe(text)


@register.filter
def data_uri(stored_file) -> str:
    """A stored file (a logo) as a data: URI read through the media storage, so a PDF needs no local path
    (media may be in an S3 bucket shared by several servers)."""
    if not stored_file:
        return ""
    mime = mimetypes.guess_type(stored_file.name)[0] or "application/octet-stream"
    with stored_file.storage.open(stored_file.name, "rb") as fh:
        data = base64.b64encode(fh.read()).decode("ascii")
    return f"data:{mime};base64,{data}"
