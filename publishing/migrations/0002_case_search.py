"""The search index of cases, kept in step by triggers on meetings_case (see publishing/search.py).

PostgreSQL: a weighted tsvector per case in the 'norwegian' configuration behind a GIN index.
SQLite: an FTS5 virtual table. Each part runs only on its own database.
"""

from django.db import migrations

# The text of a case: its title (A; the public title where there is one, so that no one finds a case by the
# names the public title leaves out), its resolutions (the case's own and those of approved or draft minutes
# items) and proposal (B), its background and assessment (C).
PG_DOCUMENT = """
    setweight(to_tsvector('norwegian', coalesce((SELECT nullif(p.public_title, '') FROM publishing_casepublication p
        WHERE p.case_id = c.id), c.title, '')), 'A') ||
    setweight(to_tsvector('norwegian', coalesce(c.resolution, '') || ' ' || coalesce(c.proposed_resolution, '') || ' ' ||
        coalesce((SELECT string_agg(i.resolution, ' ') FROM meetings_minutesitem i WHERE i.case_id = c.id), '')), 'B') ||
    setweight(to_tsvector('norwegian', coalesce(c.background, '') || ' ' || coalesce(c.assessment, '')), 'C')
"""

PG_FORWARD = [
    # The full document lives out of line (toast_tuple_target, STORAGE EXTERNAL): the heap the GIN bitmap visits
    # stays small, and only ranking a short list reads the documents themselves.
    "CREATE TABLE publishing_case_search (case_id bigint PRIMARY KEY, document tsvector NOT NULL) "
    "WITH (toast_tuple_target = 128)",
    "ALTER TABLE publishing_case_search ALTER COLUMN document SET STORAGE EXTERNAL",
    "CREATE INDEX publishing_case_search_document_gin ON publishing_case_search USING GIN (document)",
    f"""
    CREATE FUNCTION publishing_case_search_update(case_pk bigint) RETURNS void AS $$
        INSERT INTO publishing_case_search (case_id, document)
        SELECT c.id, {PG_DOCUMENT} FROM meetings_case c WHERE c.id = case_pk
        ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document;
    $$ LANGUAGE sql
    """,
    """
    CREATE FUNCTION publishing_case_search_refresh() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'meetings_case' THEN
            PERFORM publishing_case_search_update(NEW.id);
        ELSIF NEW.case_id IS NOT NULL THEN
            PERFORM publishing_case_search_update(NEW.case_id);
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER publishing_case_search_refresh
    AFTER INSERT OR UPDATE OF title, background, assessment, proposed_resolution, resolution ON meetings_case
    FOR EACH ROW EXECUTE FUNCTION publishing_case_search_refresh()
    """,
    """
    CREATE TRIGGER publishing_case_search_refresh
    AFTER INSERT OR UPDATE OF public_title ON publishing_casepublication
    FOR EACH ROW EXECUTE FUNCTION publishing_case_search_refresh()
    """,
    """
    CREATE TRIGGER publishing_case_search_refresh
    AFTER INSERT OR UPDATE OF resolution, case_id ON meetings_minutesitem
    FOR EACH ROW EXECUTE FUNCTION publishing_case_search_refresh()
    """,
    f"INSERT INTO publishing_case_search (case_id, document) SELECT c.id, {PG_DOCUMENT} FROM meetings_case c",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS publishing_case_search_refresh ON meetings_minutesitem",
    "DROP TRIGGER IF EXISTS publishing_case_search_refresh ON publishing_casepublication",
    "DROP TRIGGER IF EXISTS publishing_case_search_refresh ON meetings_case",
    "DROP FUNCTION IF EXISTS publishing_case_search_refresh()",
    "DROP FUNCTION IF EXISTS publishing_case_search_update(bigint)",
    "DROP TABLE IF EXISTS publishing_case_search",
]

SQLITE_SELECT = (
    "SELECT c.id, coalesce((SELECT nullif(p.public_title, '') FROM publishing_casepublication p "
    "WHERE p.case_id = c.id), c.title), coalesce(c.resolution, '') || ' ' || coalesce(c.proposed_resolution, '') || ' ' || "
    "coalesce((SELECT group_concat(i.resolution, ' ') FROM meetings_minutesitem i WHERE i.case_id = c.id), ''), "
    "coalesce(c.background, '') || ' ' || coalesce(c.assessment, '') FROM meetings_case c"
)
SQLITE_INSERT = "INSERT INTO publishing_case_fts (rowid, title, resolution, body) "
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE publishing_case_fts USING fts5(title, resolution, body, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER publishing_case_fts_insert AFTER INSERT ON meetings_case BEGIN "
    f"{SQLITE_INSERT} {SQLITE_SELECT} WHERE c.id = new.id; END",
    "CREATE TRIGGER publishing_case_fts_update AFTER UPDATE ON meetings_case BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = old.id; "
    f"{SQLITE_INSERT} {SQLITE_SELECT} WHERE c.id = new.id; END",
    "CREATE TRIGGER publishing_case_fts_delete AFTER DELETE ON meetings_case BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER publishing_case_fts_item_insert AFTER INSERT ON meetings_minutesitem "
    "WHEN new.case_id IS NOT NULL BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = new.case_id; "
    f"{SQLITE_INSERT} {SQLITE_SELECT} WHERE c.id = new.case_id; END",
    "CREATE TRIGGER publishing_case_fts_item_update AFTER UPDATE ON meetings_minutesitem "
    "WHEN new.case_id IS NOT NULL BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = new.case_id; "
    f"{SQLITE_INSERT} {SQLITE_SELECT} WHERE c.id = new.case_id; END",
    "CREATE TRIGGER publishing_case_fts_publication_insert AFTER INSERT ON publishing_casepublication BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = new.case_id; "
    f"{SQLITE_INSERT} {SQLITE_SELECT} WHERE c.id = new.case_id; END",
    "CREATE TRIGGER publishing_case_fts_publication_update AFTER UPDATE ON publishing_casepublication BEGIN "
    "DELETE FROM publishing_case_fts WHERE rowid = new.case_id; "
    f"{SQLITE_INSERT} {SQLITE_SELECT} WHERE c.id = new.case_id; END",
    f"{SQLITE_INSERT} {SQLITE_SELECT}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS publishing_case_fts_insert",
    "DROP TRIGGER IF EXISTS publishing_case_fts_update",
    "DROP TRIGGER IF EXISTS publishing_case_fts_delete",
    "DROP TRIGGER IF EXISTS publishing_case_fts_item_insert",
    "DROP TRIGGER IF EXISTS publishing_case_fts_item_update",
    "DROP TRIGGER IF EXISTS publishing_case_fts_publication_insert",
    "DROP TRIGGER IF EXISTS publishing_case_fts_publication_update",
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
        ("meetings", "0002_minutes"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
