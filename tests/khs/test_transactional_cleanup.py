"""A test on the live server (a transactional test) leaves an empty database to the next one, on every database:
tests/conftest.py empties only the tables that hold rows after such a test, which must still be all of them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from khs.models import AuditEntry
from membership.models import Cooperation, Membership, Municipality
from tests import factories as f


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_writes_rows_that_others_refer_to():
    coop = f.make_cooperation(name="Ryddesamarbeidet", short_name="RYDD")
    f.make_membership(coop, f.make_municipality("0301", "Oslo"))
    assert Cooperation.objects.count() == 1 and Membership.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_next_one_finds_them_gone_and_the_roles_and_permissions_back():
    assert not Cooperation.objects.exists()
    assert not Membership.objects.exists() and not Municipality.objects.exists()
    assert not AuditEntry.objects.exists()
    assert Group.objects.exists() and Permission.objects.exists() and ContentType.objects.exists()
