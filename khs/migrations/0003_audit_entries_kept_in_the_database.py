"""PostgreSQL refuses UPDATE and DELETE of audit entries (khs/lib/dbguard.py)."""

from django.db import migrations

from khs.lib.dbguard import refuse_changes

forward, backward = refuse_changes("khs_auditentry")


class Migration(migrations.Migration):
    dependencies = [("khs", "0002_outgoing_mail")]

    operations = [migrations.RunPython(forward, backward)]
