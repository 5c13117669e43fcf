"""The demo put back from its copy (tests/demo_snapshot.py) is the demo as load_demo leaves it: every row of every
table with the same keys, the same stored files, the same search index; where the database already holds
something of its own, the demo is loaded for real instead."""

from pathlib import Path

from django.db import transaction

from meetings.models import Case
from publishing.search import search_cases
from tests import factories as f
from tests.demo_snapshot import DemoSnapshots, _capture


def _files(root: Path):
    return sorted((str(p.relative_to(root)), p.read_bytes()) for p in root.rglob("*") if p.is_file())


def _in_a_rolled_back_transaction(action):
    outer = transaction.atomic()
    outer._from_testcase = True  # the test's own transaction: the loader's commits run their callbacks
    with outer:
        try:
            return action()
        finally:
            transaction.set_rollback(True)


def test_the_copy_put_back_is_the_demo_as_loaded(db, settings, tmp_path):
    snapshots = DemoSnapshots(tmp_path / "store")
    snapshots.store.mkdir()

    def load_and_read(media):
        settings.MEDIA_ROOT = media
        from_copy = snapshots.load()
        hits, total = search_cases(Case.objects.all(), "kontingent")
        return from_copy, _capture(), _files(media), total, [h.case.pk for h in hits]

    loaded = _in_a_rolled_back_transaction(lambda: load_and_read(tmp_path / "first"))
    again = _in_a_rolled_back_transaction(lambda: load_and_read(tmp_path / "second"))

    assert loaded[0] is False and again[0] is True  # loaded for real, then put back from the copy
    assert again[1] == loaded[1]  # every row of every table
    assert sum(len(rows) for rows in loaded[1].values()) > 1000
    assert again[2] == loaded[2] and len(loaded[2]) > 0  # the stored files, byte for byte
    assert again[3:] == loaded[3:] and loaded[3] > 0  # the search index found the same cases


def test_a_database_with_rows_of_its_own_gets_the_demo_loaded_for_real(db, settings, tmp_path):
    snapshots = DemoSnapshots(tmp_path / "store")
    snapshots.store.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    person = f.make_person("Ikke fra demoen", email="ikke@demo.example.no")

    assert _in_a_rolled_back_transaction(lambda: snapshots.load("only_register")) is False
    assert type(person).objects.filter(pk=person.pk).exists()
    assert list(snapshots.store.glob("*.pickle")) == []  # no copy is made of a demo loaded beside other rows
