"""The demo (load_demo) loaded once for all the tests of a module, not once per test.

Loading the demo costs seconds; the modules that read it run each test in a savepoint of one
transaction that holds the loaded demo, so every test still starts from the demo as loaded and
nothing a test does is seen by the next. The load runs as it would in production (callbacks on
commit, mail after the transaction), and the transaction is rolled back when the module ends. The first module
of a run to ask loads it; the next get its copy (tests/demo_snapshot.py).

In a module:  demo_loaded = demo_loaded_once()  and then ask for `demo_loaded` with `db` in every test of it
(a test that does not ask would still see the demo while the module's transaction is open). `make test` gives
each file to one xdist worker (`--dist loadfile`), so the module loads the demo once.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class LoadedDemo:
    media_root: Path


def demo_loaded_once(*, without_minutes: bool = False, only_register: bool = False):
    """only_register: the demo users and the register (membership.demo) only, not the meetings and invoices."""

    @pytest.fixture(scope="module")
    def demo_loaded(request, django_db_setup, django_db_blocker, tmp_path_factory, demo_snapshots):
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction
        from django.test import override_settings

        from tests.conftest import commit_as_in_production

        variant = "only_register" if only_register else "without_minutes" if without_minutes else "full"
        loaded = LoadedDemo(media_root=tmp_path_factory.mktemp("demo") / "media")
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer._from_testcase = True  # the tests' transaction, not the code's (see tests/conftest.py)
            outer.__enter__()
            try:
                with (
                    override_settings(
                        MEDIA_ROOT=loaded.media_root,
                        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                    ),
                    pytest.MonkeyPatch.context() as monkeypatch,
                ):
                    commit_as_in_production(monkeypatch)
                    demo_snapshots.load(variant)
                yield loaded
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                ContentType.objects.clear_cache()  # the tests of the module cached the copy's content types

    return demo_loaded
