"""Every change billing makes, one module per aggregate: settings, rates and bases (rates), invoice runs and
credit notes (invoices), sending (sending), payments (payments). `from billing import services` reaches
them all."""

from billing.services._common import _run_lock
from billing.services.invoices import credit_note_issue, invoice_run_issue, invoice_run_prepare
from billing.services.payments import payment_register, payment_reverse
from billing.services.rates import (
    basis_override_remove,
    basis_override_set,
    billing_profile_save,
    rate_create,
    rate_link_case,
)
from billing.services.runs import (
    invoice_run_bundle_build,
    invoice_run_bundle_order,
    invoice_run_job_carry_out,
    invoice_run_order,
)
from billing.services.sending import invoice_remind, invoice_run_send, invoice_send

__all__ = [
    "_run_lock",
    "basis_override_remove",
    "basis_override_set",
    "billing_profile_save",
    "credit_note_issue",
    "invoice_remind",
    "invoice_run_bundle_build",
    "invoice_run_bundle_order",
    "invoice_run_job_carry_out",
    "invoice_run_order",
    "invoice_run_issue",
    "invoice_run_prepare",
    "invoice_run_send",
    "invoice_send",
    "payment_register",
    "payment_reverse",
    "rate_create",
    "rate_link_case",
]
