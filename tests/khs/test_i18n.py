"""The interface in three languages: Bokmål (the msgids, the default), Nynorsk and English."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ("nn", "en")


@pytest.fixture(scope="module", autouse=True)
def _compiled_messages():
    """`make test` compiles the catalogues; compile here too when a .mo is missing or stale."""
    stale = [
        lang
        for lang in TRANSLATED
        if not (mo := LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()
        or mo.stat().st_mtime < (LOCALE / lang / "LC_MESSAGES" / "django.po").stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=stale, verbosity=0)
        trans_real._translations.clear()  # let gettext load the fresh catalogues
    yield


@pytest.fixture(autouse=True)
def _back_to_default_language():
    yield
    translation.deactivate()


def choose_language(client, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_without_a_choice_the_home_page_is_in_bokmal(client):
    html = page(client, "/")
    assert '<html lang="nb">' in html
    assert "Styring av interkommunale samarbeid" in html
    assert "Ordførere og styremedlemmer" in html
    assert "Logg inn" in html


@pytest.mark.django_db
def test_choosing_english_shows_the_home_page_in_english(client):
    choose_language(client, "en")
    html = page(client, "/")
    assert '<html lang="en">' in html
    assert "<h1>Governance of intermunicipal cooperations</h1>" in html
    assert ">Sign in</a>" in html
    assert "Mayors and board members" in html
    assert "Send me a link" in html
    assert "Logg inn" not in html and "Ordførere" not in html


@pytest.mark.django_db
def test_choosing_nynorsk_shows_the_home_page_in_nynorsk(client):
    choose_language(client, "nn")
    html = page(client, "/")
    assert '<html lang="nn">' in html
    assert "Ordførarar og styremedlemmar" in html
    assert "Logg inn med brukarnamn og passord." in html
    assert "Send meg ei lenkje" in html
    assert "Ordførere og styremedlemmer" not in html


@pytest.mark.django_db
def test_the_choice_of_language_lasts_from_page_to_page(client):
    choose_language(client, "en")
    page(client, "/")
    html = page(client, "/login/link/")
    assert '<html lang="en">' in html and "Get a sign-in link" in html


def test_a_signed_in_clerk_sees_the_dashboard_in_english(clerk_client, municipalities):
    choose_language(clerk_client, "en")
    html = page(clerk_client, "/dashboard/")
    assert '<html lang="en">' in html
    assert "Overview" in html and "Members today" in html and "To the member list" in html
    assert "3 municipalities" in html
    assert "Sign out (Kari Sekretær)" in html
    assert "Oversikt" not in html and "Medlemmer i dag" not in html


def test_a_signed_in_clerk_sees_the_member_list_in_english(clerk_client, municipalities):
    choose_language(clerk_client, "en")
    html = page(clerk_client, "/members/")
    assert "<h1>Members of Helsesamarbeidet</h1>" in html
    assert "3 municipalities" in html
    assert "Download CSV" in html
    for name in ("Lier", "Drammen", "Gol"):
        assert name in html
    assert "Last ned CSV" not in html and "Medlemmer i Helsesamarbeidet" not in html


def test_the_member_list_in_nynorsk(clerk_client, municipalities):
    choose_language(clerk_client, "nn")
    html = page(clerk_client, "/members/")
    assert "<h1>Medlemmar i Helsesamarbeidet</h1>" in html
    assert "3 kommunar" in html


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("nb", "Du arbeider nå i Helsesamarbeidet."),
        ("nn", "Du arbeider no i Helsesamarbeidet."),
        ("en", "You are now working in Helsesamarbeidet."),
    ],
)
def test_a_message_with_a_placeholder_keeps_the_value_in_every_language(clerk_client, coop, code, expected):
    choose_language(clerk_client, code)
    response = clerk_client.post("/cooperation/switch/", {"cooperation": coop.pk, "next": "/dashboard/"}, follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_of_the_catalogue_is_translated_and_none_is_fuzzy(code):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (gettext) is needed: scripts/system-deps.sh installs it"
    # --check also validates that python-format placeholders match their msgid.
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip()
    match = re.fullmatch(r"(\d+) translated messages?\.", stats)
    assert match, f"not everything is translated: {stats}"
    # Sanity: the catalogue holds the whole interface, not a handful of entries.
    assert int(match.group(1)) > 1000
    assert not re.search(r"^#,.*\bfuzzy\b", po.read_text(encoding="utf-8"), re.MULTILINE)
