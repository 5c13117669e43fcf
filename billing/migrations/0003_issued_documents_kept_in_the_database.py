"""PostgreSQL refuses UPDATE and DELETE of issued invoices and credit notes (one table) and payments
(khs/lib/dbguard.py)."""

from django.db import migrations

from khs.lib.dbguard import refuse_changes

forward, backward = refuse_changes("billing_invoice", "billing_payment")


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_bank_reference_member_reference"),
        ("khs", "0003_audit_entries_kept_in_the_database"),
    ]

    operations = [migrations.RunPython(forward, backward)]
