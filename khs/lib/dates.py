"""Dates and times written the Norwegian way: "Torsdag 15.06.2017 kl. 10–11".

Month and weekday names are Django's own locale data (django.utils.dateformat), read in the language
asked for (the document's, not the reader's); the catalogues of khs add what the secretariat writes
differently (Nynorsk "sundag").
"""

from datetime import date, datetime

from django.utils import dateformat, timezone, translation
from django.utils.translation import pgettext

from khs.lib.i18n import document_language as _lang


def local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_date(value: date | datetime | None) -> str:
    """15.06.2017"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def format_long_date(value: date | datetime | None, lang: str = "nb") -> str:
    """4. juni 2017"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    with translation.override(_lang(lang)):
        return dateformat.format(value, "j. F Y")


def _clock(value: datetime) -> str:
    return f"{value.hour:02d}" if value.minute == 0 else f"{value.hour:02d}.{value.minute:02d}"


def format_time(value: datetime) -> str:
    """10.30"""
    value = local(value)
    return f"{value.hour:02d}.{value.minute:02d}"


def format_meeting_time(start: datetime, end: datetime | None = None, lang: str = "nb") -> str:
    """Torsdag 15.06.2017 kl. 10–11 (minutes shown only when not on the hour)."""
    start = local(start)
    with translation.override(_lang(lang)):
        weekday = dateformat.format(start, "l")
        at = pgettext("time of day", "kl.")
    text = f"{weekday[:1].upper()}{weekday[1:]} {format_date(start)} {at} {_clock(start)}"
    if end is not None:
        end = local(end)
        if end.date() == start.date():
            text += f"–{_clock(end)}"
        else:
            text += f" – {format_date(end)} {at} {_clock(end)}"
    return text
