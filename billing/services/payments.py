"""Payments registered against invoices, and their reversals (a new row, never an edit)."""

from datetime import date, timedelta
from decimal import InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.errors import BillingError
from billing.models import (
    Invoice,
    Payment,
)
from billing.selectors import (
    outstanding,
    with_balances,
)
from khs.lib.audit import acting_user, audit_log
from khs.lib.money import format_money, round_money

# --- Payments ----------------------------------------------------------------------------------------------


@transaction.atomic
def payment_register(
    *, invoice: Invoice, actor, paid_on: date, amount, note: str = "", bank_reference: str = ""
) -> Payment:
    """Register money received (a partial payment is fine; more than is owed is refused).

    `bank_reference` is the bank's reference of an imported payment (unique: never registered twice).
    """
    if invoice.is_credit_note:
        raise BillingError(_("Innbetalinger registreres på fakturaer, ikke på kreditnotaer."))
    try:
        amount = round_money(amount)
    except (InvalidOperation, TypeError) as exc:
        raise BillingError(_("Beløpet må være et tall.")) from exc
    if amount <= 0:
        raise BillingError(_("Beløpet må være større enn null."))
    now = timezone.now()
    if paid_on > timezone.localdate(now):
        raise BillingError(_("Betalingsdatoen kan ikke være fram i tid."))
    if paid_on < invoice.issue_date - timedelta(days=366):
        raise BillingError(_("Betalingsdatoen er over et år før fakturadatoen."))
    # Lock the invoice's payments: two registrations at once cannot both pass the check below.
    Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk", flat=True).get()
    owed = outstanding(with_balances(Invoice.objects.filter(pk=invoice.pk)).get())
    if amount > owed:
        raise BillingError(
            _("Beløpet er større enn det som gjenstår på faktura %(number)s (%(owed)s).")
            % {"number": invoice.number, "owed": format_money(owed)}
        )
    bank_reference = bank_reference.strip()
    if bank_reference and Payment.objects.filter(bank_reference=bank_reference).exists():
        raise BillingError(
            _("Innbetalingen med bankreferanse %(reference)s er allerede registrert.") % {"reference": bank_reference}
        )
    payment = Payment.objects.create(
        invoice=invoice,
        paid_on=paid_on,
        amount=amount,
        note=note.strip(),
        bank_reference=bank_reference,
        registered_at=now,
        registered_by=acting_user(actor),
    )
    audit_log(
        actor=actor,
        action="create",
        verb="payment_register",
        obj=payment,
        cooperation_id=invoice.cooperation_id,
        at=now,
        changes={"invoice": invoice.number, "paid_on": paid_on, "amount": amount}
        | ({"bank_reference": bank_reference} if bank_reference else {}),
    )
    return payment


@transaction.atomic
def payment_reverse(*, payment: Payment, actor, reason: str) -> Payment:
    """Undo a payment registered by mistake with a negative row (the original stays)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise BillingError(_("Oppgi hvorfor innbetalingen tilbakeføres."))
    # Two clerks reversing the same payment at once: the second waits here, then sees the first's reversal.
    payment = Payment.objects.select_for_update(of=("self",)).select_related("invoice").get(pk=payment.pk)
    if payment.reverses_id is not None:
        raise BillingError(_("En tilbakeføring kan ikke tilbakeføres."))
    if Payment.objects.filter(reverses=payment).exists():
        raise BillingError(_("Innbetalingen er allerede tilbakeført."))
    now = timezone.now()
    reversal = Payment.objects.create(
        invoice=payment.invoice,
        paid_on=timezone.localdate(now),
        amount=-payment.amount,
        note=reason,
        reverses=payment,
        registered_at=now,
        registered_by=acting_user(actor),
    )
    audit_log(
        actor=actor,
        action="create",
        verb="payment_reverse",
        obj=reversal,
        cooperation_id=payment.invoice.cooperation_id,
        at=now,
        changes={"reverses": payment.pk, "amount": reversal.amount},
        message=reason,
    )
    return reversal
