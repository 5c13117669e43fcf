"""Bokmål is the default whatever the browser prefers, unless the user chose another or the browser asks for
Nynorsk; the Django admin follows; a favicon."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [("en-US,en;q=0.9", "nb"), ("de-DE", "nb"), ("sv-SE,en;q=0.5", "nb"), ("nn-NO,nb;q=0.8", "nn"), ("nb", "nb")],
)
def test_the_browser_language_gives_bokmal_unless_it_asks_for_nynorsk(client, accept, expected):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{expected}">' in html


@pytest.mark.django_db
def test_a_language_chosen_with_the_switcher_wins_over_the_browser(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nn-NO").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_the_admin_speaks_bokmal_to_an_english_browser(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Logg ut" in html and "Log out" not in html


@pytest.mark.django_db
def test_every_page_has_a_favicon(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.svg"
