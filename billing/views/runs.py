"""A year's invoice run: the preview with its basis overrides, issuing, the run's page, its PDF, CSV and sending."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tasks import TaskResultStatus

from billing import documents, selectors, services
from billing.errors import BillingError
from billing.forms import BasisOverrideForm
from billing.models import BasisOverride, InvoiceRun, InvoiceRunBundle, InvoiceRunJob
from billing.tasks import invoice_run_send_task
from billing.views._common import VIEW, _ehf_warnings, _error, _file, _year_param
from khs.lib.access import perm_required
from khs.lib.money import format_money
from khs.mail import mail_counts
from membership.scope import cooperation_required, get_for_cooperation_or_404


def _preview_context(request, cooperation, year, pro_rata, *, override_form=None):
    today = timezone.localdate()
    context = {
        "year": year,
        "pro_rata": pro_rata,
        "years": range(today.year + 1, today.year - 12, -1),
        "pending_job": selectors.run_job_pending(cooperation, year, now=timezone.now()),
    }
    try:
        preview = selectors.run_preview(cooperation=cooperation, year=year, pro_rata=pro_rata, today=today)
    except BillingError as exc:
        context["error"] = str(exc)
        context["error_fix"] = exc.fix
        return context
    members = [row.municipality for row in preview.rows]
    context.update(
        preview=preview,
        override_form=override_form
        or BasisOverrideForm(initial={"year": year}, municipalities=_member_queryset(members)),
    )
    return context


def _member_queryset(municipalities):
    from membership.models import Municipality

    return Municipality.objects.filter(pk__in=[m.pk for m in municipalities]).order_by("number")


def _preview_url(year: int, pro_rata) -> str:
    return reverse("billing:run-preview") + f"?year={year}" + "".join(f"&pro_rata={p}" for p in sorted(pro_rata))


def _pro_rata(request) -> set[int]:
    values = request.POST.getlist("pro_rata") if request.method == "POST" else request.GET.getlist("pro_rata")
    return {int(v) for v in values if v.isdigit()}


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_preview(request, cooperation):
    """Preview of a year's run: members, basis, rate, amounts, totals, blockers and flags. Writes nothing."""
    year = _year_param(request, timezone.localdate().year)
    if year is None:
        messages.error(request, _("Ukjent kontingentår."))
        return redirect("billing:overview")
    return render(request, "billing/run_preview.html", _preview_context(request, cooperation, year, _pro_rata(request)))


@require_POST
@perm_required("billing.add_invoice")
@cooperation_required
def run_issue(request, cooperation):
    year = _year_param(request, 0)
    if not year:
        messages.error(request, _("Ukjent kontingentår."))
        return redirect("billing:overview")
    pro_rata = _pro_rata(request)
    if not request.POST.get("confirmed"):
        preview = _preview_context(request, cooperation, year, pro_rata).get("preview")
        if preview is not None and preview.can_issue:
            rows = preview.to_issue
            return render(
                request,
                "confirm.html",
                {
                    "heading": _("Utsted %(count)s fakturaer?") % {"count": len(rows)},
                    "summary": _(
                        "%(count)s fakturaer for %(year)s, til sammen %(total)s, får nummer og utstedes nå. "
                        "En utstedt faktura kan bare rettes med kreditnota."
                    )
                    % {"count": len(rows), "year": year, "total": format_money(preview.to_issue_total)},
                    "items": [f"{r.municipality.name}: {format_money(r.amount)}" for r in rows],
                    "action": request.path,
                    "fields": [("year", year)] + [("pro_rata", p) for p in sorted(pro_rata)],
                    "button": _("Utsted %(count)s fakturaer") % {"count": len(rows)},
                    "back": _preview_url(year, pro_rata),
                },
            )
    try:
        job = services.invoice_run_order(cooperation=cooperation, year=year, actor=request.user, pro_rata=pro_rata)
    except BillingError as exc:
        _error(request, exc)
        return redirect(_preview_url(year, pro_rata))
    job.refresh_from_db()  # tasks that run where they are enqueued have carried it out already
    if job.status == InvoiceRunJob.Status.FAILED:
        failure, details = job.failure_says()
        messages.error(request, " ".join([str(failure or ""), "; ".join(map(str, details))]).strip())
        return redirect(_preview_url(year, pro_rata))
    if job.status != InvoiceRunJob.Status.ISSUED:
        messages.info(request, _("Fakturaene utstedes nå. Siden viser hvor langt det har kommet."))
        return redirect("billing:run-job", pk=job.pk)
    run = job.run
    messages.success(
        request,
        _("%(count)s fakturaer er utstedt for %(year)s (%(total)s).")
        % {"count": run.invoice_count, "year": year, "total": format_money(run.total)},
    )
    _ehf_warnings(request, job.ehf_warnings)
    return redirect("billing:run-detail", pk=run.pk)


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_job(request, cooperation, pk: int):
    """An ordered run while the worker validates and issues it, then its outcome and print bundle."""
    job = get_for_cooperation_or_404(InvoiceRunJob.objects.select_related("run"), cooperation, pk=pk)
    return render(request, "billing/run_job.html", {"job": job, "progress": selectors.run_progress(job=job)})


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_job_progress(request, cooperation, pk: int):
    """What the ordered run's page polls while the worker works."""
    job = get_for_cooperation_or_404(InvoiceRunJob.objects.select_related("run"), cooperation, pk=pk)
    return JsonResponse(_progress_json(selectors.run_progress(job=job)))


def _progress_json(progress: dict) -> dict:
    run_id = progress["run_id"]
    return progress | {
        "run_url": reverse("billing:run-detail", args=[run_id]) if run_id else "",
        "bundle_url": reverse("billing:run-pdf", args=[run_id]) if run_id else "",
    }


@require_POST
@perm_required("billing.add_basisoverride")
@cooperation_required
def override_set(request, cooperation):
    year = _year_param(request, 0) or 0
    preview_ctx = _preview_context(request, cooperation, year, _pro_rata(request)) if year else {}
    members = [row.municipality for row in preview_ctx["preview"].rows] if "preview" in preview_ctx else []
    form = BasisOverrideForm(data=request.POST, municipalities=_member_queryset(members))
    if form.is_valid():
        try:
            services.basis_override_set(cooperation=cooperation, actor=request.user, **form.cleaned_data)
        except BillingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Grunnlaget for %(name)s er satt.") % {"name": form.cleaned_data["municipality"].name}
            )
            return redirect(_preview_url(year, _pro_rata(request)))
    if "preview" not in preview_ctx:
        messages.error(request, preview_ctx.get("error") or _("Ukjent kontingentår."))
        return redirect("billing:overview")
    preview_ctx["override_form"] = form
    return render(request, "billing/run_preview.html", preview_ctx)


@require_POST
@perm_required("billing.delete_basisoverride")
@cooperation_required
def override_remove(request, cooperation, pk: int):
    override = get_for_cooperation_or_404(BasisOverride.objects.select_related("municipality"), cooperation, pk=pk)
    year = override.year
    services.basis_override_remove(override=override, actor=request.user)
    messages.success(
        request, _("%(name)s faktureres igjen på offisielt innbyggertall.") % {"name": override.municipality.name}
    )
    return redirect(_preview_url(year, _pro_rata(request)))


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_detail(request, cooperation, pk: int):
    run = get_for_cooperation_or_404(InvoiceRun.objects.select_related("issued_by"), cooperation, pk=pk)
    invoices, unsent = selectors.run_invoices(run, today=timezone.localdate())
    return render(
        request,
        "billing/run_detail.html",
        {
            "run": run,
            "invoices": invoices,
            "unsent": unsent,
            "mail_counts": mail_counts(invoices),
            "progress": selectors.run_progress(run=run),
        },
    )


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_pdf(request, cooperation, pk: int):
    """The run's print bundle as the worker built it; until it is ready, back to the run's page."""
    run = get_for_cooperation_or_404(InvoiceRun.objects.all(), cooperation, pk=pk)
    bundle = InvoiceRunBundle.objects.filter(run=run, status=InvoiceRunBundle.Status.READY).first()
    if bundle is None:
        messages.info(request, _("Utskriftsfilen er ikke klar ennå."))
        return redirect("billing:run-detail", pk=run.pk)
    with bundle.file.open("rb") as stored:
        data = stored.read()
    return _file(data, "application/pdf", f"fakturaer-{cooperation.short_name}-{run.year}-{run.pk}.pdf")


@require_POST
@perm_required(VIEW)
@cooperation_required
def run_bundle(request, cooperation, pk: int):
    """Ask a worker for the run's print bundle (again, when it failed)."""
    run = get_for_cooperation_or_404(InvoiceRun.objects.all(), cooperation, pk=pk)
    services.invoice_run_bundle_order(run=run)
    messages.info(request, _("Utskriftsfilen lages. Siden viser når den er klar."))
    return redirect("billing:run-detail", pk=run.pk)


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_progress_json(request, cooperation, pk: int):
    """What the run's page polls while its print bundle is built."""
    run = get_for_cooperation_or_404(InvoiceRun.objects.all(), cooperation, pk=pk)
    return JsonResponse(_progress_json(selectors.run_progress(run=run)))


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_csv(request, cooperation, pk: int):
    run = get_for_cooperation_or_404(InvoiceRun.objects.all(), cooperation, pk=pk)
    invoices = run.invoices.select_related("municipality", "credited_invoice").order_by("series_number")
    return _file(
        documents.invoices_csv(invoices).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"fakturaer-{cooperation.short_name}-{run.year}-{run.pk}.csv",
    )


@require_POST
@perm_required("billing.add_transmission")
@cooperation_required
def run_send(request, cooperation, pk: int):
    run = get_for_cooperation_or_404(InvoiceRun.objects.all(), cooperation, pk=pk)
    result = invoice_run_send_task.enqueue(run.pk, request.user.pk)
    if result.status != TaskResultStatus.SUCCESSFUL:  # a worker renders and sends: the run's page follows it
        messages.info(request, _("Fakturaene lages og sendes nå. Siden viser hvor langt det har kommet."))
        return redirect("billing:run-detail", pk=run.pk)
    outcome = result.return_value
    if outcome["sent"]:
        messages.success(request, _("%(count)s fakturaer er sendt.") % {"count": outcome["sent"]})
    for number, detail in outcome["failed"]:
        messages.error(request, _("%(number)s ble ikke sendt: %(detail)s") % {"number": number, "detail": detail})
    if not outcome["total"]:
        messages.info(request, _("Alle fakturaene i kjøringen er allerede sendt."))
    return redirect("billing:run-detail", pk=run.pk)
