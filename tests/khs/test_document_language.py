"""Documents are written in their body's or cooperation's language through gettext, whatever the reader's.

One translation system: every fixed word of a document is a Bokmål msgid with a pgettext context,
rendered under translation.override(document language); no module keeps a hand-written nb/nn word list.
"""

import ast
import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from khs.lib.pdf import pdf_text
from membership.models import Office
from tests import factories as f
from tests.meetings.summons_world import squash


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """A request in English leaves English active in this thread; the next test must not inherit it."""
    yield
    translation.deactivate()


ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "static", "media"}
# Words of mails only, moved to the mail helper's templates (issue 13): none are left.
MAIL_ONLY: set = set()


def _sources():
    """The project's own modules (the walk does not go into the virtualenv or the other skipped folders)."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder) / name


def _keyed_by_language(node: ast.Dict) -> bool:
    keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
    return {"nb", "nn"} <= keys


def _word_dictionaries(path: Path):
    """(top-level name, line) of every dict literal keyed by both "nb" and "nn" in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for statement in ast.walk(tree):
        for node in ast.walk(statement) if isinstance(statement, ast.Assign | ast.AnnAssign | ast.Return) else ():
            if isinstance(node, ast.Dict) and _keyed_by_language(node):
                targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
                name = next((t.id for t in targets if isinstance(t, ast.Name)), "")
                yield name, node.lineno


def test_no_module_keeps_a_bokmal_and_nynorsk_word_dictionary():
    found = {
        (str(path.relative_to(ROOT)), name, line) for path in _sources() for name, line in _word_dictionaries(path)
    }
    assert {(p, n) for p, n, _line in found} <= MAIL_ONLY, sorted(found)
    # The scan must have looked at the source (it finds dictionaries: see the next test); none are left.
    scanned = {str(path.relative_to(ROOT)) for path in _sources()}
    assert {"meetings/documents/papers.py", "meetings/documents/minutes.py"} <= scanned, "the scan missed the source"


def test_the_scan_recognises_a_word_dictionary(tmp_path):
    module = tmp_path / "words.py"
    module.write_text('WORDS = {"nb": {"place": "Sted"}, "nn": {"place": "Stad"}}\n', encoding="utf-8")
    assert list(_word_dictionaries(module)) == [("WORDS", 1)]


def _nynorsk_meeting(coop):
    body = f.make_body(coop, name="Regionrådet", language="nn")
    meeting = f.make_meeting(
        body,
        title="Regionrådsmøte",
        starts_at=f.aware(2011, 10, 24, 9, 30),
        ends_at=None,
        registration_deadline=f.aware(2011, 10, 20, 12),
    )
    f.make_case_row(
        body,
        55,
        year=2011,
        meeting=meeting,
        title="Deltaking i KHS",
        background="<p>Tekst.</p>",
        proposed_resolution="<p>Vedtak.</p>",
    )
    return meeting


def _in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/dashboard/").content.decode()


def test_a_nynorsk_body_gets_a_nynorsk_summons_while_the_clerk_works_in_english(clerk_client, coop):
    meeting = _nynorsk_meeting(coop)
    _in_english(clerk_client)
    response = clerk_client.get(f"/meetings/{meeting.pk}/summons.pdf")
    assert response.status_code == 200
    text = squash(pdf_text(response.content))
    for word in (
        "Til medlemene i regionrådet",
        "Innkalling til regionrådsmøte",
        "Tid: Måndag 24.10.2011 kl. 09.30",
        "Saksliste:",
        "Val av møteleiar og referent",
        "Godkjenning av innkalling og saksliste",
        "Saker til handsaming",
        "Sak 55/2011 Deltaking i KHS",
        "Forslag til vedtak: Vedtak.",
        "Påmelding innan 20. oktober 2011",
        "Side 1 av 1",
    ):
        assert word in text, word
    for english in ("Summons", "Time:", "Agenda", "Monday", "Page 1", "October", "Case 55"):
        assert english not in text, english


def test_the_participant_list_follows_the_body_not_the_reader(clerk_client, coop, municipalities):
    meeting = _nynorsk_meeting(coop)
    f.make_invitee(meeting, name="Ordførar i Gol", municipality=municipalities["gol"], role="Ordførar")
    meeting.status = meeting.Status.SUMMONED
    meeting.save()
    _in_english(clerk_client)
    response = clerk_client.get(f"/meetings/{meeting.pk}/attendance/participants.pdf")
    assert response.status_code == 200
    text = squash(pdf_text(response.content))
    for word in ("Deltakarliste: Regionrådsmøte", "Tid Måndag 24.10.2011", "Namn", "Underskrift", "ikkje svart"):
        assert word in text, word
    assert "Participant" not in text and "Signature" not in text


def test_invitees_of_a_nynorsk_body_get_nynorsk_roles_while_the_clerk_works_in_english(coop, municipalities):
    from meetings.services.meetings import meeting_invitees_default

    f.make_office(f.make_person("Ola Nordmann"), kind=Office.Kind.MAYOR, municipality=municipalities["lier"])
    body = f.make_body(coop, name="Regionrådet", language="nn", invite_mode="member_mayors")
    meeting = f.make_meeting(body, starts_at=f.aware(2017, 6, 15, 10))
    with translation.override("en"):
        invitees = meeting_invitees_default(meeting)
    assert {invitee.role for invitee in invitees} == {"Ordførar"}
    assert {invitee.name for invitee in invitees} == {"Ola Nordmann", "Ordførar i Drammen", "Ordførar i Gol"}


def test_the_member_list_export_follows_the_cooperation_not_the_reader(clerk_client, coop, municipalities):
    coop.language = "nn"
    coop.save()
    _in_english(clerk_client)
    response = clerk_client.get("/members/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0].startswith("Medlemmar i Helsesamarbeidet per ")
    assert rows[1][:2] == ["Kommunenummer", "Kommune"] and rows[1][4] == "Ordførar"
    assert rows[-1][0].startswith("3 kommunar")
