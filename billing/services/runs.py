"""Invoice runs off the treasurer's request: an ordered run (InvoiceRunJob) issued by a worker, and a run's
print bundle built by a worker and kept.

The worker first builds and validates every EHF outside any transaction, writing its progress to the job
row as it goes; then it issues the run in one transaction with the job row locked (`invoice_run_issue`:
advisory run lock, locked number series), reusing the EHF that are still the same. A job carried out
twice, or by two workers at once, issues once: the second finds the job issued under the same lock.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import documents
from billing.errors import BillingError
from billing.models import InvoiceRun, InvoiceRunBundle, InvoiceRunJob
from billing.selectors import run_job_pending
from billing.services._common import _run_lock
from billing.services.invoices import _issuable_preview, invoice_run_issue, invoice_run_prepare

logger = logging.getLogger(__name__)

# A bundle still "building" after this long lost its worker; asking again builds it anew.
BUNDLE_STALE_SECONDS = 15 * 60


def invoice_run_order(*, cooperation, year: int, actor, pro_rata=frozenset()) -> InvoiceRunJob:
    """Order a year's run: checked now (blockers are shown at once), issued by a worker after commit."""
    now = timezone.now()
    preview = _issuable_preview(cooperation, year, pro_rata, timezone.localdate(now))
    with transaction.atomic():
        _run_lock(cooperation, year)  # two treasurers ordering at once: the second waits for no one, it is refused
        if run_job_pending(cooperation, year, now=now):
            raise BillingError(
                _("En fakturakjøring for %(year)s pågår allerede. Vent til den er ferdig og prøv igjen.")
                % {"year": year}
            )
        job = InvoiceRunJob.objects.create(
            cooperation=cooperation,
            year=year,
            pro_rata=sorted(pro_rata),
            requested_at=now,
            requested_by=actor if getattr(actor, "pk", None) else None,
            to_issue=len(preview.to_issue),
        )
        from billing.tasks import invoice_run_job_task

        transaction.on_commit(lambda: invoice_run_job_task.enqueue(job.pk), robust=True)
    return job


def _set(job: InvoiceRunJob, **fields) -> None:
    """Write the job's progress at once (outside any transaction), for the run's page to show."""
    for name, value in fields.items():
        setattr(job, name, value)
    # Never over an issued job: a second worker that comes late must not mark it validating or failed.
    InvoiceRunJob.objects.filter(pk=job.pk, run__isnull=True).update(**fields)


def _fail(job: InvoiceRunJob, message: str, details=()) -> InvoiceRunJob:
    _set(job, status=InvoiceRunJob.Status.FAILED, error=message, details=list(details), finished_at=timezone.now())
    return job


def invoice_run_job_carry_out(*, job_id: int, progress=None) -> InvoiceRunJob:
    """The worker's half: validate every EHF (progress on the job row), then issue the run all at once.

    A blocker or a broken EHF rule found here marks the job failed with the reason and issues nothing.
    `progress(job)` is called after each invoice is validated.
    """
    job = InvoiceRunJob.objects.select_related("cooperation", "requested_by").get(pk=job_id)
    if job.done:
        return job
    actor = job.requested_by
    pro_rata = set(job.pro_rata)
    _set(job, status=InvoiceRunJob.Status.VALIDATING, validated=0, error="", details=[])

    def validated(done: int, total: int) -> None:
        _set(job, validated=done, to_issue=total)
        if progress:
            progress(job)

    try:
        prepared = invoice_run_prepare(
            cooperation=job.cooperation, year=job.year, pro_rata=pro_rata, actor=actor, progress=validated
        )
        _set(job, status=InvoiceRunJob.Status.ISSUING)
        with transaction.atomic():
            locked = InvoiceRunJob.objects.select_for_update().get(pk=job.pk)
            if locked.run_id:  # another worker issued it while this one validated
                return locked
            run = invoice_run_issue(
                cooperation=job.cooperation, year=job.year, actor=actor, pro_rata=pro_rata, prepared=prepared
            )
            warnings = [[f.rule_id, f.text, numbers] for f, numbers in run.ehf_warnings.items()]
            fields = dict(
                status=InvoiceRunJob.Status.ISSUED,
                run=run,
                to_issue=run.invoice_count,
                validated=run.invoice_count,
                ehf_warnings=warnings,
                finished_at=timezone.now(),
            )
            _set(job, **fields)
            transaction.on_commit(lambda: invoice_run_bundle_order(run=run), robust=True)
    except BillingError as exc:
        _fail(job, exc.message, exc.details)
        job.refresh_from_db()
    except Exception:
        logger.exception("invoice run job %s failed", job.pk)
        _fail(job, _("Kjøringen stoppet på en uventet feil; ingenting er utstedt. Prøv igjen."))
        raise
    return job


def invoice_run_bundle_order(*, run: InvoiceRun, now=None) -> InvoiceRunBundle:
    """Ask a worker for the run's print bundle; a ready or fresh one is kept, a failed or stale one asked anew."""
    now = now or timezone.now()
    with transaction.atomic():
        bundle, created = InvoiceRunBundle.objects.select_for_update().get_or_create(
            run=run, defaults={"requested_at": now}
        )
        stale = (
            bundle.status == InvoiceRunBundle.Status.BUILDING
            and bundle.started_at
            and (now - bundle.started_at).total_seconds() > BUNDLE_STALE_SECONDS
        )
        if not created and bundle.status != InvoiceRunBundle.Status.FAILED and not stale:
            return bundle
        bundle.status, bundle.error, bundle.requested_at, bundle.started_at = (
            InvoiceRunBundle.Status.QUEUED,
            "",
            now,
            None,
        )
        bundle.save(update_fields=["status", "error", "requested_at", "started_at"])
        from billing.tasks import invoice_run_bundle_task

        transaction.on_commit(lambda: invoice_run_bundle_task.enqueue(bundle.pk), robust=True)
    return bundle


def invoice_run_bundle_build(*, bundle_id: int) -> InvoiceRunBundle:
    """The worker's half: render every invoice of the run into one PDF once, and keep it in media storage.

    Only the worker that moves the bundle from queued to building renders it; a second one returns.
    """
    claimed = InvoiceRunBundle.objects.filter(pk=bundle_id, status=InvoiceRunBundle.Status.QUEUED).update(
        status=InvoiceRunBundle.Status.BUILDING, started_at=timezone.now()
    )
    bundle = InvoiceRunBundle.objects.select_related("run__cooperation").get(pk=bundle_id)
    if not claimed:
        return bundle
    run = bundle.run
    cooperation = run.cooperation
    try:
        invoices = list(run.invoices.select_related("cooperation", "credited_invoice").order_by("series_number"))
        pdf = documents.run_pdf(invoices, cooperation)
        name = f"fakturaer-{cooperation.short_name}-{run.year}-{run.pk}.pdf"
        bundle.file.save(name, ContentFile(pdf), save=False)
    except Exception as exc:
        logger.exception("print bundle of run %s failed", run.pk)
        InvoiceRunBundle.objects.filter(pk=bundle.pk).update(
            status=InvoiceRunBundle.Status.FAILED, error=str(exc)[:500]
        )
        raise
    InvoiceRunBundle.objects.filter(pk=bundle.pk).update(
        status=InvoiceRunBundle.Status.READY, file=bundle.file.name, built_at=timezone.now()
    )
    bundle.refresh_from_db()
    return bundle
