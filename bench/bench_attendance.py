"""Answering under load: 50 concurrent clients for 30 s on gunicorn + PostgreSQL, loopback only.

    python bench/bench_attendance.py            # from the repository root

Sets up a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/khs_bench; a database
whose name contains "bench" is dropped and created afresh), migrates it, creates a summoned meeting with 50
invitees, starts gunicorn on 127.0.0.1 at a free port with production settings (DEBUG off, persistent database
connections, mails rendered but not sent), then drives:

1. the personal answer page: every client is one invitee, who opens their link and then answers again and
   again, alternating "I will attend" / "I cannot attend" (every POST is a real change: row lock, update,
   audit entry, confirmation mail and .ics rendered), reloading the page after each answer;
2. /healthz, a minimal Django view that asks the database `SELECT 1`, as the baseline.

Prints requests per second, p50/p99 latency and the error count of each. The load generator is Python
(processes x threads, http.client), bounded in clients and time. Tune with BENCH_SECONDS, BENCH_CLIENTS,
BENCH_WORKERS (gunicorn workers) and BENCH_LOAD_PROCESSES.
"""

import http.client
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
LOAD_PROCESSES = int(os.environ.get("BENCH_LOAD_PROCESSES", "2"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khs_bench")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _environment(static_root: str) -> dict:
    """Production-like settings for the server and for this process (they must share SECRET_KEY)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khs.settings",
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "60",
        "STATIC_ROOT": static_root,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SITE_URL": f"http://{HOST}",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def _database_afresh():
    """Create the bench database (dropped first when its name says it is a bench database)."""
    import psycopg2

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and "bench" in name:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args, "-v", "0"], env=env, cwd=ROOT, check=True)


def _meeting_with_invitees(n: int) -> list[str]:
    """A summoned meeting a month ahead with n invitees; returns the path of each one's answer link."""
    from datetime import date, timedelta

    from django.utils import timezone

    from meetings.models import Invitee, Meeting
    from meetings.services.attendance import invitee_answer_token
    from membership.models import Body, Cooperation, Membership, Municipality

    now = timezone.now()
    cooperation = Cooperation.objects.create(
        name="Benkesamarbeidet", short_name=f"B{secrets.token_hex(3)}", contact_email="post@example.no"
    )
    body = Body.objects.create(
        cooperation=cooperation,
        name="Ordførermøtet",
        kind=Body.Kind.MAYORS_MEETING,
        quorum_rule=Body.QuorumRule.MAJORITY_OF_MUNICIPALITIES,
    )
    start = now + timedelta(days=30)
    meeting = Meeting.objects.create(
        body=body,
        number=1,
        title="Ordførermøte",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place_name="Rådhuset",
        registration_deadline=start - timedelta(days=7),
        status=Meeting.Status.SUMMONED,
    )
    paths = []
    for i in range(n):
        municipality = Municipality.objects.create(number=f"{3000 + i}", name=f"Kommune {i}")
        Membership.objects.create(cooperation=cooperation, municipality=municipality, starts_on=date(2012, 1, 1))
        invitee = Invitee.objects.create(
            meeting=meeting,
            name=f"Ordfører i Kommune {i}",
            municipality=municipality,
            email=f"ordforer{i}@example.no",
            role="Ordfører",
        )
        paths.append(f"/attend/{invitee_answer_token(invitee)}/")
    return paths


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            status, _body, _headers = _request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


# --- The load generator ------------------------------------------------------------------------------------


def _request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheaders()
    finally:
        connection.close()


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _answer_client(port, path, stop_at, results):
    """One invitee: open the link, then answer (alternating) and reload, until the time is up."""
    cookie, token, flip = "", "", 0
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            status, body, headers = _request(port, "GET", path, headers={"Cookie": cookie} if cookie else {})
            ok = status == 200
            match = CSRF_FIELD.search(body)
            if match:
                token = match.group(1).decode()
            for name, value in headers:
                if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                    cookie = value.split(";", 1)[0]
        except OSError:
            ok = False
        results.append(("answer GET", ok, time.perf_counter() - started))
        if not (token and cookie) or time.monotonic() >= stop_at:
            continue
        flip ^= 1
        form = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "response": "attending" if flip else "absent",
                "note": "Kommer med tog" if flip else "",
            }
        )
        started = time.perf_counter()
        try:
            status, _body, _headers = _request(
                port,
                "POST",
                path,
                body=form,
                headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
            ok = status == 302  # POST, redirect, message
        except OSError:
            ok = False
        results.append(("answer POST", ok, time.perf_counter() - started))


def _baseline_client(port, path, stop_at, results):
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            status, _body, _headers = _request(port, "GET", path)
            ok = status == 200
        except OSError:
            ok = False
        results.append(("healthz GET", ok, time.perf_counter() - started))


def _load_process(kind, port, paths, stop_at):
    """One process of the generator: a thread per client; returns (label, ok, seconds) per request."""
    results = []
    target = _answer_client if kind == "answer" else _baseline_client
    threads = [threading.Thread(target=target, args=(port, path, stop_at, results)) for path in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _drive(kind, port, paths) -> tuple[list, float]:
    stop_at_wall = time.time() + SECONDS
    chunks = [paths[i::LOAD_PROCESSES] for i in range(LOAD_PROCESSES)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(LOAD_PROCESSES) as pool:
        # monotonic clocks are per process; pass a wall-clock deadline converted in each process
        jobs = [pool.apply_async(_load_process_wall, (kind, port, chunk, stop_at_wall)) for chunk in chunks]
        results = [r for job in jobs for r in job.get(timeout=SECONDS + 60)]
    return results, time.perf_counter() - started


def _load_process_wall(kind, port, paths, stop_at_wall):
    return _load_process(kind, port, paths, time.monotonic() + max(0.0, stop_at_wall - time.time()))


def _quantile_ms(latencies, q):
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000


def _report(results, elapsed):
    rows = []
    for label in sorted({r[0] for r in results}):
        latencies = sorted(r[2] for r in results if r[0] == label)
        errors = sum(1 for r in results if r[0] == label and not r[1])
        rows.append(
            (
                label,
                len(latencies),
                len(latencies) / elapsed,
                _quantile_ms(latencies, 0.50),
                _quantile_ms(latencies, 0.99),
                errors,
            )
        )
    return rows


def main():
    if urlparse(DATABASE_URL).scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL")
    os.chdir(ROOT)
    static_root = tempfile.mkdtemp(prefix="khs-bench-static-")
    env = _environment(static_root)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    _database_afresh()
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput")
    import django

    django.setup()
    paths = _meeting_with_invitees(CLIENTS)
    from django.db import connections

    connections.close_all()
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "khs.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
            "--backlog",
            "256",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_until_up(port, server)
        print(
            f"setup {time.perf_counter() - t0:.1f} s; gunicorn {WORKERS} sync workers on {HOST}:{port}; "
            f"PostgreSQL {urlparse(DATABASE_URL).hostname}; {CLIENTS} concurrent clients x {SECONDS:.0f} s each; "
            f"{os.cpu_count()} CPUs shared by server, database and load generator "
            f"(load average {os.getloadavg()[0]:.1f} before the run)"
        )
        answer_results, answer_elapsed = _drive("answer", port, paths)
        baseline_results, baseline_elapsed = _drive("baseline", port, ["/healthz"] * CLIENTS)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(static_root, ignore_errors=True)

    from django.db.models import Count

    from khs.models import AuditEntry
    from meetings.models import Invitee

    answered = Invitee.objects.exclude(response="pending").count()
    audit = AuditEntry.objects.filter(verb="attendance_answer").aggregate(n=Count("id"))["n"]
    rows = _report(answer_results, answer_elapsed) + _report(baseline_results, baseline_elapsed)
    print(f"\n{'':<14}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for label, count, rps, p50, p99, errors in rows:
        print(f"{label:<14}{count:>10}{rps:>10.1f}{p50:>10.1f}{p99:>10.1f}{errors:>8}")
    total_answer = sum(r[1] for r in rows if r[0].startswith("answer"))
    print(f"{'answer (all)':<14}{total_answer:>10}{total_answer / answer_elapsed:>10.1f}")
    print(f"\n{answered} of {CLIENTS} invitees answered; {audit} answer changes in the audit trail")
    if any(r[5] for r in rows):
        raise SystemExit("errors under load")


if __name__ == "__main__":
    main()
