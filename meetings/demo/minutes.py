"""Demo minutes of the mayors' meeting of 15.06.2017, approved: the three cases adopted as the summons proposed.

Official (seed 000): the cases and their proposals. Invented (demo only, and marked so on the page and in
the PDF): who was checked in (everyone who answered that they, or their deputy, would come), the chair
and minute-taker, and the two signers and the time they signed (20.06.2017). Idempotent: approved minutes
are left as they are.
"""

from datetime import date, datetime, time

from django.utils import timezone

from meetings.demo.attendance import _demo_meeting
from meetings.models import Invitee, Meeting, Minutes, MinutesItem
from meetings.services import minutes as svc
from meetings.services.attendance import attendance_check_in
from meetings.services.meetings import meeting_status_set

SIGNED_AT = timezone.make_aware(datetime.combine(date(2017, 6, 20), time(9, 0)))
CHAIR = "Lier"  # the mayor of the host municipality chairs (invented)


def load() -> str:
    meeting = _demo_meeting()
    if meeting is None:
        return ""
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None and existing.is_approved:
        return f"protokoll {meeting}: godkjent"
    if meeting.status == Meeting.Status.SUMMONED:
        for invitee in meeting.invitees.all():
            attendance_check_in(actor=None, invitee=invitee, present=invitee.response == Invitee.Response.ATTENDING)
        meeting_status_set(meeting=meeting, actor=None, status=Meeting.Status.HELD)
    minutes = existing or svc.minutes_create(meeting=meeting, actor=None, now=meeting.ends_at or meeting.starts_at)
    if not minutes.is_demo:
        Minutes.objects.filter(pk=minutes.pk).update(is_demo=True)
        minutes.refresh_from_db()
    if minutes.status == Minutes.Status.DRAFT:
        present = [p for p in minutes.participants.all() if p.votes_in_meeting]
        chair = next((p for p in present if p.municipality and p.municipality.name == CHAIR), present[0])
        svc.minutes_update(
            minutes=minutes,
            actor=None,
            version=minutes.version,
            chair_name=chair.name,
            minute_taker_name="Kari, Vestregionen",
        )
        minutes.refresh_from_db()
        for item in minutes.items.select_related("case"):
            if not item.decision:
                svc.minutes_item_update(
                    item=item, actor=None, version=minutes.version, decision=MinutesItem.Decision.UNANIMOUS
                )
                minutes.refresh_from_db()
        signers = [chair] + [p for p in present if p.pk != chair.pk and p.invitee_id and p.invitee.email][:1]
        svc.minutes_submit(minutes=minutes, actor=None, version=minutes.version, signers=signers, notify=False)
    for signer in minutes.signers.filter(signed_at__isnull=True):
        svc.minutes_sign(signer=signer, now=SIGNED_AT)
    minutes.refresh_from_db()
    return f"protokoll {meeting}: {minutes.get_status_display()}, {minutes.items.count()} saker"
