"""Shared reads: the agenda in the body's language, a member's meetings, next steps."""

import pytest

from meetings import services
from meetings.models import Meeting
from meetings.selectors import meeting_agenda, meeting_detail, meetings_for_person
from tests import factories as f
from tests.meetings.conftest import register


def test_the_agenda_opens_with_the_standard_items_in_bokmal(meeting):
    assert [(i.position, i.label, i.title) for i in meeting_agenda(meeting)] == [
        (1, "", "Valg av møteleder og referent"),
        (2, "", "Godkjenning av innkalling og dagsorden"),
    ]


def test_a_nynorsk_body_gets_the_nynorsk_standard_items(coop, clerk):
    body = services.body_create(
        cooperation=coop, actor=clerk, name="Regionrådet", language="nn", case_number_format="{n}/{yy}"
    )
    meeting = services.meeting_create(body=body, actor=clerk, title="Regionrådsmøte", starts_at=f.aware(2011, 11, 3, 9))
    case = register(body, clerk, title="Deltaking i Kommunehelsesamarbeidet", meeting=meeting)
    agenda = meeting_agenda(meeting)
    assert [i.title for i in agenda] == [
        "Val av møteleiar og referent",
        "Godkjenning av innkalling og saksliste",
        "Deltaking i Kommunehelsesamarbeidet",
    ]
    assert agenda[2].label == case.label and agenda[2].is_standard is False
    assert meeting_agenda(meeting, "nb")[0].title == "Valg av møteleder og referent"


def test_a_member_sees_the_meetings_they_are_invited_to_once_summoned(meeting, clerk, mayor, outsider_mayor):
    assert list(meetings_for_person(mayor)) == []  # a draft is the secretariat's work in progress
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Meeting.Status.SUMMONED)
    assert list(meetings_for_person(mayor)) == [meeting]
    assert list(meetings_for_person(outsider_mayor)) == []


def test_next_steps_say_what_is_missing(meeting, mayors_body, clerk):
    steps = meeting_detail(meeting).next_steps
    assert "Registrer sakene som skal behandles." in steps
    case = register(mayors_body, clerk, meeting=meeting)
    steps = meeting_detail(meeting).next_steps
    assert f"Skriv forslag til vedtak i sak {case.label}." in steps
    meeting = services.meeting_status_set(meeting=meeting, actor=clerk, status=Meeting.Status.SUMMONED)
    assert meeting_detail(meeting).next_steps == ["Marker møtet som avholdt."]  # 2017 is past


@pytest.mark.parametrize("status", ["held", "minutes_approved", "cancelled"])
def test_every_state_has_a_next_step(meeting, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    assert meeting_detail(meeting).next_steps
