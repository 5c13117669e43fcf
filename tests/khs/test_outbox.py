"""The outbox against a real SMTP server on loopback: try-later, refusals, no server, two workers, no mail in a
transaction."""

from datetime import timedelta
from email.utils import parseaddr
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from khs import outbox
from khs.mail import clean_subject, mail_queue, make_message
from khs.models import OutgoingMail
from meetings.models import DispatchRecipient
from meetings.services import summons
from tests import factories as f
from tests.smtp_server import free_port, smtp_server

pytestmark = pytest.mark.django_db
Status = OutgoingMail.Status


def queue(n: int, *, kind="test") -> list[OutgoingMail]:
    rows = []
    with transaction.atomic():
        for i in range(n):
            message = make_message("khs/member_link", f"person{i}@example.no", {"url": f"https://x/{i}"}, "nb")
            rows.append(mail_queue(message, kind=kind, key=f"test:{i}"))
    return rows


def later(minutes=120):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_subjects_are_one_line_without_control_characters():
    assert clean_subject("Innkalling:\r\nBcc: alle@example.no\x00 møte\t 2017") == (
        "Innkalling: Bcc: alle@example.no møte 2017"
    )


def test_a_message_is_queued_once_per_key(settings):
    with smtp_server(settings) as server:
        first = queue(1)[0]
        again = mail_queue(make_message("khs/member_link", "x@example.no", {"url": "u"}, "nb"), kind="t", key="test:0")
    assert again.pk == first.pk and OutgoingMail.objects.count() == 1
    assert len(server.received) == 1


def test_try_later_is_retried_with_the_servers_answer_until_it_accepts(settings):
    with smtp_server(settings) as server:
        server.try_later = 3
        rows = queue(3)  # sent after commit: every RCPT answered 451

        retrying = list(OutgoingMail.objects.order_by("pk"))
        assert [m.status for m in retrying] == [Status.RETRYING] * 3
        assert "451" in retrying[0].last_error and "try again later" in retrying[0].last_error
        assert all(m.next_attempt_at > timezone.now() for m in retrying)
        assert outbox.deliver_due() == 0  # not due yet: nothing is tried before its time

        with later():
            assert outbox.deliver_due() == 3
    sent = list(OutgoingMail.objects.order_by("pk"))
    assert [m.status for m in sent] == [Status.SENT] * 3 and all(m.attempts == 2 for m in sent)
    assert sorted(server.message_ids) == sorted(m.message["headers"]["Message-ID"] for m in rows)


def test_a_refusal_fails_at_once_with_the_reason(settings):
    with smtp_server(settings) as server:
        server.refuse = True
        queue(1)
    [row] = OutgoingMail.objects.all()
    assert row.status == Status.FAILED and row.attempts == 1 and row.next_attempt_at is None
    assert "550" in row.last_error and "No such user" in row.last_error
    assert server.received == []


def test_no_server_at_all_is_retried_then_given_up(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.OUTBOX_MAX_ATTEMPTS = 3
    queue(1)
    row = OutgoingMail.objects.get()
    assert row.status == Status.RETRYING and "ConnectionRefusedError" in row.last_error
    for minutes in (120, 240):
        with later(minutes):
            outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 3 and "ConnectionRefusedError" in row.last_error


def test_a_summons_refused_by_the_server_is_recorded_on_the_recipient(settings, coop, clerk):
    meeting = f.make_meeting(f.make_body(coop))
    f.make_invitee(meeting, name="Finnes ikke", email="borte@example.no")
    with smtp_server(settings) as server:
        server.refuse = True
        summary = summons.meeting_summon(meeting=meeting, actor=clerk)
    [recipient] = DispatchRecipient.objects.all()
    assert "550" in recipient.error and [r.pk for r in summary.failed] == [recipient.pk]


def test_a_message_whose_worker_died_is_sent_again_after_its_lease_with_the_same_message_id(settings):
    with smtp_server(settings) as server:
        with mock.patch("khs.mail.deliver_after_commit"):
            row = mail_queue(make_message("khs/member_link", "a@example.no", {"url": "u"}, "nb"), kind="t", key="k")
        assert [m.pk for m in outbox.claim("dead-worker")] == [row.pk]  # claimed by a worker that then dies

        assert outbox.deliver_due() == 0  # its lease still runs: nobody else sends it
        with later(30):
            assert outbox.deliver_due() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    assert server.message_ids == [row.message["headers"]["Message-ID"]]


def test_mail_handed_to_a_backend_inside_a_transaction_fails_the_test():
    with pytest.raises(AssertionError, match="inside a transaction"):
        with transaction.atomic():
            mail.send_mail("Emne", "Tekst", None, ["x@example.no"])


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: real parallel transactions",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once(settings):
    import threading

    from django.db import connection

    with smtp_server(settings) as server:
        server.try_later = 40  # everything waits for a retry, then two workers go at it together
        queue(40)
        assert OutgoingMail.objects.filter(status=Status.RETRYING).count() == 40
        start = threading.Barrier(2)
        counts = []

        def work():
            try:
                start.wait()
                counts.append(outbox.deliver_due())
            finally:
                connection.close()

        with later():
            threads = [threading.Thread(target=work) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert sum(counts) == 40
    assert len(server.message_ids) == 40 and len(set(server.message_ids)) == 40
    assert OutgoingMail.objects.filter(status=Status.SENT).count() == 40


def test_a_retry_schedules_one_more_run_and_later_commits_add_none(settings):
    from django_tasks import default_task_backend

    from khs.tasks import outbox_send

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with smtp_server(settings) as server:
        server.try_later = 1
        queue(1)  # stored, not run: this test plays the worker
        outbox_send.call()
        [first, scheduled] = default_task_backend.results
        retry_at = OutgoingMail.objects.get().next_attempt_at
        assert first.task.run_after is None and scheduled.task.run_after == retry_at

        for n in range(5):  # more mail while the first one waits for its retry
            with transaction.atomic():
                mail_queue(
                    make_message("khs/member_link", f"n{n}@example.no", {"url": "u"}, "nb"), kind="t", key=f"n{n}"
                )
            outbox_send.call()
        deferred = [r for r in default_task_backend.results if r.task.run_after is not None]
        assert deferred == [scheduled]
        assert len(server.received) == 5


def test_a_cooperations_mail_comes_from_its_name_and_replies_to_its_contact():
    from types import SimpleNamespace

    from khs.mail import cooperation_sender

    sender = cooperation_sender(SimpleNamespace(name='Vest, "Nord" og Sør', contact_email="post@vest.no"))
    assert sender["from_email"] == '"Vest, \\"Nord\\" og Sør" <khs@localhost>'
    assert parseaddr(sender["from_email"]) == ('Vest, "Nord" og Sør', "khs@localhost")
    assert sender["reply_to"] == ["post@vest.no"]
    assert cooperation_sender(SimpleNamespace(name="Helsesamarbeidet", contact_email=""))["reply_to"] is None
