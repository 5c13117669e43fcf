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
from tests.mailfaults import broken_smtp  # noqa: F401 - the fixture of mail servers that fail


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    # For speed: PBKDF2 costs about half a second per test user; tests do not test its strength.
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
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
