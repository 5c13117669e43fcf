"""The demo, loaded for real once per test run and each kind of it, and put back from a copy after that.

Loading the demo (load_demo) costs seconds: it parses the seeds, renders letters and runs every service. The
tests that only start from the demo (journeys, the permission sweep, the demo's own pages) ask for it through
the `demo_snapshots` fixture: the first of them in a run loads it for real, as load_demo does, and keeps a copy
of every row of every table and of every stored file; the next (in any xdist worker) gets that copy back in
its empty database, with the same keys, and its files in its MEDIA_ROOT. The copy is only used where it gives
what a load would: in a database holding nothing but what migrate leaves (content types, permissions, roles),
with an empty MEDIA_ROOT, the same SITE_URL, language, time zone, database engine and date; anywhere else the
demo is loaded for real. The tests of the loader itself (loading twice, the command) call load_demo.
"""

import copy
import hashlib
import io
import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.run_shared import locked, run_folder

# What migrate leaves in an empty database (post_migrate: content types, permissions and the roles' groups).
# They are replaced by the copy's rows, whose keys the demo's rows refer to.
MIGRATE_TABLES = ("auth_group_permissions", "auth_permission", "auth_group", "django_content_type")
VARIANTS = ("full", "without_minutes", "only_register")
_replaced = []  # content types were replaced in this process: forget the cached ones when the test ends


def forget_replaced_content_types():
    from django.contrib.contenttypes.models import ContentType

    if _replaced:
        ContentType.objects.clear_cache()
        _replaced.clear()


def _models():
    from django.apps import apps

    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def tables_with_rows(connection, tables):
    """Which of `tables` hold at least one row, in one query."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(t)})" for t in tables), tables)
        return {row[0] for row in cursor.fetchall()}


def _load(variant):
    """The demo as the tests that start from it know it (see tests/demo_world.py)."""
    from django.core.management import call_command

    from tests.meetings.summons_world import without_demo_minutes

    with pytest.MonkeyPatch.context() as monkeypatch:
        if variant == "only_register":  # the demo users and the register (membership.demo) only
            from khs.demo import demo_users_load
            from membership import demo

            demo_users_load()
            demo.load()
            return
        if variant == "without_minutes":  # before the meeting: summoned, no minutes
            without_demo_minutes(monkeypatch)
        call_command("load_demo", stdout=io.StringIO())


def _capture():
    rows = {}
    for model in _models():
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._base_manager.order_by("pk").values_list(*names)
        ]
    return rows


def _put_back(connection, rows):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import transaction

    quote = connection.ops.quote_name
    models = _models()
    with transaction.atomic(), connection.cursor() as cursor:  # the keys are checked when it commits
        for table in MIGRATE_TABLES:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for model in models:
            data = rows.get(model._meta.label)
            if not data:
                continue
            fields = model._meta.concrete_fields
            columns = ", ".join(quote(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})",
                [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in data],
            )
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    ContentType.objects.clear_cache()
    _replaced.append(True)


class DemoSnapshots:
    def __init__(self, store: Path):
        self.store = store

    def load(self, variant="full"):
        """The demo in the test database and its files in MEDIA_ROOT, as `load_demo` leaves them. Returns True when
        it came from the copy."""
        from django.conf import settings
        from django.core import mail
        from django.core.files.storage import FileSystemStorage, storages
        from django.db import connection

        assert variant in VARIANTS, variant
        media = Path(settings.MEDIA_ROOT)
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        empty = tables_with_rows(connection, tables) <= set(MIGRATE_TABLES)
        on_disk = isinstance(storages["default"], FileSystemStorage)
        if not (empty and on_disk and not (media.exists() and any(media.iterdir()))):
            _load(variant)
            return False
        key = (variant, settings.SITE_URL, settings.LANGUAGE_CODE, settings.TIME_ZONE, connection.vendor)
        name = hashlib.sha256(repr((*key, date.today().isoformat())).encode()).hexdigest()[:16]
        saved, files = self.store / f"{name}.pickle", self.store / f"{name}-media"
        with locked(self.store / f"{name}.lock"):  # one worker loads it; the others wait for its copy
            if saved.exists():
                snapshot = pickle.loads(saved.read_bytes())
                _put_back(connection, snapshot["rows"])
                if files.exists():
                    shutil.copytree(files, media, dirs_exist_ok=True)
                mail.outbox.extend(copy.copy(m) for m in snapshot["mail"])
                return True
            outbox_before = len(mail.outbox)
            _load(variant)
            sent = [copy.copy(m) for m in mail.outbox[outbox_before:]]
            for message in sent:
                message.connection = None
            if media.exists():
                shutil.copytree(media, files)
            partial = saved.with_suffix(".partial")
            partial.write_bytes(pickle.dumps({"rows": _capture(), "mail": sent}))
            partial.rename(saved)
            return False


@pytest.fixture(scope="session")
def demo_snapshots(tmp_path_factory):
    """Shared by the xdist workers of a run."""
    return DemoSnapshots(run_folder(tmp_path_factory, "demo-snapshots"))
