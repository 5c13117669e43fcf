"""The demo mayors' meeting gets a plausible set of answers, once, and shows a quorum."""

from datetime import date

from django.core import mail

from khs.models import AuditEntry
from meetings.demo import attendance as attendance_demo
from meetings.models import Invitee, Meeting
from meetings.selectors.attendance import attendance_overview
from membership.models import Office
from tests import factories as f


def _demo_world(coop):
    body = f.make_body(coop, name="Ordførermøtet")
    meeting = f.make_meeting(body, title="Ordførermøte", status=Meeting.Status.SUMMONED)
    for n in range(26):
        municipality = f.make_municipality(f"{3000 + n}", f"Kommune {n}")
        f.make_membership(coop, municipality, starts_on=date(2012, 1, 1))
        mayor = f.make_person(f"Ordfører i Kommune {n}")
        f.make_office(mayor, municipality=municipality)
        if n % 2:
            f.make_office(
                f.make_person(f"Varaordfører i Kommune {n}"), kind=Office.Kind.DEPUTY_MAYOR, municipality=municipality
            )
        f.make_invitee(meeting, mayor, municipality=municipality)
    return meeting


def test_demo_answers_the_mayors_meeting_idempotently_and_it_has_a_quorum(coop):
    meeting = _demo_world(coop)
    summary = attendance_demo.load()
    assert "19 kommer, 3 sender stedfortreder, 2 kommer ikke, 2 har ikke svart" in summary
    entries = AuditEntry.objects.count()
    assert attendance_demo.load() == summary
    assert AuditEntry.objects.count() == entries  # nothing changed the second time
    assert Invitee.objects.filter(meeting=meeting, deputy_for__isnull=False).count() == 3
    assert mail.outbox == []
    quorum = attendance_overview(Meeting.objects.select_related("body").get(pk=meeting.pk)).quorum
    assert (quorum.rule, quorum.total, quorum.required, quorum.confirmed, quorum.expected) == (
        "majority_of_municipalities",
        26,
        14,
        22,
        "yes",
    )


def test_demo_does_nothing_without_the_demo_meeting(db):
    assert attendance_demo.load() == ""
