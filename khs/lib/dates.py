"""Dates and times written the Norwegian way: "Torsdag 15.06.2017 kl. 10–11"."""

from datetime import date, datetime

from django.utils import timezone

WEEKDAYS = {
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "nn": ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "nb": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "nn": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def _lang(lang: str | None) -> str:
    return lang if lang in WEEKDAYS else "nb"


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
    return f"{value.day}. {MONTHS[_lang(lang)][value.month - 1]} {value.year}"


def _clock(value: datetime) -> str:
    return f"{value.hour:02d}" if value.minute == 0 else f"{value.hour:02d}.{value.minute:02d}"


def format_time(value: datetime) -> str:
    """10.30"""
    value = local(value)
    return f"{value.hour:02d}.{value.minute:02d}"


def format_meeting_time(start: datetime, end: datetime | None = None, lang: str = "nb") -> str:
    """Torsdag 15.06.2017 kl. 10–11 (minutes shown only when not on the hour)."""
    start = local(start)
    weekday = WEEKDAYS[_lang(lang)][start.weekday()]
    at = "at" if lang == "en" else "kl."
    text = f"{weekday[0].upper()}{weekday[1:]} {format_date(start)} {at} {_clock(start)}"
    if end is not None:
        end = local(end)
        if end.date() == start.date():
            text += f"–{_clock(end)}"
        else:
            text += f" – {format_date(end)} {at} {_clock(end)}"
    return text
