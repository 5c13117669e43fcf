"""Invoices: the list, one invoice's page, its PDF and EHF, sending, reminding and credit notes."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing import documents, selectors, services
from billing.errors import BillingError
from billing.forms import CreditNoteForm, PaymentForm, PaymentReverseForm
from billing.models import Invoice, Payment
from billing.views._common import VIEW, _ehf_warnings, _error, _file, _year_param
from khs.lib.access import perm_required
from khs.lib.audit import audit_entries_for
from khs.lib.money import format_money
from khs.mail import mails_for
from membership.scope import cooperation_required, get_for_cooperation_or_404


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
            _ehf_warnings(request, [(f.rule_id, f.text, [note.number]) for f in note.ehf_warnings])
            return redirect("billing:invoice-detail", pk=note.pk)
    return _detail(request, cooperation, pk, credit_form=form)
