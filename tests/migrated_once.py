"""The test databases of a run are migrated once and copied for the other xdist workers.

Migrating every app into an empty database costs each worker about 5 CPU-seconds (Django renders the model states
of every migration). The first worker of a run to need its database migrates it as Django's test runner always
does, and leaves a copy: on SQLite a file made with SQLite's backup API, on PostgreSQL a database made with
`CREATE DATABASE … TEMPLATE` from its own. The other workers create their databases from that copy instead of
migrating: the same tables, rows (the migrations applied, content types, permissions and the roles' groups),
sequences and triggers. Without xdist, or when databases are kept between runs (--reuse-db), nothing changes.
"""

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from tests.run_shared import locked, run_folder


@contextlib.contextmanager
def _migrate_replaced_by(restore):
    """create_test_db's own `migrate` runs `restore` instead; every other command runs as it is."""
    from django.core import management

    real = management.call_command

    def call_command(name, *args, **options):
        if name == "migrate":
            return restore()
        return real(name, *args, **options)

    management.call_command = call_command
    try:
        yield
    finally:
        management.call_command = real


class _Copies:
    """The run's copies, in the folder its workers share; one lock and one marker file per database alias."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made = []  # PostgreSQL templates this worker made, dropped at the end

    def create_test_db(self, real, creation, *args, **kwargs):
        connection = creation.connection
        alias = connection.alias
        marker = self.folder / f"{alias}.{connection.vendor}"
        with locked(self.folder / f"{alias}.lock"):
            source = marker.read_text() if marker.exists() else ""
            if not source:
                name = real(creation, *args, **kwargs)  # migrated, as always
                marker.write_text(self._keep(connection, name))
                return name
            if connection.vendor == "sqlite":
                return self._from_file(real, creation, source, args, kwargs)
            return self._from_template(real, creation, source, args, kwargs)

    def _keep(self, connection, name) -> str:
        if connection.vendor == "sqlite":
            path = self.folder / f"{connection.alias}.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            return str(path)
        # One name for every worker of every run, so that a template left by a run that was killed is replaced.
        template = name.removesuffix("_" + os.environ.get("PYTEST_XDIST_WORKER", "")) + "_template"
        quote = connection.ops.quote_name
        connection.close()  # no session may be connected to the database a template is made from
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
            cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(name)}")
        self.made.append((connection, template))
        return template

    def _from_file(self, real, creation, path, args, kwargs):
        connection = creation.connection

        def restore():
            connection.ensure_connection()
            source = sqlite3.connect(path)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

        with _migrate_replaced_by(restore):
            return real(creation, *args, **kwargs)

    def _from_template(self, real, creation, template, args, kwargs):
        test = creation.connection.settings_dict["TEST"]
        before = test.get("TEMPLATE")
        test["TEMPLATE"] = template  # Django's PostgreSQL backend creates the database with TEMPLATE <name>
        try:
            with _migrate_replaced_by(lambda: None):
                return real(creation, *args, **kwargs)
        finally:
            test["TEMPLATE"] = before

    def drop_templates(self):
        for connection, template in self.made:
            with locked(self.folder / f"{connection.alias}.lock"):
                # A worker that asks after this migrates its own database.
                (self.folder / f"{connection.alias}.{connection.vendor}").write_text("")
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")


@pytest.fixture(scope="session")
def _test_databases_migrated_once(request, tmp_path_factory, django_db_blocker):
    if not os.environ.get("PYTEST_XDIST_WORKER") or request.config.getoption("reuse_db", False):
        yield
        return
    from django.db.backends.base.creation import BaseDatabaseCreation

    copies = _Copies(run_folder(tmp_path_factory, "migrated-databases"))
    real = BaseDatabaseCreation.create_test_db

    def create_test_db(self, *args, **kwargs):
        return copies.create_test_db(real, self, *args, **kwargs)

    BaseDatabaseCreation.create_test_db = create_test_db
    try:
        yield
    finally:
        BaseDatabaseCreation.create_test_db = real
        with django_db_blocker.unblock():
            copies.drop_templates()


@pytest.fixture(scope="session")
def django_db_setup(_test_databases_migrated_once, django_db_setup):
    """pytest-django's, with the copies above in place before it creates the databases."""
    yield
