"""Real workers (`manage.py worker` in its own process) sending the outbox, on the database backend and on Redis:
killed half-way through 100 messages, and the database gone for a moment.

The worker shares the test database, so these run on PostgreSQL (an in-memory SQLite database cannot be
shared with another process); the Redis ones need Redis at 127.0.0.1:6379 (`.ci/run` starts it).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from khs.mail import mail_queue, make_message
from khs.models import OutgoingMail
from tests.smtp_server import free_port, smtp_server

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="the worker process shares the test database: needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


BACKENDS = [
    "database",
    pytest.param("redis", marks=pytest.mark.skipif(not redis_up(), reason="Redis is not running at 127.0.0.1:6379")),
]


def database_url(port=None) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{port or s['PORT'] or 5432}/{s['NAME']}"


def redis_url() -> str:
    # One Redis database per xdist worker, away from the development default (0).
    n = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    return f"redis://127.0.0.1:6379/{10 + n}"


@pytest.fixture
def backend(request, settings):
    """The test process enqueues on the same backend the worker process reads."""
    name = request.param
    if name == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    else:
        import redis

        redis.Redis.from_url(redis_url()).flushdb()
        settings.RQ_QUEUES = {"default": {"URL": redis_url(), "DEFAULT_TIMEOUT": 600}}
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return name


class Workers:
    def __init__(self, backend, smtp_port, db_port=None):
        self.backend, self.smtp_port, self.db_port, self.procs = backend, smtp_port, db_port, []

    def start(self) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "khs.settings",
            "DATABASE_URL": database_url(self.db_port),
            "TASKS_BACKEND": self.backend,
            "REDIS_URL": redis_url(),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "5",
            "OUTBOX_LEASE_SECONDS": "3",
            "OUTBOX_RETRY_SECONDS": "1",
            "DEBUG": "true",
        }
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group: RQ's work horse dies with it
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc, sig=signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=20)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)  # a graceful stop finishes the running task first
                    proc.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(proc)


@pytest.fixture
def workers():
    made = []

    def make(*args, **kwargs):
        made.append(Workers(*args, **kwargs))
        return made[-1]

    yield make
    for w in made:
        w.stop_all()


def queue(n: int, prefix="w") -> list[str]:
    with transaction.atomic():
        rows = [
            mail_queue(
                make_message("khs/member_link", f"person{i}@example.no", {"url": f"https://x/{i}"}, "nb"),
                kind="test",
                key=f"{prefix}:{i}",
            )
            for i in range(n)
        ]
    return [r.message["headers"]["Message-ID"] for r in rows]


def wait_for(condition, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def sent_count() -> int:
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count()


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_worker_sends_what_a_commit_queued(backend, settings, workers):
    with smtp_server() as server:
        w = workers(backend, server.port)
        w.start()
        ids = queue(5)
        wait_for(lambda: sent_count() == 5, what="5 sent")
    assert sorted(server.message_ids) == sorted(ids)


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_worker_killed_mid_way_through_100_leaves_none_sent_twice_and_none_lost(backend, settings, workers):
    with smtp_server() as server:
        server.hold_at = 50  # the 51st message hangs at RCPT: the worker is killed in the middle of it
        w = workers(backend, server.port)
        first = w.start()
        ids = queue(100)
        assert server.holding.wait(60), "the worker never reached the 51st message"
        w.kill(first)
        server.release.set()
        assert len(server.message_ids) == 50
        assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENDING).exists()  # in flight when killed

        w.start()  # after a restart, the dead worker's messages go once their lease has run out
        wait_for(lambda: sent_count() == 100, what="all 100 sent")
        received = server.message_ids
    assert len(received) == 100 and sorted(received) == sorted(ids)  # each exactly once


class Proxy:
    """A TCP forwarder to PostgreSQL that the test can cut (every connection dropped) and restore."""

    def __init__(self, target_port: int):
        self.target, self.port, self.open, self.socks = target_port, free_port(), threading.Event(), []
        self.stopped = False
        threading.Thread(target=self._serve, daemon=True).start()
        self.open.set()

    def _serve(self):
        listener = None
        while not self.stopped:
            if not self.open.is_set():
                if listener is not None:
                    listener.close()
                    listener = None
                time.sleep(0.05)
                continue
            if listener is None:
                listener = socket.socket()
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind(("127.0.0.1", self.port))
                listener.listen()
                listener.settimeout(0.1)
            try:
                client, _addr = listener.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()
        if listener is not None:
            listener.close()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.open.clear()
        for s in self.socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.socks = []

    def restore(self):
        self.open.set()


@pytest.mark.parametrize("backend", ["database"], indirect=True)
def test_the_database_gone_for_a_moment_makes_the_worker_wait_and_continue(backend, settings, workers):
    proxy = Proxy(int(connection.settings_dict["PORT"] or 5432))
    try:
        with smtp_server() as server:
            w = workers(backend, server.port, db_port=proxy.port)
            proc = w.start()
            ids = queue(3, prefix="before")
            wait_for(lambda: sent_count() == 3, what="the first 3 sent")
            proxy.cut()
            time.sleep(3)  # the worker polls a database that is not there
            ids += queue(3, prefix="during")
            proxy.restore()
            wait_for(lambda: sent_count() == 6, timeout=60, what="the 3 queued while the database was away")
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]  # it waited; it did not crash
        assert sorted(server.message_ids) == sorted(ids)
    finally:
        proxy.stopped = True
        proxy.cut()
