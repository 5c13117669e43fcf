"""Changes that would otherwise pass in silence: editing a summoned meeting, a passed deadline, a past meeting."""

import time_machine
from django.urls import reverse

from meetings.models import Meeting
from meetings.services import summons
from tests import factories as f
from tests.meetings.test_views_meetings import _meeting_post


def _edit(client, meeting, **extra):
    return client.post(
        reverse("meetings:meeting_update", args=[meeting.pk]), _meeting_post(meeting.body, **extra), follow=True
    )


@time_machine.travel("2017-06-06 12:00 +0200", tick=False)
def test_editing_a_summoned_meeting_warns_about_the_deadline_and_points_to_the_changed_summons(
    clerk_client, clerk, meeting, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    summons.meeting_summon(meeting=meeting, actor=clerk)
    page = _edit(clerk_client, meeting, place_name="Lier rådhus").text
    assert "Påmeldingsfristen er allerede passert" in page
    assert "de inviterte får ikke vite om endringen" in page
    assert f'href="{reverse("meetings:summons_panel", args=[meeting.pk])}#resend">Send endret innkalling</a>' in page


@time_machine.travel("2017-05-01 12:00 +0200", tick=False)
def test_editing_a_draft_meeting_before_its_deadline_says_nothing_more(clerk_client, meeting):
    page = _edit(clerk_client, meeting, place_name="Lier rådhus").text
    assert "Møtet er lagret." in page
    assert "Påmeldingsfristen er allerede passert" not in page and "endret innkalling" not in page


@time_machine.travel("2017-07-01 12:00 +0200", tick=False)
def test_creating_a_meeting_in_the_past_warns(clerk_client, mayors_body):
    page = clerk_client.post(reverse("meetings:meeting_create"), _meeting_post(mayors_body), follow=True).text
    assert Meeting.objects.count() == 1
    assert "Møtet ligger i fortiden" in page


def test_creating_a_meeting_ahead_does_not_warn(clerk_client, mayors_body):
    with time_machine.travel(f.aware(2017, 5, 1, 12), tick=False):
        page = clerk_client.post(reverse("meetings:meeting_create"), _meeting_post(mayors_body), follow=True).text
    assert "Møtet ligger i fortiden" not in page
