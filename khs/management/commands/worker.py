"""Run a background worker for the configured task backend (TASKS_BACKEND): `manage.py worker`.

database: django-tasks-db's worker loop, restarted after the database went away (it waits, it does not
crash-loop). redis: RQ's worker with the job class of django-tasks-rq and its scheduler (for retries).
Each worker first enqueues an outbox sweep, so mail left by a worker that died is sent after its lease.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError
from django.utils.crypto import get_random_string

from khs import outbox
from khs.tasks import outbox_send

logger = logging.getLogger("khs.outbox")


class Command(BaseCommand):
    help = "Run a background worker (database or Redis, as TASKS_BACKEND says)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls (database).")
        parser.add_argument("--worker-id", default="", help="Unique name of this worker (database).")
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then stop.")

    def handle(self, *, interval, worker_id, burst, verbosity, **options):
        self._sweep()
        if settings.TASKS_BACKEND == "redis":
            args = ["--job-class", "django_tasks_rq.Job", "--with-scheduler"]
            if burst:
                args.append("--burst")
            call_command("rqworker", "default", *args, verbosity=verbosity)
            return
        if settings.TASKS_BACKEND != "database":
            self.stderr.write(f"TASKS_BACKEND={settings.TASKS_BACKEND}: tasks run where they are enqueued.")
            return
        from django_tasks_db.management.commands.db_worker import Worker

        worker_id = worker_id or get_random_string(32)
        while True:
            worker = Worker(
                queue_names=["default"],
                interval=interval,
                batch=burst,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            worker.configure_signals()
            try:
                worker.run()
                return
            except (OperationalError, InterfaceError):
                logger.warning("database unreachable; the worker waits for it", exc_info=verbosity > 1)
                outbox.wait_for_database()
                time.sleep(interval)

    def _sweep(self):
        for _attempt in range(120):
            try:
                outbox_send.enqueue(sweep=True)
                return
            except (OperationalError, InterfaceError):
                outbox.wait_for_database()
            except Exception:  # noqa: BLE001 - a broker not up yet: the worker itself will say so
                logger.warning("could not enqueue the outbox sweep", exc_info=True)
                return
