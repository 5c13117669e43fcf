"""A member's e-mail address is their sign-in: who may change it, how often links are mailed, which
address a request comes from behind the proxy, and that staff never sign in by link."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory

from khs.models import AuditEntry
from khs.roles import SECRETARIAT
from khs.services import member_login_url
from khs.signin import client_ip
from membership.access import RegisterAccessDenied
from membership.models import Person
from membership.services import person_update
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def test_a_clerk_cannot_change_a_members_sign_in_address(clerk_client, clerk, coop, mayor):
    response = clerk_client.post(
        f"/people/{mayor.pk}/edit/", {"name": mayor.name, "email": "kapret@evil.no", "language": "nb"}
    )
    assert response.status_code == 302  # the other fields are saved; the address field is locked
    mayor.refresh_from_db()
    assert mayor.email == "ordforer@lier.example.no"
    with pytest.raises(RegisterAccessDenied):
        person_update(person=mayor, email="kapret@evil.no", actor=clerk, cooperation_id=coop.pk)
    assert Person.objects.get(pk=mayor.pk).email == "ordforer@lier.example.no"


def test_an_administrators_change_tells_the_old_address_and_is_audited(
    administrator, mayor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_update(person=mayor, email="ny@lier.example.no", actor=administrator)
    assert [m.to for m in mail.outbox] == [["ordforer@lier.example.no"]]
    assert "ny@lier.example.no" in mail.outbox[0].body
    entry = AuditEntry.objects.get(verb="person_update")
    assert entry.actor == administrator
    assert entry.changes["email"] == ["ordforer@lier.example.no", "ny@lier.example.no"]


def test_a_clerk_may_give_a_first_address(clerk, coop, municipalities):
    person = f.make_person("Ny ordfører", email="")
    f.make_office(person, municipality=municipalities["gol"])
    person_update(person=person, email="ny@gol.example.no", actor=clerk, cooperation_id=coop.pk)
    assert Person.objects.get(pk=person.pk).email == "ny@gol.example.no"


def test_sign_in_links_to_one_address_are_throttled(client, mayor, settings):
    settings.MEMBER_LINK_LIMIT_PER_ADDRESS = 3
    for _ in range(30):
        response = client.post("/login/link/", {"email": mayor.email})
        assert response.status_code in (200, 429)
    assert len(mail.outbox) == 3


def test_sign_in_link_requests_from_one_client_are_throttled(client, db, settings):
    settings.MEMBER_LINK_LIMIT_PER_CLIENT = 5
    codes = [client.post("/login/link/", {"email": f"n{i}@example.no"}).status_code for i in range(8)]
    assert codes == [200] * 5 + [429] * 3
    assert "For mange forespørsler" in client.post("/login/link/", {"email": "x@example.no"}).content.decode()


def test_the_client_address_is_read_behind_the_trusted_proxies_only(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is the client's own words
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # what our proxy saw, not what the client wrote before it


def test_lockout_behind_the_proxy_locks_the_attacker_not_everyone(client, settings, clerk):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        client.post(
            "/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )  # fmt: skip
    response = client.post(
        "/login/", {"username": "clerk", "password": "correct horse battery"}, REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )  # fmt: skip
    assert response.status_code == 302  # the clerk, from another address behind the same proxy, gets in


def _press_log_in(client, link):
    """Open the link (a page with one "Logg inn" button, issue 12) and press the button."""
    assert client.get(link).status_code == 200
    token = re.search(r"sesame=([^&\s]+)", link).group(1)
    return client.post("/login/link/auth/", {"sesame": token})


def test_broken_member_links_do_not_lock_out_members(client, settings, mayor):
    settings.AXES_ENABLED = True
    settings.SITE_URL = ""
    for _ in range(8):
        assert client.get("/login/link/auth/?sesame=broken").status_code == 403
    response = _press_log_in(client, member_login_url(person=mayor))
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_staff_never_get_sign_in_links(client, settings, coop):
    settings.SITE_URL = ""
    staff = f.make_user("linked", role=SECRETARIAT, cooperations=[coop])
    person = f.make_person("Stab med verv", email="stab@example.no", user=staff)
    client.post("/login/link/", {"email": person.email})
    assert mail.outbox == []
    url = member_login_url(person=person)  # even a link made by other means
    assert client.get(url).status_code == 403
    assert client.get("/dashboard/").status_code == 302


def test_a_members_link_still_works(client, settings, mayor):
    settings.SITE_URL = ""
    client.post("/login/link/", {"email": mayor.email})
    link = re.search(r"/login/link/auth/\S+", mail.outbox[0].body).group(0)
    assert _press_log_in(client, link).status_code == 302
    assert client.get("/dashboard/").status_code == 200
