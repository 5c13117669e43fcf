"""A failed run job keeps what went wrong as data (a code and its parameters), worded in the reader's language
when shown; a Bokmål text stored before is kept as it is (code "text")."""

from django.db import migrations, models


def texts_to_data(apps, schema_editor):
    InvoiceRunJob = apps.get_model("billing", "InvoiceRunJob")
    for job in InvoiceRunJob.objects.exclude(error=""):
        job.failure = {
            "code": "text",
            "params": {"text": job.error},
            "details": [{"code": "text", "params": {"text": str(d)}} for d in job.details],
        }
        job.save(update_fields=["failure"])


def data_to_texts(apps, schema_editor):
    from billing.errors import Say

    InvoiceRunJob = apps.get_model("billing", "InvoiceRunJob")
    for job in InvoiceRunJob.objects.exclude(failure={}):
        job.error = str(Say.from_data(job.failure))
        job.details = [str(Say.from_data(d)) for d in job.failure.get("details", [])]
        job.save(update_fields=["error", "details"])


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_issued_invoice_pdfs_kept")]

    operations = [
        migrations.AddField(
            model_name="invoicerunjob", name="failure", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.RunPython(texts_to_data, data_to_texts),
        migrations.RemoveField(model_name="invoicerunjob", name="error"),
        migrations.RemoveField(model_name="invoicerunjob", name="details"),
    ]
