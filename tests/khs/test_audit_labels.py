"""The change log says what happened in words, never a service's identifier."""

import pathlib
import re

from django.utils import translation

from khs.lib.audit import audit_log
from khs.lib.audit_labels import VERB_LABELS, verb_label

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("khs", "membership", "meetings", "billing", "publishing")
# `verb="case_update"`, `verb: str = "body_update"`, `verb="case_draft" if draft else "case_register"`
WRITTEN = re.compile(
    r'\bverb\s*(?::\s*str\s*)?=\s*"([a-z][a-z0-9_]*)"(?:\s+if\s+[^"\n]+?\s+else\s+"([a-z][a-z0-9_]*)")?'
)


def verbs_written_in_the_code() -> set[str]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                for match in WRITTEN.finditer(path.read_text(encoding="utf-8")):
                    found.update(v for v in match.groups() if v)
    return found


def test_every_verb_the_code_writes_has_a_label():
    written = verbs_written_in_the_code()
    # The scan sees the services' verbs, the conditional ones and the keyword defaults alike.
    assert {"case_update", "case_draft", "case_register", "body_update", "meeting_summon"} <= written
    missing = sorted(written - set(VERB_LABELS))
    assert missing == [], f"add a label in khs/lib/audit_labels.py for {missing}"


def test_the_table_holds_no_label_for_a_verb_nothing_writes():
    assert sorted(set(VERB_LABELS) - verbs_written_in_the_code()) == []


def test_every_label_is_translated_to_english():
    with translation.override("nb"):
        bokmal = {v: str(label) for v, label in VERB_LABELS.items()}
    with translation.override("en"):
        untranslated = [v for v, label in VERB_LABELS.items() if str(label) == bokmal[v]]
    assert untranslated == []


def test_labels_read_as_words_and_an_unknown_verb_is_still_explained():
    assert verb_label("case_update") == "Saken ble endret"
    assert verb_label("meeting_summon") == "Innkalling sendt"
    assert verb_label("something_old") == "Annen endring (something_old)"
    with translation.override("nn"):
        assert verb_label("case_update") == "Saka vart endra"


def test_the_admin_change_log_lists_and_filters_by_words(client, administrator, mayor):
    audit_log(actor=administrator, action="update", verb="case_update", obj=mayor)
    client.force_login(administrator)
    page = client.get("/admin/khs/auditentry/").content.decode()
    assert "Saken ble endret" in page and ">case_update<" not in page
    assert client.get("/admin/khs/auditentry/", {"verb": "case_update"}).status_code == 200
