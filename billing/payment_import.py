"""Payments read from the bank's files (camt.054, OCR Giro) and matched to open invoices by KID.

`payment_file_plan` reads a file and says, payment by payment, what importing it would do (the
treasurer's preview); `payment_file_import` does it: every matched payment is registered through
`payment_register` with the bank's reference, in one transaction, so a file is imported whole or
not at all. Partial and over-payments are flagged; payments without a KID, with a KID no open invoice
has, or for an invoice already settled are listed for matching by hand; a payment whose bank
reference is already registered is skipped, so importing the same file again registers nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import bank_files
from billing.errors import BillingError
from billing.models import Invoice, Payment
from billing.selectors import billing_profile_for, outstanding, with_balances
from khs.lib.audit import audit_log
from khs.lib.money import format_money

ZERO = Decimal("0.00")

PAID = "paid"
PARTIAL = "partial"
OVERPAID = "overpaid"
ALREADY_IMPORTED = "already_imported"
NO_KID = "no_kid"
UNKNOWN_KID = "unknown_kid"
SETTLED = "settled"
FOREIGN_CURRENCY = "foreign_currency"

OUTCOME_LABELS = {
    PAID: gettext_lazy("Betalt"),
    PARTIAL: gettext_lazy("Delbetaling"),
    OVERPAID: gettext_lazy("Overbetaling"),
    ALREADY_IMPORTED: gettext_lazy("Allerede registrert"),
    NO_KID: gettext_lazy("Uten KID"),
    UNKNOWN_KID: gettext_lazy("Ukjent KID"),
    SETTLED: gettext_lazy("Fakturaen er allerede oppgjort"),
    FOREIGN_CURRENCY: gettext_lazy("Annen valuta"),
}
REGISTERED = {PAID, PARTIAL, OVERPAID}
MANUAL = {NO_KID, UNKNOWN_KID, SETTLED, FOREIGN_CURRENCY}


@dataclass
class PlanRow:
    """One payment of the file and what importing does with it."""

    payment: bank_files.BankPayment
    outcome: str
    invoice: Invoice | None = None
    register: Decimal = ZERO  # what is registered against the invoice
    remaining: Decimal = ZERO  # still owed afterwards (partial payment)
    excess: Decimal = ZERO  # paid beyond what was owed (to refund or match by hand)

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def registers(self) -> bool:
        return self.outcome in REGISTERED

    @property
    def needs_manual(self) -> bool:
        return self.outcome in MANUAL or self.outcome == OVERPAID

    @property
    def note(self) -> str:
        if self.outcome == PARTIAL:
            return _("Gjenstår %(amount)s") % {"amount": format_money(self.remaining)}
        if self.outcome == OVERPAID:
            return _("%(amount)s mer enn utestående: tilbakebetales eller føres manuelt") % {
                "amount": format_money(self.excess)
            }
        return ""


@dataclass
class Plan:
    format: str
    account: str
    sha256: str
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def to_register(self) -> list[PlanRow]:
        return [r for r in self.rows if r.registers]

    @property
    def manual(self) -> list[PlanRow]:
        return [r for r in self.rows if r.needs_manual]

    @property
    def skipped(self) -> list[PlanRow]:
        return [r for r in self.rows if r.outcome == ALREADY_IMPORTED]

    @property
    def total_registered(self) -> Decimal:
        return sum((r.register for r in self.to_register), ZERO)

    @property
    def total_in_file(self) -> Decimal:
        return sum((r.payment.amount for r in self.rows), ZERO)


def _digits(account: str) -> str:
    return "".join(ch for ch in account if ch.isdigit())


def _check_account(cooperation, parsed: bank_files.BankFile) -> None:
    ours = _digits(billing_profile_for(cooperation).account)
    theirs = _digits(parsed.account)
    if ours and theirs and ours[-11:] != theirs[-11:]:
        raise BillingError(
            _("Filen gjelder konto %(file)s, ikke samarbeidets konto %(ours)s. Ingenting er registrert.")
            % {"file": parsed.account, "ours": billing_profile_for(cooperation).account}
        )


def payment_file_read(data: bytes) -> bank_files.BankFile:
    """The file's payments, or BillingError with every problem by line or entry."""
    try:
        parsed = bank_files.parse(data)
    except bank_files.BankFileError as exc:
        raise BillingError(_("Filen kan ikke leses inn; ingenting er registrert:"), details=exc.errors) from exc
    references = defaultdict(list)
    for payment in parsed.payments:
        references[payment.bank_reference].append(payment.where)
    repeated = [
        _("%(where)s: bankreferansen %(reference)s står flere ganger i filen")
        % {"where": ", ".join(places), "reference": ref}
        for ref, places in references.items()
        if len(places) > 1
    ]
    if repeated:
        raise BillingError(_("Filen kan ikke leses inn; ingenting er registrert:"), details=repeated)
    return parsed


def payment_file_plan(*, cooperation, data: bytes) -> Plan:
    """What importing this bank file would register, flag and leave for manual matching (writes nothing)."""
    parsed = payment_file_read(data)
    _check_account(cooperation, parsed)
    plan = Plan(format=parsed.format, account=parsed.account, sha256=hashlib.sha256(data).hexdigest())
    kids = {p.kid for p in parsed.payments if p.kid}
    invoices = {
        i.kid: i
        for i in with_balances(
            Invoice.objects.filter(cooperation=cooperation, kind=Invoice.Kind.INVOICE, kid__in=kids).select_related(
                "municipality"
            )
        )
    }
    known = set(
        Payment.objects.filter(bank_reference__in=[p.bank_reference for p in parsed.payments]).values_list(
            "bank_reference", flat=True
        )
    )
    owed = {kid: outstanding(invoice) for kid, invoice in invoices.items()}
    for payment in parsed.payments:
        invoice = invoices.get(payment.kid)
        if payment.bank_reference in known:
            plan.rows.append(PlanRow(payment, ALREADY_IMPORTED, invoice))
        elif payment.currency and payment.currency != "NOK":
            plan.rows.append(PlanRow(payment, FOREIGN_CURRENCY, invoice))
        elif not payment.kid:
            plan.rows.append(PlanRow(payment, NO_KID))
        elif invoice is None:
            plan.rows.append(PlanRow(payment, UNKNOWN_KID))
        elif owed[payment.kid] <= 0:
            plan.rows.append(PlanRow(payment, SETTLED, invoice, excess=payment.amount))
        else:
            due = owed[payment.kid]
            register = min(payment.amount, due)
            owed[payment.kid] = due - register
            if payment.amount < due:
                outcome = PARTIAL
            elif payment.amount > due:
                outcome = OVERPAID
            else:
                outcome = PAID
            plan.rows.append(
                PlanRow(
                    payment,
                    outcome,
                    invoice,
                    register=register,
                    remaining=due - register,
                    excess=payment.amount - register,
                )
            )
    return plan


@transaction.atomic
def payment_file_import(*, cooperation, data: bytes, filename: str, actor) -> Plan:
    """Register every payment of the file that matches an open invoice by KID; all or nothing."""
    from billing.services import payment_register

    # One import at a time per cooperation: the second waits and then finds the references registered.
    Invoice.objects.select_for_update().filter(cooperation=cooperation).order_by("pk").values_list(
        "pk", flat=True
    ).first()
    plan = payment_file_plan(cooperation=cooperation, data=data)
    errors = []
    for row in plan.to_register:
        note = _("Innlest fra bankfil %(file)s (%(where)s)") % {"file": filename, "where": row.payment.where}
        if row.outcome == OVERPAID:
            note += " – " + _("innbetalt %(amount)s") % {"amount": format_money(row.payment.amount)}
        try:
            payment_register(
                invoice=row.invoice,
                actor=actor,
                paid_on=row.payment.paid_on,
                amount=row.register,
                note=note[:300],
                bank_reference=row.payment.bank_reference,
            )
        except BillingError as exc:
            errors.append(f"{row.payment.where} (KID {row.payment.kid}): {exc}")
    if errors:
        raise BillingError(_("Filen kan ikke leses inn; ingenting er registrert:"), details=errors)
    audit_log(
        actor=actor,
        action="event",
        verb="payment_file_import",
        obj=cooperation,
        cooperation_id=cooperation.pk,
        at=timezone.now(),
        changes={
            "file": filename,
            "sha256": plan.sha256,
            "format": plan.format,
            "registered": len(plan.to_register),
            "total": plan.total_registered,
            "manual": len(plan.manual),
            "already_imported": len(plan.skipped),
        },
        message=filename,
    )
    return plan
