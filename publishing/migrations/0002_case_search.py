"""The search index of cases, kept in step by triggers on meetings_case (see publishing/search.py).

PostgreSQL: a weighted tsvector per case in the 'norwegian' configuration behind a GIN index.
SQLite: an FTS5 virtual table. Each part runs only on its own database.
"""

from django.db import migrations

PG_DOCUMENT = """
    setweight(to_tsvector('norwegian', coalesce(c.title, '')), 'A') ||
    setweight(to_tsvector('norwegian', coalesce(c.resolution, '') || ' ' || coalesce(c.proposed_resolution, '')), 'B') ||
    setweight(to_tsvector('norwegian', coalesce(c.background, '') || ' ' || coalesce(c.assessment, '')), 'C')
"""

PG_FORWARD = [
    "CREATE TABLE publishing_case_search (case_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX publishing_case_search_document_gin ON publishing_case_search USING GIN (document)",
    f"""
    CREATE FUNCTION publishing_case_search_refresh() RETURNS trigger AS $$
    BEGIN
        INSERT INTO publishing_case_search (case_id, document)
        SELECT c.id, {PG_DOCUMENT} FROM (SELECT NEW.*) c
        ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER publishing_case_search_refresh
    AFTER INSERT OR UPDATE OF title, background, assessment, proposed_resolution, resolution ON meetings_case
    FOR EACH ROW EXECUTE FUNCTION publishing_case_search_refresh()
    """,
    f"INSERT INTO publishing_case_search (case_id, document) SELECT c.id, {PG_DOCUMENT} FROM meetings_case c",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS publishing_case_search_refresh ON meetings_case",
    "DROP FUNCTION IF EXISTS publishing_case_search_refresh()",
    "DROP TABLE IF EXISTS publishing_case_search",
]

SQLITE_ROW = (
    "new.id, new.title, coalesce(new.resolution, '') || ' ' || coalesce(new.proposed_resolution, ''), "
    "coalesce(new.background, '') || ' ' || coalesce(new.assessment, '')"
)
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE publishing_case_fts USING fts5(title, resolution, body, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER publishing_case_fts_insert AFTER INSERT ON meetings_case BEGIN "
    f"INSERT INTO publishing_case_fts (rowid, title, resolution, body) VALUES ({SQLITE_ROW}); END",
    "CREATE TRIGGER publishing_case_fts_update AFTER UPDATE ON meetings_case BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = old.id; "
    f"INSERT INTO publishing_case_fts (rowid, title, resolution, body) VALUES ({SQLITE_ROW}); END",
    "CREATE TRIGGER publishing_case_fts_delete AFTER DELETE ON meetings_case BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = old.id; END",
    "INSERT INTO publishing_case_fts (rowid, title, resolution, body) SELECT id, title, "
    "coalesce(resolution, '') || ' ' || coalesce(proposed_resolution, ''), "
    "coalesce(background, '') || ' ' || coalesce(assessment, '') FROM meetings_case",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS publishing_case_fts_insert",
    "DROP TRIGGER IF EXISTS publishing_case_fts_update",
    "DROP TRIGGER IF EXISTS publishing_case_fts_delete",
    "DROP TABLE IF EXISTS publishing_case_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
