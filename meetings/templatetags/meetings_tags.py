"""Template helpers of the meetings app."""

from django import template

from meetings.richtext import render_html

register = template.Library()

STATUS_BADGES = {
    "draft": "text-bg-warning",
    "summoned": "text-bg-info",
    "held": "text-bg-success",
    "minutes_approved": "text-bg-dark",
    "cancelled": "text-bg-danger",
}


@register.filter
def richtext(value):
    """{{ case.background|richtext }}: the stored HTML cleaned again by the allowlist, safe to show."""
    return render_html(value)


@register.filter
def status_badge(meeting):
    """Bootstrap classes with enough contrast for a meeting's status badge."""
    return STATUS_BADGES.get(getattr(meeting, "status", meeting), "text-bg-secondary")


@register.filter
def filesize(size):
    """1 234 567 -> "1,2 MB" (Norwegian decimal comma)."""
    size = int(size or 0)
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
