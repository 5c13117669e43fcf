"""The cast of the tests: one of each kind of user, in a cooperation of three municipalities.

- clerk: secretariat staff given the cooperation "Helsesamarbeidet" (HS)
- treasurer: treasurer given HS
- administrator: sees everything, including the admin site
- mayor: the mayor of Lier, a member municipality, who signs in with a one-time link
- outsider_mayor: the mayor of Asker, which is not a member of HS
- other_clerk: secretariat staff of another cooperation, not given HS
- anonymous visitors use the plain `client`
"""

from datetime import date

import pytest

from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER
from tests import factories as f
from tests.demo_snapshot import demo_snapshots, tables_with_rows  # noqa: F401 - demo_snapshots: a fixture
from tests.mailfaults import broken_smtp  # noqa: F401 - the fixture of mail servers that fail
from tests.migrated_once import _test_databases_migrated_once, django_db_setup  # noqa: F401 - fixtures


def pytest_collection_modifyitems(items):
    # For speed: the browser journeys are the longest files, so they go first; `--dist loadfile` hands files
    # out in this order, and the short files fill in at the end instead of one journey running alone.
    items.sort(key=lambda item: "tests/browser/" not in item.nodeid)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    # For speed: PBKDF2 costs about half a second per test user; tests do not test its strength.
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _static_files_looked_up_when_asked():
    # For speed: every test client builds the middleware again, and WhiteNoise would list and stat every static
    # file each time (pytest-django turns DEBUG, and with it autorefresh, off). Looked up per request instead,
    # as `make run` does; the live server of the browser journeys serves static/ itself.
    from django.test import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_truncates_only_tables_with_rows():
    # For speed: after each test on a live server (a transactional test) every table is emptied. On PostgreSQL a
    # TRUNCATE of all ~90 tables takes about 0.2 s however few rows there are; the tables that hold rows are
    # emptied instead (deleted from, as superuser; else truncated with CASCADE for the empty ones that refer to
    # them). Sequences are not reset in either case.
    from django.core.management.commands import flush

    real = flush.sql_flush

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        if connection.vendor != "postgresql" or reset_sequences or not tables:
            return real(style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        quote = connection.ops.quote_name
        with_rows = sorted(tables_with_rows(connection, tables))
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            superuser = cursor.fetchone()[0]
        if with_rows and superuser:
            # A DELETE of the few rows a test leaves is cheaper than a TRUNCATE, which replaces each table's files.
            # As a replica the session fires no triggers: neither the keys' checks (every table with rows is
            # emptied, so none is left pointing at a deleted row) nor the guards of the rows kept for good.
            return ["SET LOCAL session_replication_role = replica", *(f"DELETE FROM {quote(t)}" for t in with_rows)]
        return connection.ops.sql_flush(style, with_rows, reset_sequences=False, allow_cascade=True)

    flush.sql_flush = sql_flush
    yield
    flush.sql_flush = real


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_at_once():
    # Background tasks run in the process that enqueues them, after commit; worker tests start real workers.
    # The PDFs of a meeting and of issued invoices are not rendered ahead after every change (each test would
    # render them all); the first to ask renders them.
    # Tests of rendering ahead turn DOCUMENTS_PRERENDER on.
    from django.test import override_settings

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate, DOCUMENTS_PRERENDER=False):
        yield


def _code_atomic_depth(connection) -> int:
    """Atomic blocks opened by the code under test (pytest-django's own test transaction does not count)."""
    return sum(1 for block in connection.atomic_blocks if not getattr(block, "_from_testcase", False))


def commit_as_in_production(monkeypatch):
    """on_commit callbacks run when the code's outermost transaction ends, as they would in production.

    pytest-django wraps each test in a transaction that never commits, so callbacks registered by a service
    would never run; here they run when the service's own atomic block closes (and at once outside one).
    """
    from django.db import transaction

    real_exit = transaction.Atomic.__exit__

    def exit_and_commit(self, exc_type, exc_value, traceback):
        result = real_exit(self, exc_type, exc_value, traceback)
        conn = transaction.get_connection(self.using)
        if conn.in_atomic_block and _code_atomic_depth(conn) == 0 and conn.run_on_commit:
            pending, conn.run_on_commit = conn.run_on_commit, []
            for _sids, func, robust in pending:
                if robust:
                    try:
                        func()
                    except Exception:  # noqa: BLE001 - as Django does for robust callbacks
                        pass
                else:
                    func()
        return result

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_commit)
    real_on_commit = transaction.on_commit

    def on_commit(func, using=None, robust=False):
        conn = transaction.get_connection(using)
        if conn.in_atomic_block and _code_atomic_depth(conn) == 0:
            func()  # outside the code's transactions: what autocommit would do
        else:
            real_on_commit(func, using=using, robust=robust)

    monkeypatch.setattr(transaction, "on_commit", on_commit)


@pytest.fixture(autouse=True)
def _commit_as_in_production(monkeypatch):
    commit_as_in_production(monkeypatch)


@pytest.fixture(autouse=True)
def _no_mail_inside_a_transaction(monkeypatch):
    """Fails any test whose code hands a message to a mail backend inside a database transaction."""
    from django.core.mail.backends import locmem, smtp
    from django.db import connections

    for backend in (locmem.EmailBackend, smtp.EmailBackend):
        real = backend.send_messages

        def guarded(self, messages, _real=real):
            for conn in connections.all(initialized_only=True):
                assert not (conn.in_atomic_block and _code_atomic_depth(conn)), "mail sent inside a transaction"
            return _real(self, messages)

        monkeypatch.setattr(backend, "send_messages", guarded)


@pytest.fixture(autouse=True)
def _no_pdf_inside_a_transaction(monkeypatch):
    """Fails any test whose code renders a PDF (WeasyPrint, through khs.lib.pdf) inside a database transaction.

    A render takes seconds; inside a service's transaction it holds its row locks that long.
    """
    from django.db import connections
    from weasyprint import HTML

    from khs.management.commands import load_demo

    real, real_load = HTML.render, load_demo.Command.handle
    loading_demo = []  # the demo loader, a setup command and not a request, loads all in one transaction

    def guarded(self, *args, **kwargs):
        for conn in connections.all(initialized_only=True):
            inside = conn.in_atomic_block and _code_atomic_depth(conn) and not loading_demo
            assert not inside, "PDF rendered inside a transaction"
        return real(self, *args, **kwargs)

    def load(self, *args, **kwargs):
        loading_demo.append(True)
        try:
            return real_load(self, *args, **kwargs)
        finally:
            loading_demo.pop()

    monkeypatch.setattr(HTML, "render", guarded)  # the layout, which every PDF of khs.lib.pdf goes through
    monkeypatch.setattr(load_demo.Command, "handle", load)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The sign-in throttles count in the cache: each test starts with no requests counted.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _content_types_looked_up_again():
    # A demo put back from its copy (tests/demo_snapshot.py) brings the content types of the database it was
    # loaded in; once the test's rows are gone the cached ones are not the database's.
    from tests import demo_snapshot

    yield
    demo_snapshot.forget_replaced_content_types()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path, request):
    # Tests on a demo loaded once for their module (tests/demo_world.py) read the files it stored.
    shared = request.getfixturevalue("demo_loaded") if "demo_loaded" in request.fixturenames else None
    settings.MEDIA_ROOT = shared.media_root if shared else tmp_path / "media"
    settings.AXES_ENABLED = False  # enabled again in the rate-limit test


@pytest.fixture
def coop(db):
    return f.make_cooperation(name="Helsesamarbeidet", short_name="HS")


@pytest.fixture
def municipalities(coop):
    lier = f.make_municipality("0626", "Lier")
    drammen = f.make_municipality("0602", "Drammen")
    gol = f.make_municipality("0617", "Gol")
    for m in (lier, drammen, gol):
        f.make_membership(coop, m, starts_on=date(2012, 1, 1))
    return {"lier": lier, "drammen": drammen, "gol": gol}


@pytest.fixture
def clerk(coop):
    return f.make_user("clerk", role=SECRETARIAT, cooperations=[coop], first_name="Kari", last_name="Sekretær")


@pytest.fixture
def treasurer(coop):
    return f.make_user("treasurer", role=TREASURER, cooperations=[coop], first_name="Terje")


@pytest.fixture
def administrator(db):
    return f.make_user("administrator", role=ADMINISTRATOR, is_staff=True)


@pytest.fixture
def other_clerk(db):
    other = f.make_cooperation(name="Annet samarbeid", short_name="AS")
    return f.make_user("otherclerk", role=SECRETARIAT, cooperations=[other])


@pytest.fixture
def mayor(municipalities):
    person = f.make_person("Ordfører i Lier", email="ordforer@lier.example.no")
    f.make_office(person, municipality=municipalities["lier"])
    return person


@pytest.fixture
def outsider_mayor(db):
    asker = f.make_municipality("0220", "Asker")
    person = f.make_person("Ordfører i Asker", email="ordforer@asker.example.no")
    f.make_office(person, municipality=asker)
    return person


@pytest.fixture
def mayor_client(client, mayor):
    from khs.services import member_user_ensure

    client.force_login(member_user_ensure(person=mayor))
    return client


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def treasurer_client(client, treasurer):
    client.force_login(treasurer)
    return client
