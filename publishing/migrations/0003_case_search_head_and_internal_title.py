"""The search index gains the title-and-resolution part on its own, and the internal title for staff.

PostgreSQL: beside publishing_case_search, publishing_case_search_head holds per case its `head`, the title (A) and
the resolutions and proposal (B): the part that makes a case most relevant, small enough to search for a common word
without reading every document (its own table, so that the documents stay in line in theirs). publishing_case_search
gets `staff_document`, the whole text with the internal title, only for a case whose public title replaces it;
`document` stays the public text. Each has a GIN index. The function the triggers call fills all three, and every
case is indexed again here.

SQLite: the FTS5 table is made again with a fourth column, `internal_title` (only where a public title replaces
it), which public searches leave out by a column filter.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("publishing.migrations.0002_case_search")

# The parts of a case's text, each computed once per row (see search.py for how they are searched).
PG_PARTS = """
    FROM meetings_case c,
    LATERAL (SELECT (SELECT nullif(p.public_title, '') FROM publishing_casepublication p
        WHERE p.case_id = c.id) AS public_title) pt,
    LATERAL (SELECT
        setweight(to_tsvector('norwegian', coalesce(c.resolution, '') || ' ' || coalesce(c.proposed_resolution, '')
            || ' ' || coalesce((SELECT string_agg(i.resolution, ' ') FROM meetings_minutesitem i
            WHERE i.case_id = c.id), '')), 'B') AS resolutions,
        setweight(to_tsvector('norwegian', coalesce(c.background, '') || ' ' || coalesce(c.assessment, '')), 'C')
            AS texts) v,
    LATERAL (SELECT setweight(to_tsvector('norwegian', coalesce(pt.public_title, c.title, '')), 'A') || v.resolutions
        AS head) h
"""
PG_COLUMNS = """
    c.id, h.head || v.texts,
    CASE WHEN pt.public_title IS NOT NULL
        THEN setweight(to_tsvector('norwegian', coalesce(c.title, '')), 'A') || v.resolutions || v.texts END
"""
PG_UPSERT = (
    "INSERT INTO publishing_case_search (case_id, document, staff_document) "
    f"SELECT {PG_COLUMNS} {PG_PARTS} %s "
    "ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document, staff_document = EXCLUDED.staff_document"
)
PG_UPSERT_HEAD = (
    f"INSERT INTO publishing_case_search_head (case_id, head) SELECT c.id, h.head {PG_PARTS} %s "
    "ON CONFLICT (case_id) DO UPDATE SET head = EXCLUDED.head"
)

PG_FORWARD = [
    "CREATE TABLE publishing_case_search_head (case_id bigint PRIMARY KEY, head tsvector NOT NULL)",
    "CREATE INDEX publishing_case_search_head_gin ON publishing_case_search_head USING GIN (head)",
    "ALTER TABLE publishing_case_search ADD COLUMN staff_document tsvector",
    "CREATE INDEX publishing_case_search_staff_gin ON publishing_case_search USING GIN (staff_document)",
    f"""
    CREATE OR REPLACE FUNCTION publishing_case_search_update(case_pk bigint) RETURNS void AS $$
        {PG_UPSERT % "WHERE c.id = case_pk"};
        {PG_UPSERT_HEAD % "WHERE c.id = case_pk"};
    $$ LANGUAGE sql
    """,
    PG_UPSERT % "",
    PG_UPSERT_HEAD % "",
    "ANALYZE publishing_case_search",
    "ANALYZE publishing_case_search_head",
]
PG_BACKWARD = [
    previous.PG_FORWARD[3].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"),
    "DROP INDEX IF EXISTS publishing_case_search_staff_gin",
    "ALTER TABLE publishing_case_search DROP COLUMN IF EXISTS staff_document",
    "DROP TABLE IF EXISTS publishing_case_search_head",
]

SQLITE_SELECT = (
    "SELECT c.id, coalesce((SELECT nullif(p.public_title, '') FROM publishing_casepublication p "
    "WHERE p.case_id = c.id), c.title), coalesce(c.resolution, '') || ' ' || coalesce(c.proposed_resolution, '') || ' ' || "
    "coalesce((SELECT group_concat(i.resolution, ' ') FROM meetings_minutesitem i WHERE i.case_id = c.id), ''), "
    "coalesce(c.background, '') || ' ' || coalesce(c.assessment, ''), "
    "CASE WHEN EXISTS (SELECT 1 FROM publishing_casepublication p WHERE p.case_id = c.id AND p.public_title != '') "
    "THEN c.title ELSE '' END FROM meetings_case c"
)
SQLITE_INSERT = "INSERT INTO publishing_case_fts (rowid, title, resolution, body, internal_title) "
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE publishing_case_fts USING fts5(title, resolution, body, internal_title, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_FORWARD = [
    *previous.SQLITE_BACKWARD,
    SQLITE_CREATE,
    *(
        statement.replace(previous.SQLITE_INSERT, SQLITE_INSERT).replace(previous.SQLITE_SELECT, SQLITE_SELECT)
        for statement in previous.SQLITE_FORWARD[1:]
    ),
]
SQLITE_BACKWARD = [*previous.SQLITE_BACKWARD, *previous.SQLITE_FORWARD]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_case_search"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
