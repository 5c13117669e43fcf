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
    # Opening the link shows one "Logg inn" button (issue 12); pressing it signs in.
    opened = client.get(link)
    assert opened.status_code == 200 and client.get("/dashboard/").status_code == 302
    token = re.search(r'name="sesame" value="([^"]+)"', opened.content.decode()).group(1)
    response = client.post("/login/link/auth/", {"sesame": token})
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


def test_opening_the_link_many_times_does_not_use_it_up(client, mayor):
    """A mail scanner opens every link: only the button press signs in and uses the link."""
    client.post("/login/link/", {"email": mayor.email})
    link = _link_from(mail.outbox[0])
    for _ in range(3):
        page = client.get(link)
        assert page.status_code == 200 and page.content.decode().count('type="submit"') >= 1
        assert "Logg inn" in page.content.decode()
    token = re.search(r'name="sesame" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post("/login/link/auth/", {"sesame": token}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_a_used_link_says_so_and_offers_a_new_one(client, mayor):
    client.post("/login/link/", {"email": mayor.email})
    link = _link_from(mail.outbox[0])
    token = link.split("sesame=")[1]
    client.post("/login/link/auth/", {"sesame": token})
    client.logout()
    for response in (client.get(link), client.post("/login/link/auth/", {"sesame": token}), client.get(link[:-3])):
        html = response.content.decode()
        assert response.status_code == 403
        assert "Lenken virker ikke lenger" in html and "allerede brukt eller har gått ut" in html
        assert 'action="/login/link/"' in html and "Send ny lenke" in html
        assert "Ingen tilgang" not in html


def test_the_sign_in_mail_names_the_cooperation(client, mayor, coop):
    client.post("/login/link/", {"email": mayor.email})
    assert mail.outbox[0].subject == f"Innloggingslenke til {coop.name}"
