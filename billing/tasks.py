"""Background work of billing (Django's Tasks API): issuing an ordered run, building a run's print bundle,
sending every unsent invoice of a run.

Each takes seconds; the treasurer's request only enqueues and returns to the run's page, which follows the
work (billing/selectors.py run_progress; khs/mail.py mail_counts for the mails).
"""

from django.contrib.auth import get_user_model
from django_tasks import task

from billing import services
from billing.models import InvoiceRun
from billing.services.runs import invoice_run_bundle_build, invoice_run_job_carry_out


@task()
def invoice_run_job_task(job_id: int) -> str:
    """Validate and issue an ordered run (all or nothing); then the bundle is ordered."""
    return invoice_run_job_carry_out(job_id=job_id).status


@task()
def invoice_run_bundle_task(bundle_id: int) -> str:
    return invoice_run_bundle_build(bundle_id=bundle_id).status


@task()
def invoice_run_send_task(run_id: int, actor_id: int | None) -> dict:
    run = InvoiceRun.objects.get(pk=run_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    transmissions = services.invoice_run_send(run=run, actor=actor)
    failed = [[t.invoice.number, t.detail] for t in transmissions if not t.ok]
    return {"total": len(transmissions), "sent": len(transmissions) - len(failed), "failed": failed}
