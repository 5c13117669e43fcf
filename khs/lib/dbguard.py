"""Database triggers (PostgreSQL) that refuse UPDATE and DELETE of rows kept for good, so that no code
path, present or future, raw SQL included, can change them. Added by migrations; other databases rely
on the models' and querysets' guards alone."""

FUNCTION = """
CREATE OR REPLACE FUNCTION khs_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'khs: % rows are kept for good (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def refuse_changes(*tables):
    """A RunPython operation pair installing (and removing) the trigger on each table."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FUNCTION)  # no parameters: the % are PL/pgSQL's own placeholders
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_kept BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION khs_refuse_change()"
            )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_kept ON {table}")

    return forward, backward
