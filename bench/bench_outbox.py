"""Benchmark: "Send innkalling" for a 30-case meeting to 100 invitees, through the outbox and a real SMTP server.

    python bench/bench_outbox.py        (from the repository root; `make bench` runs every bench/bench_*.py)

The same meeting as bench_summons.py (30 cases of ~800 words) in a throwaway SQLite database. Prints the
time of the clerk's request (record the dispatch and its 100 recipients, enqueue the work on the database
backend) and the time one database worker takes to render the PDF, queue the 100 mails and deliver them
all to aiosmtpd on loopback.
"""

import os
import sys
import time
from pathlib import Path

os.environ["TASKS_BACKEND"] = "database"
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_summons  # noqa: E402  (sets up Django on a throwaway database)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from meetings.documents.ready import meeting_documents_render  # noqa: E402

RECIPIENTS = 100


def main():
    from django.contrib.auth import get_user_model

    from khs.models import OutgoingMail
    from khs.roles import SECRETARIAT
    from meetings.models import Invitee
    from tests import factories as f
    from tests.smtp_server import smtp_server

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    meeting, _words = bench_summons.build_world()
    Invitee.objects.filter(meeting=meeting).delete()
    Invitee.objects.bulk_create(
        [Invitee(meeting=meeting, name=f"Ordfører {n}", email=f"ordforer{n}@example.no") for n in range(RECIPIENTS)]
    )
    clerk = f.make_user("bench-clerk", role=SECRETARIAT, cooperations=[meeting.body.cooperation])
    get_user_model().objects.filter(pk=clerk.pk).update(is_staff=False)
    client = Client()
    client.force_login(clerk)
    settings.ALLOWED_HOSTS = ["testserver"]

    with smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        client.get(f"/meetings/{meeting.pk}/summons/")  # a warm server: imports, URLs and templates loaded
        # As after the clerk's last edit: a worker has rendered the meeting's documents (summons, saksframlegg).
        start = time.perf_counter()
        meeting_documents_render(meeting.pk)
        ahead_seconds = time.perf_counter() - start
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post(f"/meetings/{meeting.pk}/summons/send/", {"confirmed": "1"})  # past "send to 100?"
        request_seconds, request_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        assert response.status_code == 302, response.status_code
        assert not OutgoingMail.objects.exists() and not server.received  # all of it is the worker's

        start, start_cpu = time.perf_counter(), time.process_time()
        call_command("worker", "--burst", "--interval", "0", verbosity=0)  # a database worker, until idle
        delivery_seconds, delivery_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        sent = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count()
        assert sent == RECIPIENTS == len(set(server.message_ids)), (sent, len(server.received))
        size = len(server.received[0].as_bytes())

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"outbox: {RECIPIENTS} invitees, messages of {size / 1024:.0f} KiB, aiosmtpd on loopback (load {load})")
    print(f"rendered ahead after the last edit (summons and 30 saksframlegg, not timed below): {ahead_seconds:.1f} s")
    print(
        f"'Send innkalling' request (record the dispatch, enqueue): {request_seconds:.2f} s wall, "
        f"{request_cpu:.2f} s CPU  target < 0.5 s"
    )
    print(
        f"one worker (render once, queue, deliver all {RECIPIENTS} over SMTP): {delivery_seconds:.2f} s wall, "
        f"{delivery_cpu:.2f} s CPU (this process; aiosmtpd runs in a thread of it)  target < 10 s"
    )
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(bench_summons.WORK, ignore_errors=True)
