"""Background work of billing (Django's Tasks API): sending every unsent invoice of a run.

Rendering the PDFs of a run takes seconds; the treasurer's request only enqueues this and returns to the
run's page, which shows the mails as they go (khs/mail.py mail_counts).
"""

from django.contrib.auth import get_user_model
from django_tasks import task

from billing import services
from billing.models import InvoiceRun


@task()
def invoice_run_send_task(run_id: int, actor_id: int | None) -> dict:
    run = InvoiceRun.objects.get(pk=run_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    transmissions = services.invoice_run_send(run=run, actor=actor)
    failed = [[t.invoice.number, t.detail] for t in transmissions if not t.ok]
    return {"total": len(transmissions), "sent": len(transmissions) - len(failed), "failed": failed}
