"""A dispatch's page: each recipient's copy as the outbox knows it, live progress, sending the failed ones again."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from khs import outbox
from khs.models import AuditEntry, OutgoingMail
from meetings.models import Dispatch, DispatchRecipient
from meetings.services import summons
from tests import factories as f
from tests.meetings.summons_world import invite
from tests.smtp_server import smtp_server


@pytest.fixture
def meeting(coop):
    return f.make_meeting(f.make_body(coop), title="Ordførermøte")


def page(dispatch):
    return reverse("meetings:dispatch_detail", args=[dispatch.pk])


def progress(dispatch):
    return reverse("meetings:dispatch_progress", args=[dispatch.pk])


def test_the_page_shows_each_copy_sent_retrying_failed_and_to_print(clerk_client, clerk, meeting, settings):
    f.make_invitee(meeting, name="Kommer fram", email="fram@example.no")
    f.make_invitee(meeting, name="Uten e-post", email="")
    with smtp_server(settings) as server:
        server.try_later = 1
        summons.meeting_summon(meeting=meeting, actor=clerk)
    dispatch = Dispatch.objects.get()
    html = clerk_client.get(page(dispatch)).content.decode()
    assert "Sendt 0 av 1" in html and "prøves igjen" in html and "451" in html and "til utskrift" in html

    with smtp_server(settings) as server, time_machine.travel(timezone.now() + timedelta(hours=1)):
        outbox.deliver_due()
        data = clerk_client.get(progress(dispatch)).json()
    assert data["text"] == "Sendt 1 av 1" and data["counts"]["done"] and data["counts"]["print"] == 1
    assert [r["state"] for r in data["recipients"]] == ["sent", "print"]


def test_the_clerk_sends_the_failed_ones_again_with_one_audit_entry(clerk_client, clerk, meeting, settings):
    invite(meeting, 2)
    with smtp_server(settings) as server:
        server.refuse = True
        summons.meeting_summon(meeting=meeting, actor=clerk)
    dispatch = Dispatch.objects.get()
    html = clerk_client.get(page(dispatch)).content.decode()
    assert "Sendt 0 av 2" in html and "550" in html and "Send på nytt til dem som feilet" in html

    with smtp_server(settings) as server:
        response = clerk_client.post(reverse("meetings:dispatch_resend_failed", args=[dispatch.pk]), follow=True)
        ids = {m.message["headers"]["Message-ID"] for m in OutgoingMail.objects.all()}
        assert set(server.message_ids) == ids and len(server.message_ids) == 2  # the same messages, once each
    assert "2 e-poster er lagt i kø på nytt." in response.content.decode()
    assert not DispatchRecipient.objects.exclude(error="").exists()
    assert AuditEntry.objects.filter(verb="dispatch_resend_failed").count() == 1
    assert (
        "Ingen mislykkede"
        in clerk_client.post(
            reverse("meetings:dispatch_resend_failed", args=[dispatch.pk]), follow=True
        ).content.decode()
    )


def test_the_progress_of_another_cooperations_dispatch_is_not_found(client, other_clerk, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    dispatch = Dispatch.objects.get()
    client.force_login(other_clerk)
    assert client.get(page(dispatch)).status_code == 404
    assert client.get(progress(dispatch)).status_code == 404
    assert client.post(reverse("meetings:dispatch_resend_failed", args=[dispatch.pk])).status_code == 404


def test_progress_is_read_only_and_resending_needs_post(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    dispatch = Dispatch.objects.get()
    assert clerk_client.post(progress(dispatch)).status_code == 405
    assert clerk_client.get(reverse("meetings:dispatch_resend_failed", args=[dispatch.pk])).status_code == 405
    assert len(mail.outbox) == 1


def test_the_page_query_count_does_not_grow_with_recipients(
    clerk_client, clerk, meeting, django_assert_max_num_queries
):
    invite(meeting, 3)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    small = Dispatch.objects.get()
    with django_assert_max_num_queries(14) as small_queries:
        clerk_client.get(page(small))
    invite(meeting, 20)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    large = Dispatch.objects.order_by("-pk").first()
    with django_assert_max_num_queries(len(small_queries)):
        clerk_client.get(page(large))
