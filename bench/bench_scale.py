"""Several machines' worth on loopback: two web servers and two workers against one PostgreSQL and one Redis.

    python bench/bench_scale.py            # from the repository root; needs PostgreSQL and Redis

Sets up a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/khs_bench_scale; a
database whose name contains "bench" is dropped and created afresh) and empties the Redis database of REDIS_URL
(default redis://127.0.0.1:6379/5). Starts an SMTP server (aiosmtpd, its own process, logging each message it
accepts), two gunicorn servers on two loopback ports and two `manage.py worker` processes on Redis (RQ), all with
production settings and real SMTP delivery. Then, at once:

1. 50 clients answer attendance for a summoned meeting (bench_attendance.py's client: open the personal link,
   answer, reload, alternating attending/absent), half of them on each web server, for BENCH_SECONDS;
   every answer queues a confirmation mail through the outbox;
2. a clerk sends the summons of another meeting to 500 invitees (one POST to the second server); the workers
   render it and deliver all 500 through the outbox.

Prints the errors (HTTP errors, mails failed; must be 0), duplicate and lost messages (a Message-ID received
twice; an outbox row whose Message-ID never arrived; must be 0), the answer throughput and p50/p99 latency, the
summons request's time and how long the workers took to deliver the 500. Tune with BENCH_SECONDS,
BENCH_CLIENTS, BENCH_INVITEES, BENCH_WEB_WORKERS (gunicorn workers per server).
"""

import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlparse

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khs_bench_scale")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_attendance as ba  # noqa: E402  (its load client, database and gunicorn helpers)

ROOT = ba.ROOT
HOST = ba.HOST
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
INVITEES = int(os.environ.get("BENCH_INVITEES", "500"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
DELIVERY_TIMEOUT = float(os.environ.get("BENCH_DELIVERY_TIMEOUT", "900"))
SUMMONS_DOMAIN = "innkalt.example.no"


# --- The SMTP server, in a process of its own --------------------------------------------------------------


def smtp_sink(port: int, log_path: str) -> None:
    """Accept every message; append {to, id, at} per recipient to log_path, one JSON line each."""
    import email

    from aiosmtpd.controller import Controller

    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - open for the process's life

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, _class=email.message.Message)
            for rcpt in envelope.rcpt_tos:
                log.write(json.dumps({"to": rcpt, "id": message["Message-ID"], "at": time.time()}) + "\n")
            return "250 Message accepted for delivery"

    controller = Controller(Sink(), hostname=HOST, port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), log.close(), os._exit(0)))
    while True:
        time.sleep(3600)


def _received(log_path: str) -> list[dict]:
    with open(log_path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- Set-up -------------------------------------------------------------------------------------------------


def _environment(static_root: str, smtp_port: int) -> dict:
    env = ba._environment(static_root)
    env.update(
        {
            "TASKS_BACKEND": "redis",
            "REDIS_URL": REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "AXES_ENABLED": "false",
            "MEDIA_ROOT": str(Path(static_root).parent / "media"),  # one store for every process (one machine)
        }
    )
    return env


def _summons_meeting(n: int):
    """A draft meeting of the attendance benchmark's body, a month ahead, with n invitees; and its clerk."""
    from datetime import timedelta

    from django.utils import timezone

    from khs.roles import SECRETARIAT
    from meetings.models import Invitee, Meeting
    from membership.models import Body
    from tests import factories as f

    body = Body.objects.get(name="Ordførermøtet")
    start = timezone.now() + timedelta(days=40)
    meeting = Meeting.objects.create(
        body=body,
        number=2,
        title="Ekstraordinært ordførermøte",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place_name="Rådhuset",
        registration_deadline=start - timedelta(days=7),
    )
    Invitee.objects.bulk_create(
        [Invitee(meeting=meeting, name=f"Innkalt {i}", email=f"innkalt{i}@{SUMMONS_DOMAIN}") for i in range(n)]
    )
    clerk = f.make_user("bench-clerk", role=SECRETARIAT, cooperations=[body.cooperation])
    return meeting, clerk


def _session_cookie(user) -> str:
    """A signed-in session for `user` in the shared database, as the login page would leave it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _send_summons(port: int, meeting_pk: int, session: str, out: dict) -> None:
    """The clerk's "Send innkalling" on the confirmation page: one POST, timed."""
    status, body, headers = ba._request(port, "GET", f"/meetings/{meeting_pk}/summons/", headers={"Cookie": session})
    token = CSRF_FIELD.search(body).group(1).decode()
    csrf = next(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    form = urlencode({"csrfmiddlewaretoken": token, "confirmed": "1", "next": ""})
    started = time.perf_counter()
    out["sent_at"] = time.time()
    status, _body, headers = ba._request(
        port,
        "POST",
        f"/meetings/{meeting_pk}/summons/send/",
        body=form,
        headers={
            "Cookie": f"{session}; {csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/",
        },
    )
    out["seconds"] = time.perf_counter() - started
    out["status"] = status
    out["location"] = dict((k.lower(), v) for k, v in headers).get("location", "")


# --- Load ---------------------------------------------------------------------------------------------------


def _load_process(pairs, stop_at_wall):
    stop_at = time.monotonic() + max(0.0, stop_at_wall - time.time())
    results = []
    threads = [threading.Thread(target=ba._answer_client, args=(port, path, stop_at, results)) for port, path in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _start(args, env, name):
    return subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(name, "w"))  # noqa: SIM115


def _stop(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    if urlparse(ba.DATABASE_URL).scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL")
    import redis

    os.chdir(ROOT)
    work = Path(tempfile.mkdtemp(prefix="khs-bench-scale-"))
    smtp_port = ba._free_port()
    env = _environment(str(work / "static"), smtp_port)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    t0 = time.perf_counter()
    redis.Redis.from_url(REDIS_URL).flushdb()  # this benchmark's own Redis database only
    ba._database_afresh()
    ba._manage(env, "migrate", "--noinput")
    ba._manage(env, "collectstatic", "--noinput")
    import django

    django.setup()
    answer_paths = ba._meeting_with_invitees(CLIENTS)
    meeting, clerk = _summons_meeting(INVITEES)
    session = _session_cookie(clerk)
    from django.db import connections

    connections.close_all()

    log_path = str(work / "smtp.jsonl")
    processes = [subprocess.Popen([sys.executable, __file__, "--smtp-sink", str(smtp_port), log_path], cwd=ROOT)]
    ports = [ba._free_port(), ba._free_port()]
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    for n, port in enumerate(ports):
        processes.append(
            _start(
                [gunicorn, "khs.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(WEB_WORKERS)]
                + ["--log-level", "warning", "--backlog", "256"],
                env,
                work / f"web{n}.log",
            )
        )
    for n in range(2):
        processes.append(_start([sys.executable, "manage.py", "worker"], env, work / f"worker{n}.log"))
    try:
        for port, server in zip(ports, processes[1:3], strict=True):
            ba._wait_until_up(port, server)
        print(
            f"setup {time.perf_counter() - t0:.1f} s; 2 gunicorn servers x {WEB_WORKERS} sync workers on ports "
            f"{ports[0]} and {ports[1]}; 2 RQ workers (Redis {REDIS_URL}); PostgreSQL {urlparse(ba.DATABASE_URL).path[1:]}; "
            f"aiosmtpd on {HOST}:{smtp_port}; {os.cpu_count()} CPUs shared by all of it and the load generator "
            f"(load average {os.getloadavg()[0]:.1f} before the run)"
        )
        pairs = [(ports[i % 2], path) for i, path in enumerate(answer_paths)]
        stop_at_wall = time.time() + SECONDS
        summons = {}
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(2) as pool:
            jobs = [pool.apply_async(_load_process, (pairs[i::2], stop_at_wall)) for i in range(2)]
            time.sleep(min(3.0, SECONDS / 4))  # the answers are flowing; now the summons goes out
            _send_summons(ports[1], meeting.pk, session, summons)
            results = [r for job in jobs for r in job.get(timeout=SECONDS + 120)]
        answer_elapsed = time.perf_counter() - started

        from khs.mail import message_id
        from khs.models import OutgoingMail

        deadline = time.monotonic() + DELIVERY_TIMEOUT
        summons_done_at = None
        while time.monotonic() < deadline:
            received = _received(log_path)
            summoned = {r["to"] for r in received if r["to"].endswith(SUMMONS_DOMAIN)}
            if summons_done_at is None and len(summoned) >= INVITEES:
                summons_done_at = max(r["at"] for r in received if r["to"].endswith(SUMMONS_DOMAIN))
            pending = OutgoingMail.objects.exclude(status__in=["sent", "failed"]).count()
            if summons_done_at and not pending:
                break
            time.sleep(1)
        drained = time.perf_counter() - started
    finally:
        _stop(processes[1:])
        _stop(processes[:1])

    received = _received(log_path)
    ids = Counter(r["id"] for r in received)
    duplicates = sum(n - 1 for n in ids.values() if n > 1)
    rows = list(OutgoingMail.objects.values_list("idempotency_key", "status", "kind"))
    expected = {message_id(key) for key, status, _kind in rows if status == "sent"}
    lost_sent = len(expected - set(ids))  # recorded as sent, never arrived
    unsettled = sum(1 for _k, status, _kind in rows if status not in ("sent", "failed"))
    failed_mail = sum(1 for _k, status, _kind in rows if status == "failed")
    summons_rows = sum(1 for _k, _s, kind in rows if kind.startswith("meetings/summons") or "summons" in kind)
    summoned = [r for r in received if r["to"].endswith(SUMMONS_DOMAIN)]
    summoned_distinct = len({r["to"] for r in summoned})
    http_errors = sum(1 for r in results if not r[1])
    summons_error = 0 if summons.get("status") == 302 and "/dispatches/" in summons.get("location", "") else 1

    print(f"\n{'answers':<14}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for label, count, rps, p50, p99, errors in ba._report(results, answer_elapsed):
        print(f"{label:<14}{count:>10}{rps:>10.1f}{p50:>10.1f}{p99:>10.1f}{errors:>8}")
    latencies = sorted(r[2] for r in results)
    print(
        f"{'all':<14}{len(results):>10}{len(results) / answer_elapsed:>10.1f}"
        f"{ba._quantile_ms(latencies, 0.5):>10.1f}{ba._quantile_ms(latencies, 0.99):>10.1f}{http_errors:>8}"
    )
    print(
        f"\nsummons to {INVITEES}: request {summons.get('seconds', 0):.2f} s (HTTP {summons.get('status')}); "
        + (
            f"all {INVITEES} delivered {summons_done_at - summons['sent_at']:.1f} s after it "
            f"({INVITEES / (summons_done_at - summons['sent_at']):.1f} messages/s, while the answers' mails went too)"
            if summons_done_at
            else f"only {summoned_distinct} of {INVITEES} delivered within {DELIVERY_TIMEOUT:.0f} s"
        )
    )
    print(
        f"mail: {len(rows)} outbox rows ({summons_rows} summons, {len(rows) - summons_rows} answer confirmations), "
        f"{len(received)} messages received; outbox drained {drained:.0f} s after the start"
    )
    errors = http_errors + summons_error + failed_mail
    lost = lost_sent + unsettled + (INVITEES - summoned_distinct)
    duplicates += len(summoned) - summoned_distinct
    print(
        f"errors {errors} (HTTP {http_errors}, summons request {summons_error}, mails failed {failed_mail}); "
        f"duplicate messages {duplicates}; lost messages {lost} (sent but not received {lost_sent}, "
        f"never settled {unsettled}, invitees without the summons {INVITEES - summoned_distinct})"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average after the run: {load}")
    shutil.rmtree(work, ignore_errors=True)
    if errors or duplicates or lost:
        raise SystemExit("errors, duplicates or lost messages")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--smtp-sink":
        smtp_sink(int(sys.argv[2]), sys.argv[3])
    else:
        main()
