"""Each xdist worker's test database, whether it migrated it or was given the first worker's copy (see
tests/migrated_once.py), is the database migrate makes: every migration applied, the roles' groups with their
permissions, and keys that go on from the rows migrate left."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from khs.roles import ADMINISTRATOR, SECRETARIAT, TREASURER

pytestmark = pytest.mark.django_db


def test_every_migration_on_disk_is_applied_and_nothing_is_left_to_migrate():
    loader = MigrationLoader(connection)
    assert set(loader.graph.nodes) <= loader.applied_migrations.keys()
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_the_roles_groups_and_their_permissions_are_there():
    groups = {g.name: g for g in Group.objects.filter(name__in=[SECRETARIAT, TREASURER, ADMINISTRATOR])}
    assert set(groups) == {SECRETARIAT, TREASURER, ADMINISTRATOR}
    assert groups[SECRETARIAT].permissions.filter(codename="change_meeting").exists()
    assert not groups[SECRETARIAT].permissions.filter(codename="change_municipality").exists()
    assert groups[TREASURER].permissions.filter(codename="add_invoice").exists()


def test_a_new_row_gets_a_key_after_the_ones_migrate_made():
    highest = max(Permission.objects.values_list("pk", flat=True))
    permission = Permission.objects.create(
        name="Ny tillatelse", codename="ny_tillatelse", content_type=Permission.objects.first().content_type
    )
    assert permission.pk > highest
