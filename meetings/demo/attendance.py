"""Demo answers for the mayors' meeting of 15.06.2017: 19 attend, 3 send their deputy, 2 cannot, 2 silent.

Idempotent: the answers go through the attendance service, which changes nothing when the answer is already
the same. Written as of a week before the registration deadline, without mails.
"""

from datetime import date, timedelta

from django.utils import timezone

from meetings.models import Invitee, Meeting
from meetings.services.attendance import attendance_answer, body_quorum_set, deputy_candidates
from membership.models import Body

DEMO_DAY = date(2017, 6, 15)
PLAN = ["attending"] * 19 + ["deputy"] * 3 + ["absent"] * 2  # the rest do not answer
NOTES = {0: "Vegetarmat, takk.", 5: "Kommer ca. kl. 10.30."}


def _demo_meeting():
    for meeting in (
        Meeting.objects.filter(body__kind=Body.Kind.MAYORS_MEETING).select_related("body").order_by("starts_at")
    ):
        if timezone.localdate(meeting.starts_at) == DEMO_DAY:
            return meeting
    return None


def load() -> str:
    meeting = _demo_meeting()
    if meeting is None or meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.MINUTES_APPROVED):
        return ""
    body_quorum_set(actor=None, body=meeting.body, rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES)
    now = (meeting.registration_deadline or meeting.starts_at) - timedelta(days=7)
    originals = sorted(
        meeting.invitees.filter(deputy_for=None, is_guest=False).select_related("municipality"),
        key=lambda i: (i.municipality.number if i.municipality_id else "~", i.name),
    )
    for position, (invitee, answer) in enumerate(zip(originals, PLAN, strict=False)):
        invitee.meeting = meeting
        deputy = {}
        if answer == "deputy":
            candidates = deputy_candidates(invitee)
            if candidates:
                deputy = {"deputy_person": candidates[0].person}
            else:
                place = invitee.municipality.name if invitee.municipality_id else invitee.name
                slug = "".join(
                    c for c in place.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae") if c.isalnum()
                )
                deputy = {
                    "deputy_name": f"Varaordfører i {place}",
                    "deputy_email": f"varaordforer.{slug}@demo.khs.invalid",
                }
        attendance_answer(
            actor=None, invitee=invitee, response=answer, note=NOTES.get(position, ""), notify=False, now=now, **deputy
        )
    for deputy in meeting.invitees.exclude(deputy_for=None).select_related("deputy_for"):
        deputy.meeting = meeting
        attendance_answer(actor=None, invitee=deputy, response=Invitee.Response.ATTENDING, notify=False, now=now)
    counts = {r: meeting.invitees.filter(deputy_for=None, response=r).count() for r in Invitee.Response.values}
    return (
        f"påmelding til {meeting.title}: {counts['attending']} kommer, {counts['deputy']} sender stedfortreder, "
        f"{counts['absent']} kommer ikke, {counts['pending']} har ikke svart"
    )
