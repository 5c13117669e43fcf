"""Benchmark of the meetings app: drawing case numbers, and the meeting page with 60 cases and 100 invitees.

Run from the repository root: `python bench/bench_meetings.py` (a throwaway SQLite file unless DATABASE_URL is set).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="khs-bench-meetings-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{workdir}/media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khs.settings")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from khs.roles import SECRETARIAT  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    from meetings import services
    from meetings.models import Invitee
    from tests import factories as f

    coop = f.make_cooperation(name="Bench", short_name=f"B{int(time.time())}")
    clerk = f.make_user(f"bench{int(time.time())}", role=SECRETARIAT, cooperations=[coop])
    body = services.body_create(cooperation=coop, actor=clerk, name="Ordførermøtet")

    n = 200
    started = time.perf_counter()
    for i in range(n):
        services.case_register(body=body, actor=clerk, title=f"Sak {i}")
    elapsed = time.perf_counter() - started
    print(f"case_register: {n} cases in {elapsed:.2f} s, {elapsed / n * 1000:.1f} ms per case ({connection.vendor})")

    meeting = services.meeting_create(
        body=body, actor=clerk, title="Stort møte", starts_at=timezone.now() + timezone.timedelta(days=30)
    )
    for i in range(60):
        services.case_register(
            body=body,
            actor=clerk,
            title=f"Sak på møtet {i}",
            meeting=meeting,
            background="<p>" + "Tekst. " * 200 + "</p>",
        )
    Invitee.objects.bulk_create(Invitee(meeting=meeting, name=f"Invitert {i}") for i in range(100))

    client = Client()
    client.force_login(clerk)
    url = f"/meetings/{meeting.pk}/"
    assert client.get(url).status_code == 200  # and the templates are warm
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        response = client.get(url)
    elapsed = time.perf_counter() - started
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"meeting page, 60 cases and 100 invitees: {elapsed / rounds * 1000:.0f} ms per request, "
        f"{len(queries)} queries, {len(response.content) / 1024:.0f} kB"
    )


if __name__ == "__main__":
    main()
