"""Issuing a run and building its print bundle off the request: the treasurer orders, a worker carries out.

Tasks are stored, not run (DummyBackend), so each test plays the worker by calling its half of the service.
"""

import pytest
from django.db import connection
from django.urls import reverse

from billing import documents
from billing.models import Invoice, InvoiceNumberSeries, InvoiceRun, InvoiceRunBundle, InvoiceRunJob
from billing.services import (
    invoice_run_bundle_build,
    invoice_run_bundle_order,
    invoice_run_job_carry_out,
    invoice_run_order,
)
from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from membership.models import Municipality
from tests.billing.test_concurrency import _in_threads, _require_postgres
from tests.billing.test_views import content, messages_of
from tests.khs import test_workers
from tests.khs.test_workers import BACKENDS, wait_for
from tests.smtp_server import free_port

# The real-worker fixtures of tests/khs/test_workers.py: a backend both processes share, worker processes.
backend = test_workers.backend
workers = test_workers.workers

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def stored_tasks(settings):
    settings.TASKS = DUMMY


def _order(treasurer_client):
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": 2018, "confirmed": "1"}, follow=True)
    return response, InvoiceRunJob.objects.get()


def test_ordering_a_run_returns_at_once_to_its_page_and_issues_nothing_yet(
    treasurer_client, billing, frozen, stored_tasks
):
    response, job = _order(treasurer_client)
    assert response.redirect_chain[-1][0] == reverse("billing:run-job", args=[job.pk])
    assert "Fakturaene utstedes nå" in " ".join(messages_of(response))
    assert "Venter på at arbeideren skal begynne (3 fakturaer)." in content(response)
    assert Invoice.objects.count() == 0 and InvoiceRun.objects.count() == 0
    progress = treasurer_client.get(reverse("billing:run-job-progress", args=[job.pk])).json()
    assert progress["status"] == "queued" and progress["total"] == 3 and not progress["done"]


def test_the_worker_reports_each_validated_invoice_then_issues_all_and_builds_the_bundle(
    treasurer_client, billing, frozen, stored_tasks
):
    _response, job = _order(treasurer_client)
    seen = []

    def progress(_job):
        seen.append(treasurer_client.get(reverse("billing:run-job-progress", args=[job.pk])).json()["text"])
        assert Invoice.objects.count() == 0  # validating issues nothing

    job = invoice_run_job_carry_out(job_id=job.pk, progress=progress)
    assert seen == [f"EHF laget og validert for {n} av 3 fakturaer." for n in (1, 2, 3)]
    assert job.status == InvoiceRunJob.Status.ISSUED and job.run.invoice_count == 3
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["HS-1", "HS-2", "HS-3"]
    assert AuditEntry.objects.filter(verb="invoice_run_issue", object_id=str(job.run.pk)).exists()

    page = content(treasurer_client.get(reverse("billing:run-job", args=[job.pk])))
    assert "3 av 3 fakturaer er utstedt, EHF validert." in page and "Utskriftsfilen venter på arbeideren." in page
    bundle = InvoiceRunBundle.objects.get(run=job.run)  # ordered when the run was issued
    assert invoice_run_bundle_build(bundle_id=bundle.pk).status == InvoiceRunBundle.Status.READY
    progress = treasurer_client.get(reverse("billing:run-job-progress", args=[job.pk])).json()
    assert progress["done"] and progress["bundle_ready"]
    assert progress["bundle_url"] == reverse("billing:run-pdf", args=[job.run.pk])
    pdf = treasurer_client.get(progress["bundle_url"])
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf_text(pdf.content).count("KID") >= 3 and "HS-3" in pdf_text(pdf.content)


def test_validated_ehf_is_reused_when_issuing(treasurer_client, billing, frozen, stored_tasks, monkeypatch):
    _response, job = _order(treasurer_client)
    built = []
    real = documents.ehf_xml
    monkeypatch.setattr(documents, "ehf_xml", lambda invoice: built.append(invoice.number) or real(invoice))
    invoice_run_job_carry_out(job_id=job.pk)
    assert built == ["HS-1", "HS-2", "HS-3"]  # validated once each, not again under the lock


def test_a_blocker_found_by_the_worker_fails_the_run_with_the_reason_and_issues_nothing(
    treasurer_client, billing, frozen, stored_tasks
):
    _response, job = _order(treasurer_client)
    Municipality.objects.filter(pk=billing["gol"].pk).update(org_number="")  # changed after the order
    job = invoice_run_job_carry_out(job_id=job.pk)
    assert job.status == InvoiceRunJob.Status.FAILED
    assert job.error == "Fakturakjøringen kan ikke starte før dette er rettet:"
    assert any(d.startswith("Gol: ") and "mangler organisasjonsnummer" in d for d in job.details)
    assert Invoice.objects.count() == 0 and InvoiceRun.objects.count() == 0
    assert not InvoiceNumberSeries.objects.filter(last_number__gt=0).exists()  # no number given out
    page = content(treasurer_client.get(reverse("billing:run-job", args=[job.pk])))
    assert "Kjøringen feilet, ingenting er utstedt" in page and "mangler organisasjonsnummer" in page
    assert treasurer_client.get(reverse("billing:run-job-progress", args=[job.pk])).json()["done"]
    assert invoice_run_job_carry_out(job_id=job.pk).status == InvoiceRunJob.Status.FAILED  # stays failed


def test_a_job_carried_out_twice_issues_once(treasurer_client, billing, frozen, stored_tasks):
    _response, job = _order(treasurer_client)
    first = invoice_run_job_carry_out(job_id=job.pk)
    again = invoice_run_job_carry_out(job_id=job.pk)
    assert again.status == InvoiceRunJob.Status.ISSUED and again.run_id == first.run_id
    assert Invoice.objects.count() == 3 and InvoiceRun.objects.count() == 1


def test_a_blocker_known_when_ordering_is_shown_at_once_and_nothing_is_ordered(
    treasurer_client, billing, frozen, stored_tasks
):
    Municipality.objects.filter(pk=billing["gol"].pk).update(org_number="")
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": 2018, "confirmed": "1"}, follow=True)
    assert "mangler organisasjonsnummer" in " ".join(messages_of(response))
    assert not InvoiceRunJob.objects.exists()


def test_a_bundle_is_built_once_and_a_failed_one_can_be_asked_for_again(billing, treasurer, frozen, stored_tasks):
    job = invoice_run_order(cooperation=billing["coop"], year=2018, actor=treasurer)
    run = invoice_run_job_carry_out(job_id=job.pk).run
    bundle = InvoiceRunBundle.objects.get(run=run)
    assert invoice_run_bundle_build(bundle_id=bundle.pk).status == InvoiceRunBundle.Status.READY
    name = InvoiceRunBundle.objects.get().file.name
    assert invoice_run_bundle_build(bundle_id=bundle.pk).file.name == name  # a second worker renders nothing
    assert invoice_run_bundle_order(run=run).file.name == name  # asking again keeps the ready one
    InvoiceRunBundle.objects.filter(pk=bundle.pk).update(status=InvoiceRunBundle.Status.FAILED, error="disk full")
    assert invoice_run_bundle_order(run=run).status == InvoiceRunBundle.Status.QUEUED


def test_other_cooperations_cannot_see_the_job(client, billing, treasurer, frozen, stored_tasks):
    from khs.roles import TREASURER
    from tests import factories as f

    job = invoice_run_order(cooperation=billing["coop"], year=2018, actor=treasurer)
    other = f.make_cooperation(name="Annet samarbeid", short_name="AS")
    client.force_login(f.make_user("othertreasurer", role=TREASURER, cooperations=[other]))
    assert client.get(reverse("billing:run-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("billing:run-job-progress", args=[job.pk])).status_code == 404


@pytest.mark.postgres
def test_two_workers_carrying_out_one_job_issue_it_once(transactional_db, settings):
    _require_postgres()
    from tests.billing.test_concurrency import _cooperation

    settings.TASKS = DUMMY
    coop = _cooperation(members=6, years=range(2018, 2019))
    job = invoice_run_order(cooperation=coop, year=2018, actor=None)
    results = _in_threads([lambda: invoice_run_job_carry_out(job_id=job.pk)] * 2)
    assert all(isinstance(r, InvoiceRunJob) for r in results), results
    job.refresh_from_db()
    assert job.status == InvoiceRunJob.Status.ISSUED
    assert InvoiceRun.objects.count() == 1 and Invoice.objects.filter(cooperation=coop).count() == 6
    assert connection.vendor == "postgresql"


def test_a_second_order_while_the_first_is_carried_out_is_refused_and_the_preview_points_at_it(
    treasurer_client, billing, frozen, stored_tasks
):
    _response, job = _order(treasurer_client)
    again = treasurer_client.post(reverse("billing:run-issue"), {"year": 2018, "confirmed": "1"}, follow=True)
    assert "En fakturakjøring for 2018 pågår allerede" in " ".join(messages_of(again))
    assert InvoiceRunJob.objects.count() == 1
    page = treasurer_client.get(reverse("billing:run-preview") + "?year=2018")
    assert "Fakturakjøringen for 2018 utstedes nå." in content(page)
    assert f'href="{reverse("billing:run-job", args=[job.pk])}"' in page.content.decode()
    invoice_run_job_carry_out(job_id=job.pk)
    preview = content(treasurer_client.get(reverse("billing:run-preview") + "?year=2018"))
    assert "utstedes nå" not in preview


@pytest.mark.postgres
@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_real_worker_issues_the_ordered_run_and_builds_its_bundle(
    transactional_db, backend, settings, workers, monkeypatch
):
    _require_postgres()
    from tests.billing.test_concurrency import _cooperation

    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker keeps the bundle where we read it
    coop = _cooperation(members=4, years=range(2018, 2019))
    workers(backend, free_port()).start()
    job = invoice_run_order(cooperation=coop, year=2018, actor=None)
    wait_for(lambda: InvoiceRunJob.objects.get(pk=job.pk).done, timeout=120, what="the run issued")
    job.refresh_from_db()
    assert job.status == InvoiceRunJob.Status.ISSUED, (job.error, job.details)
    assert Invoice.objects.filter(run=job.run).count() == 4
    bundle = lambda: InvoiceRunBundle.objects.filter(run=job.run).first()  # noqa: E731
    wait_for(lambda: bundle() and bundle().status == InvoiceRunBundle.Status.READY, timeout=120, what="the bundle")
    with bundle().file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert all(i.number in text for i in Invoice.objects.filter(run=job.run))
