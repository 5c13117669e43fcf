"""Members sign in with a one-time link sent to their e-mail address."""

import re

from django.core import mail

from khs.models import AuditEntry


def _link_from(message):
    return re.search(r"https?://\S+", message.body).group(0)


def test_member_gets_a_sign_in_link_by_mail(client, mayor):
    response = client.post("/login/link/", {"email": "ORDFORER@lier.example.no"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ordforer@lier.example.no"]
    assert "/login/link/auth/?sesame=" in mail.outbox[0].body
    assert AuditEntry.objects.filter(verb="member_login_link").exists()


def test_link_signs_the_member_in_once(client, mayor, settings):
    settings.SITE_URL = ""
    client.post("/login/link/", {"email": mayor.email})
    link = (
        _link_from(mail.outbox[0])
        if "://" in mail.outbox[0].body
        else re.search(r"/login/link/auth/\S+", mail.outbox[0].body).group(0)
    )
    response = client.get(link)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.logout()
    second = client.get(link)
    assert second.status_code == 403  # a used link does not work again
    assert client.get("/dashboard/").status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post("/login/link/", {"email": "nobody@example.no"})
    assert response.status_code == 200
    assert "Hvis nobody@example.no er registrert" in response.content.decode()
    assert mail.outbox == []


def test_malformed_address_is_shown_next_to_the_field(client, db):
    response = client.post("/login/link/", {"email": "not-an-address"})
    assert "Oppgi en gyldig e-postadresse" in response.content.decode()
    assert mail.outbox == []
