"""Billing pages for the treasurer: rates, settings, the invoice run, invoices, payments, the year's summary.

Writes are POST-only function views that call one service and redirect with a message; a
BillingError is shown beside the form. Every object reached through a URL must belong to the
user's current cooperation (404 otherwise).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tasks import TaskResultStatus

from billing import documents, selectors, services
from billing.charts import bar_chart
from billing.errors import BillingError
from billing.forms import (
    BasisOverrideForm,
    BillingProfileForm,
    CreditNoteForm,
    PaymentForm,
    PaymentReverseForm,
    RateCaseForm,
    RateForm,
)
from billing.models import BasisOverride, ContributionRate, Invoice, InvoiceRun, Payment
from billing.tasks import invoice_run_send_task
from khs.lib.access import perm_required
from khs.lib.audit import audit_entries_for
from khs.lib.downloads import file_response
from khs.lib.money import format_money, format_number
from khs.mail import mail_counts, mails_for
from membership.scope import cooperation_required, get_for_cooperation_or_404

VIEW = "billing.view_invoice"


def _error(request, exc: BillingError):
    messages.error(request, str(exc))


def _ehf_warnings(request, warnings: dict) -> None:
    """The official EHF rules' warnings ({finding: [invoice numbers]}): shown, not blocking."""
    for finding, numbers in warnings.items():
        messages.warning(
            request,
            _("EHF-advarsel %(rule)s for %(numbers)s: %(text)s")
            % {"rule": finding.rule_id, "numbers": ", ".join(numbers), "text": finding.text},
        )


def _year_param(request, default: int) -> int | None:
    raw = request.GET.get("year") or request.POST.get("year")
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        return None


def _cases(cooperation):
    from meetings.models import Case

    return (
        Case.objects.filter(body__cooperation=cooperation)
        .select_related("body")
        .order_by("-year", "body__name", "number")
    )


# --- Overview and summary ----------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
@cooperation_required
def overview(request, cooperation):
    """Years with invoices: issued, paid, outstanding, overdue; and the way to a new run."""
    today = timezone.localdate()
    years = selectors.totals_per_year(cooperation, today=today)
    profile = selectors.billing_profile_for(cooperation)
    rate = selectors.rate_for_year(cooperation, today.year)
    return render(
        request,
        "billing/billing_overview.html",
        {
            "years": sorted(years.items(), reverse=True),
            "profile": profile,
            "rate": rate,
            "next_year": today.year if today.year not in years else today.year + 1,
            "runs": InvoiceRun.objects.filter(cooperation=cooperation)[:10],
        },
    )


@require_GET
@perm_required(VIEW)
@cooperation_required
def year_summary(request, cooperation, year: int):
    today = timezone.localdate()
    totals, members = selectors.year_summary(cooperation, year, today=today)
    if not members:
        raise Http404("No invoices for this year.")
    chart = bar_chart(
        [(m.municipality.name, m.totals.net) for m in members],
        title=_("Kontingent per medlem %(year)s") % {"year": year},
        value_label=lambda v: format_money(v),
    )
    return render(
        request, "billing/year_summary.html", {"year": year, "totals": totals, "members": members, "chart": chart}
    )


# --- Settings and rates -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@perm_required("billing.change_billingprofile", "billing.add_billingprofile")
@cooperation_required
def profile_edit(request, cooperation):
    profile = selectors.billing_profile_for(cooperation)
    form = BillingProfileForm.for_profile(profile, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.billing_profile_save(cooperation=cooperation, actor=request.user, **form.cleaned_data)
        except BillingError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Faktureringsoppsettet er lagret."))
            return redirect("billing:overview")
    return render(request, "billing/profile_form.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
@perm_required("billing.view_contributionrate")
@cooperation_required
def rate_list(request, cooperation):
    cases = _cases(cooperation)
    form = RateForm(data=request.POST if request.method == "POST" else None, cases=cases)
    if request.method == "POST":
        if not request.user.has_perm("billing.add_contributionrate"):
            raise PermissionDenied
        if form.is_valid():
            try:
                rate = services.rate_create(cooperation=cooperation, actor=request.user, **form.cleaned_data)
            except BillingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Ny sats kr %(rate)s fra %(date)s er registrert.")
                    % {
                        "rate": format_number(rate.per_inhabitant, decimals=2),
                        "date": rate.valid_from.strftime("%d.%m.%Y"),
                    },
                )
                if not rate.has_resolution:
                    messages.warning(request, _("Satsen mangler henvisning til vedtak."))
                return redirect("billing:rates")
    rates = (
        ContributionRate.objects.filter(cooperation=cooperation)
        .select_related("resolution_case__body")
        .annotate(invoice_count=Count("invoices"))
        .order_by("-valid_from")
    )
    return render(
        request,
        "billing/rate_list.html",
        {"rates": rates, "form": form, "case_form": RateCaseForm(cases=cases), "has_cases": cases.exists()},
    )


@require_POST
@perm_required("billing.change_contributionrate")
@cooperation_required
def rate_link_case(request, cooperation, pk: int):
    rate = get_for_cooperation_or_404(ContributionRate.objects.all(), cooperation, pk=pk)
    form = RateCaseForm(data=request.POST, cases=_cases(cooperation))
    if form.is_valid():
        try:
            services.rate_link_case(rate=rate, case=form.cleaned_data["resolution_case"], actor=request.user)
        except BillingError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Satsen er knyttet til saken."))
    else:
        messages.error(request, _("Velg en sak."))
    return redirect("billing:rates")


# --- The invoice run ----------------------------------------------------------------------------------------


def _preview_context(request, cooperation, year, pro_rata, *, override_form=None):
    today = timezone.localdate()
    context = {"year": year, "pro_rata": pro_rata, "years": range(today.year + 1, today.year - 12, -1)}
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
        run = services.invoice_run_issue(cooperation=cooperation, year=year, actor=request.user, pro_rata=pro_rata)
    except BillingError as exc:
        _error(request, exc)
        return redirect(_preview_url(year, pro_rata))
    messages.success(
        request,
        _("%(count)s fakturaer er utstedt for %(year)s (%(total)s).")
        % {"count": run.invoice_count, "year": year, "total": format_money(run.total)},
    )
    _ehf_warnings(request, run.ehf_warnings)
    return redirect("billing:run-detail", pk=run.pk)


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
        {"run": run, "invoices": invoices, "unsent": unsent, "mail_counts": mail_counts(invoices)},
    )


@require_GET
@perm_required(VIEW)
@cooperation_required
def run_pdf(request, cooperation, pk: int):
    run = get_for_cooperation_or_404(InvoiceRun.objects.all(), cooperation, pk=pk)
    invoices = list(run.invoices.select_related("cooperation", "credited_invoice").order_by("series_number"))
    pdf = documents.run_pdf(invoices, cooperation)
    return _file(pdf, "application/pdf", f"fakturaer-{cooperation.short_name}-{run.year}-{run.pk}.pdf")


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


def _file(data: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    return file_response(data, filename, content_type, inline=inline)


# --- Invoices ---------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
@cooperation_required
def invoice_list(request, cooperation):
    today = timezone.localdate()
    year = _year_param(request, None)
    status = request.GET.get("status", "")
    if status not in selectors.Status.ALL:
        status = ""
    invoices = selectors.invoice_list(cooperation, year=year, status=status, today=today)
    return render(
        request,
        "billing/invoice_list.html",
        {
            "invoices": invoices,
            "year": year,
            "status": status,
            "years": selectors.invoiced_years(cooperation),
            "statuses": [(s, selectors.status_label(s)) for s in selectors.Status.ALL],
        },
    )


def _invoice_for(cooperation, pk):
    return get_for_cooperation_or_404(
        selectors.with_balances(Invoice.objects.select_related("municipality", "credited_invoice", "run", "issued_by")),
        cooperation,
        pk=pk,
    )


def _detail(request, cooperation, pk, **forms):
    today = timezone.localdate()
    invoice = selectors.decorate([_invoice_for(cooperation, pk)], today)[0]
    credit_notes = list(invoice.credit_notes.order_by("series_number"))
    payments = list(
        invoice.payments.select_related("registered_by")
        .prefetch_related(Prefetch("reversed_by", queryset=Payment.objects.all()))
        .order_by("paid_on", "pk")
    )
    reversed_ids = {p.reverses_id for p in payments if p.reverses_id}
    context = {
        "invoice": invoice,
        "credit_notes": credit_notes,
        "payments": payments,
        "reversed_ids": reversed_ids,
        "transmissions": invoice.transmissions.select_related("sent_by").order_by("sent_at", "pk"),
        "mails": mails_for(invoice),
        "audit": audit_entries_for(invoice)[:20],
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "credit_form": forms.get("credit_form") or CreditNoteForm(),
        "reverse_form": forms.get("reverse_form") or PaymentReverseForm(),
        "can_remind": invoice.status == selectors.Status.OVERDUE and bool(invoice.buyer_email),
    }
    return render(request, "billing/invoice_detail.html", context)


@require_GET
@perm_required(VIEW)
@cooperation_required
def invoice_detail(request, cooperation, pk: int):
    return _detail(request, cooperation, pk)


@require_GET
@perm_required(VIEW)
@cooperation_required
def invoice_pdf(request, cooperation, pk: int):
    invoice = get_for_cooperation_or_404(
        Invoice.objects.select_related("cooperation", "credited_invoice"), cooperation, pk=pk
    )
    return _file(documents.invoice_pdf(invoice), "application/pdf", invoice.pdf_filename)


@require_GET
@perm_required(VIEW)
@cooperation_required
def invoice_ehf(request, cooperation, pk: int):
    invoice = get_for_cooperation_or_404(Invoice.objects.all(), cooperation, pk=pk)
    return _file(invoice.ehf_xml.encode("utf-8"), "application/xml", invoice.ehf_filename)


@require_POST
@perm_required("billing.add_transmission")
@cooperation_required
def invoice_send(request, cooperation, pk: int):
    invoice = get_for_cooperation_or_404(
        Invoice.objects.select_related("cooperation", "credited_invoice"), cooperation, pk=pk
    )
    transmission = services.invoice_send(invoice=invoice, actor=request.user)
    if transmission.ok:
        messages.success(
            request, _("%(number)s er sendt til %(to)s.") % {"number": invoice.number, "to": transmission.recipient}
        )
    else:
        messages.error(
            request,
            _("%(number)s ble ikke sendt: %(detail)s") % {"number": invoice.number, "detail": transmission.detail},
        )
    return redirect("billing:invoice-detail", pk=invoice.pk)


@require_POST
@perm_required("billing.add_transmission")
@cooperation_required
def invoice_remind(request, cooperation, pk: int):
    invoice = get_for_cooperation_or_404(Invoice.objects.select_related("cooperation"), cooperation, pk=pk)
    try:
        transmission = services.invoice_remind(invoice=invoice, actor=request.user)
    except BillingError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Betalingspåminnelse for %(number)s er sendt til %(to)s.")
            % {"number": invoice.number, "to": transmission.recipient},
        )
    return redirect("billing:invoice-detail", pk=invoice.pk)


class _DryRun(Exception):
    pass


def _credit_note_would_issue(invoice, request, form, amount) -> bool:
    """True when the credit note would be issued; otherwise its error is on the form. Nothing is kept."""
    try:
        with transaction.atomic():
            services.credit_note_issue(
                invoice=invoice, actor=request.user, reason=form.cleaned_data["reason"], amount=amount
            )
            raise _DryRun
    except _DryRun:
        return True
    except BillingError as exc:
        form.add_error(None, str(exc))
        return False


@require_POST
@perm_required("billing.add_invoice")
@cooperation_required
def credit_note_create(request, cooperation, pk: int):
    invoice = get_for_cooperation_or_404(Invoice.objects.select_related("cooperation"), cooperation, pk=pk)
    form = CreditNoteForm(data=request.POST)
    if form.is_valid():
        amount = form.cleaned_data["amount"] if form.cleaned_data["scope"] == "partial" else None
        if not request.POST.get("confirmed") and _credit_note_would_issue(invoice, request, form, amount):
            return render(
                request,
                "confirm.html",
                {
                    "heading": _("Utsted kreditnota?"),
                    "summary": _(
                        "En kreditnota på %(amount)s til %(buyer)s, mot faktura %(number)s, får nummer og "
                        "utstedes nå. Begrunnelse: %(reason)s"
                    )
                    % {
                        "amount": format_money(amount if amount is not None else invoice.net_amount),
                        "buyer": invoice.buyer_name,
                        "number": invoice.number,
                        "reason": form.cleaned_data["reason"],
                    },
                    "items": [],
                    "action": request.path,
                    "fields": [(k, v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"],
                    "button": _("Utsted kreditnota"),
                    "back": reverse("billing:invoice-detail", args=[invoice.pk]),
                },
            )
        if form.errors:
            return _detail(request, cooperation, pk, credit_form=form)
        try:
            note = services.credit_note_issue(
                invoice=invoice, actor=request.user, reason=form.cleaned_data["reason"], amount=amount
            )
        except BillingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kreditnota %(number)s er utstedt.") % {"number": note.number})
            _ehf_warnings(request, {finding: [note.number] for finding in note.ehf_warnings})
            return redirect("billing:invoice-detail", pk=note.pk)
    return _detail(request, cooperation, pk, credit_form=form)


@require_POST
@perm_required("billing.add_payment")
@cooperation_required
def payment_create(request, cooperation, pk: int):
    invoice = get_for_cooperation_or_404(Invoice.objects.all(), cooperation, pk=pk)
    form = PaymentForm(data=request.POST)
    if form.is_valid():
        try:
            services.payment_register(invoice=invoice, actor=request.user, **form.cleaned_data)
        except BillingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Innbetaling på %(amount)s er registrert på %(number)s.")
                % {"amount": format_money(form.cleaned_data["amount"]), "number": invoice.number},
            )
            return redirect("billing:invoice-detail", pk=invoice.pk)
    return _detail(request, cooperation, pk, payment_form=form)


@require_POST
@perm_required("billing.add_payment")
@cooperation_required
def payment_reverse(request, cooperation, pk: int):
    payment = get_for_cooperation_or_404(
        Payment.objects.select_related("invoice"), cooperation, path="invoice__cooperation", pk=pk
    )
    form = PaymentReverseForm(data=request.POST)
    if form.is_valid():
        try:
            services.payment_reverse(payment=payment, actor=request.user, reason=form.cleaned_data["reason"])
        except BillingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Innbetalingen er tilbakeført."))
            return redirect("billing:invoice-detail", pk=payment.invoice_id)
    return _detail(request, cooperation, payment.invoice_id, reverse_form=form)
