"""`manage.py invoice_run --issue` issues the way the worker issues a run ordered on the web page: an order
(InvoiceRunJob) carried out through the same service, so it validates, issues, keeps the PDFs and orders the
print bundle alike, and refuses alike (its output and exit codes: tests/billing/test_command_and_demo.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from billing import documents
from billing.models import Invoice, InvoicePdf, InvoiceRunBundle, InvoiceRunJob
from khs.models import AuditEntry


def run_command(*args) -> str:
    out = StringIO()
    call_command("invoice_run", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_issues_through_an_order_carried_out_like_the_workers(billing, treasurer, frozen, settings):
    settings.DOCUMENTS_PRERENDER = True  # as in production: the PDFs are kept right after issuing
    out = run_command("--cooperation", "HS", "--year", "2018", "--issue", "--user", "treasurer")
    assert "Utstedt 3 fakturaer HS-1–HS-3" in out
    job = InvoiceRunJob.objects.get()
    assert job.status == InvoiceRunJob.Status.ISSUED and job.requested_by == treasurer
    assert job.validated == 3 and job.run.invoice_count == 3 and job.run.issued_by == treasurer
    assert InvoicePdf.objects.filter(invoice__run=job.run).count() == 3  # kept after commit, as for the web
    assert InvoiceRunBundle.objects.get(run=job.run).status == InvoiceRunBundle.Status.READY


def test_the_command_without_a_user_is_named_in_the_audit_trail(billing, frozen):
    run_command("--cooperation", "HS", "--year", "2018", "--issue")
    job = InvoiceRunJob.objects.get()
    assert job.run.issued_by_label == "manage.py invoice_run"
    labels = AuditEntry.objects.filter(verb="invoice_run_issue").values_list("actor_label", flat=True)
    assert len(labels) == 4 and set(labels) == {"manage.py invoice_run"}  # the run and its 3 invoices


def test_the_command_is_refused_while_a_run_ordered_on_the_web_is_pending(treasurer_client, billing, frozen, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    treasurer_client.post(reverse("billing:run-issue"), {"year": 2018, "confirmed": "1"})
    with pytest.raises(CommandError, match="En fakturakjøring for 2018 pågår allerede"):
        run_command("--cooperation", "HS", "--year", "2018", "--issue")
    assert not Invoice.objects.exists()


def test_a_broken_ehf_rule_fails_the_commands_order_as_it_fails_the_workers(billing, frozen, monkeypatch):
    from billing.errors import BillingError, say

    def broken(xml, *, number):
        raise BillingError(
            say("ehf_rules_broken", number=number, rules="BR-01"),
            details=[say("ehf_rule", rule_id="BR-01", text="An Invoice shall have a Specification identifier.")],
        )

    monkeypatch.setattr(documents, "ehf_check", broken)
    with pytest.raises(CommandError) as excinfo:
        run_command("--cooperation", "HS", "--year", "2018", "--issue")
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == (
        "EHF for HS-1 bryter reglene BR-01; ingenting er utstedt. "
        "BR-01: An Invoice shall have a Specification identifier."
    )
    job = InvoiceRunJob.objects.get()
    assert job.status == InvoiceRunJob.Status.FAILED and job.failure["code"] == "ehf_rules_broken"
    assert not Invoice.objects.exists()
