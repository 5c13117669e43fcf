"""Public feeds: a calendar per body (meetings with time and place, no agenda texts) and an Atom feed of new
documents and decisions."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from icalendar import Calendar

from meetings.documents import calendar
from meetings.models import Dispatch
from publishing import rules, selectors


def body_calendar(body) -> bytes:
    """The body's public meetings as iCalendar: the same UID as the invitations, the public page as URL."""
    now = timezone.now()
    cal = Calendar()
    cal.add("prodid", calendar.PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{body.name} ({body.cooperation.short_name})")
    for meeting in selectors.public_meetings(now).filter(body=body):
        event = calendar.meeting_event(meeting, cases=[], stamp=now)
        event.pop("url")
        event.add("url", settings.SITE_URL + reverse("publishing:meeting_detail", args=[meeting.pk]))
        cal.add_component(event)
    return cal.to_ical()


def feed_entries(now, limit: int = 50) -> list[dict]:
    """New public documents (summonses, approved minutes) and decisions, newest first."""
    entries = []
    dispatches = (
        Dispatch.objects.filter(kind__in=[Dispatch.Kind.SUMMONS, Dispatch.Kind.SUPPLEMENTARY])
        .filter(rules.meeting_documents_public_q(now, "meeting__"))
        .select_related("meeting__body__cooperation")
        .order_by("-sent_at")[:limit]
    )
    for d in dispatches:
        entries.append(
            {
                "title": f"{d.get_kind_display()}: {d.meeting.title} {d.meeting.starts_at:%d.%m.%Y}",
                "link": reverse("publishing:meeting_detail", args=[d.meeting_id]),
                "date": d.sent_at,
                "body": d.meeting.body,
                "id": f"dispatch-{d.pk}",
            }
        )
    decided = (
        selectors.open_cases(now).filter(meeting__status="minutes_approved").order_by("-meeting__updated_at")[:limit]
    )
    for case in decided:
        entries.append(
            {
                "title": _("Vedtak i sak %(label)s: %(title)s")
                % {"label": case.label, "title": rules.public_title(case)},
                "link": reverse("publishing:case_detail", args=[case.pk]),
                "date": case.meeting.updated_at,
                "body": case.body,
                "id": f"decision-{case.pk}",
            }
        )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


class DocumentsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Nye dokumenter og vedtak")

    def link(self):
        return reverse("publishing:index")

    def subtitle(self):
        return _("Innkallinger, protokoller og vedtak som er publisert.")

    def items(self):
        return feed_entries(timezone.now())

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return f"{item['body'].name} ({item['body'].cooperation.short_name})"

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return f"{settings.SITE_URL}/innsyn/{item['id']}"

    def item_updateddate(self, item):
        return item["date"]

    def item_pubdate(self, item):
        return item["date"]
