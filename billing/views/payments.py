"""Payments registered by hand on an invoice, and their reversal (bank files: bank_files.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing import services
from billing.errors import BillingError
from billing.forms import PaymentForm, PaymentReverseForm
from billing.models import Invoice, Payment
from billing.views.invoices import _detail
from khs.lib.access import perm_required
from khs.lib.money import format_money
from membership.scope import cooperation_required, get_for_cooperation_or_404


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
