"""The dashboard: next meetings and what to do for the secretariat, upcoming meetings for members."""

import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests import factories as f


@time_machine.travel("2017-05-01 12:00 +0200", tick=False)
def test_the_secretariat_sees_the_next_meetings_and_what_to_do(clerk_client, meeting, later_meeting, clerk):
    services.meeting_cancel(meeting=later_meeting, actor=clerk, reason="Flyttet")
    text = clerk_client.get(reverse("dashboard")).text
    assert "Neste møter" in text and meeting.title in text and "Ordførermøte høst" not in text
    assert "Registrer sakene som skal behandles." in text


@time_machine.travel("2017-05-01 12:00 +0200", tick=False)
def test_a_member_sees_their_upcoming_meetings(mayor_client, meeting, clerk):
    assert meeting.title not in mayor_client.get(reverse("dashboard")).text  # a draft
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Meeting.Status.SUMMONED)
    text = mayor_client.get(reverse("dashboard")).text
    assert "Mine neste møter" in text and meeting.title in text and "Torsdag 15.06.2017 kl. 10–11" in text


@time_machine.travel("2017-05-01 12:00 +0200", tick=False)
def test_the_meetings_panel_query_count_does_not_grow_with_meetings(
    rf, mayors_body, clerk, django_assert_max_num_queries
):
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.loader import render_to_string

    from meetings.dashboard import panels

    for size in (1, 8):
        for i in range(size):
            m = services.meeting_create(
                body=mayors_body, actor=clerk, title=f"Møte {size}-{i}", starts_at=f.aware(2017, 9, 1 + i, 10)
            )
            services.case_register(body=mayors_body, actor=clerk, title="Sak", meeting=m)
        request = rf.get("/dashboard/")
        request.user, request.session = clerk, SessionStore()
        with django_assert_max_num_queries(12):
            html = "".join(
                render_to_string(p["template"], {"panel": p["context"]}, request=request) for p in panels(request)
            )
        assert html.count("<tr>") == {1: 2, 8: 6}[size]  # a header row and at most five meetings
