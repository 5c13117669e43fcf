"""Issuing: a year's invoice run and credit notes.

Numbers are drawn only inside the issuing transaction, from the cooperation's one series locked
with SELECT ... FOR UPDATE, so they have no gaps or duplicates even when two treasurers issue at
once. A run for a cooperation and year also takes a PostgreSQL advisory lock, so a second run
started while one is being issued is refused at once instead of waiting.
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import documents
from billing.errors import BillingError
from billing.models import Invoice, InvoiceNumberSeries, InvoiceRun
from billing.selectors import (
    billing_profile_for,
    run_preview,
    with_balances,
)
from billing.services._common import (
    _actor_label,
    _audit_entries,
    _buyer_snapshot,
    _draw_numbers,
    _kid,
    _run_lock,
    _seller_snapshot,
    _vat,
)
from billing.texts import contribution_line_text, credit_line_text, vat_statement
from khs.lib.audit import acting_user, audit_log
from khs.lib.money import format_money, round_money

# --- The invoice run -----------------------------------------------------------------------------------


def _issuable_preview(cooperation, year: int, pro_rata, today):
    preview = run_preview(cooperation=cooperation, year=year, pro_rata=pro_rata, today=today)
    if preview.all_blockers:
        raise BillingError(_("Fakturakjøringen kan ikke starte før dette er rettet:"), details=preview.all_blockers)
    if not preview.to_issue:
        raise BillingError(_("Alle medlemmer er allerede fakturert for %(year)s.") % {"year": year})
    return preview


def _run_invoices(preview, *, cooperation, year: int, numbers, now, actor) -> list[Invoice]:
    """The unsaved invoices of a run, one per member to bill, numbered from `numbers`; no EHF yet."""
    today = timezone.localdate(now)
    profile = preview.profile
    lang = cooperation.language
    rate = preview.rate
    citation = rate.citation
    vat_text = vat_statement(lang=lang, vat_registered=profile.vat_registered, vat_rate=profile.vat_rate)
    seller = _seller_snapshot(cooperation, profile)
    invoices = []
    for row, serial in zip(preview.to_issue, numbers, strict=True):
        months = row.months
        if months == 12:
            period_start, period_end, unit_price = date(year, 1, 1), date(year, 12, 31), rate.per_inhabitant
        else:
            first_month = max(row.starts_on, date(year, 1, 1)).month
            last_day = min(row.ends_on or date(year, 12, 31), date(year, 12, 31))
            period_start = date(year, first_month, 1)
            period_end = (
                (date(year, last_day.month % 12 + 1, 1) - timedelta(days=1))
                if last_day.month < 12
                else date(year, 12, 31)
            )
            unit_price = (rate.per_inhabitant * months / 12).quantize(Decimal("0.0000000001"))
        vat_rate, vat_amount = _vat(row.amount, profile)
        basis_note = ""
        if row.override:
            basis_note = row.override.reason
        elif row.predecessor_names:
            basis_note = ", ".join(row.predecessor_names)
        invoice = Invoice(
            cooperation=cooperation,
            kind=Invoice.Kind.INVOICE,
            series_number=serial,
            number=f"{profile.invoice_prefix}{serial}",
            municipality=row.municipality,
            year=year,
            issue_date=today,
            due_date=today + timedelta(days=profile.due_days),
            period_start=period_start,
            period_end=period_end,
            language=lang,
            **seller,
            **_buyer_snapshot(row.municipality, lang, row.invoice_to) | {"buyer_reference": row.buyer_reference},
            line_text=contribution_line_text(
                lang=lang,
                year=year,
                inhabitants=row.inhabitants,
                rate=rate.per_inhabitant,
                months=months,
                population_year=preview.population_year,
                citation=citation,
                override_reason=row.override.reason if row.override else "",
                predecessor_names=row.predecessor_names,
            ),
            quantity=row.inhabitants,
            unit_price=unit_price,
            rate=rate,
            rate_per_inhabitant=rate.per_inhabitant,
            population_year=preview.population_year,
            months=months,
            basis_note=basis_note,
            net_amount=row.amount,
            vat_rate=vat_rate,
            vat_amount=vat_amount,
            total=row.amount + vat_amount,
            vat_statement=vat_text,
            kid=_kid(row.municipality, year, serial),
            issued_at=now,
            issued_by=acting_user(actor),
        )
        invoices.append(invoice)
    return invoices


def ehf_fingerprint(invoice) -> str:
    """A hash of everything that goes into an invoice's EHF: equal fingerprints, equal XML."""
    return hashlib.sha256(repr(documents.ehf_document(invoice)).encode("utf-8")).hexdigest()


def invoice_run_prepare(*, cooperation, year: int, pro_rata=frozenset(), actor=None, progress=None) -> dict:
    """Build and validate the EHF of every invoice a run would issue now, outside any transaction and lock.

    The numbers are the series' next ones as they stand; `invoice_run_issue(prepared=...)` reuses each XML
    whose fingerprint still matches (numbers, amounts, addresses unchanged) and builds the others again.
    `progress(validated, total)` is called after each invoice. Raises BillingError as issuing would.
    """
    now = timezone.now()
    preview = _issuable_preview(cooperation, year, pro_rata, timezone.localdate(now))
    last = InvoiceNumberSeries.objects.filter(cooperation=cooperation).values_list("last_number", flat=True).first()
    first = (last or 0) + 1
    rows = len(preview.to_issue)
    invoices = _run_invoices(
        preview, cooperation=cooperation, year=year, numbers=range(first, first + rows), now=now, actor=actor
    )
    prepared = {}
    for done, invoice in enumerate(invoices, 1):
        xml = documents.ehf_xml(invoice).decode("utf-8")
        prepared[ehf_fingerprint(invoice)] = (xml, invoice.ehf_warnings)
        if progress:
            progress(done, rows)
    return prepared


@transaction.atomic
def invoice_run_issue(
    *, cooperation, year: int, actor, pro_rata=frozenset(), actor_label: str = "", prepared=None
) -> InvoiceRun:
    """Issue one invoice per member not yet billed for the year: numbers, KID, validated EHF.

    Idempotent: members already invoiced (and not credited in full) are skipped. Nothing is
    stored when anything blocks, or when one EHF breaks a rule. `prepared` ({fingerprint: (xml,
    warnings)} from invoice_run_prepare) spares building again an EHF that is still the same.
    """
    now = timezone.now()
    _run_lock(cooperation, year)
    preview = _issuable_preview(cooperation, year, pro_rata, timezone.localdate(now))
    rows = preview.to_issue
    if preview.profile.pk is None:
        preview.profile.save()
    numbers = _draw_numbers(cooperation, len(rows))
    invoices = _run_invoices(preview, cooperation=cooperation, year=year, numbers=numbers, now=now, actor=actor)
    total = Decimal("0.00")
    for invoice in invoices:
        kept = prepared.get(ehf_fingerprint(invoice)) if prepared else None
        if kept:
            invoice.ehf_xml, invoice.ehf_warnings = kept
        else:
            invoice.ehf_xml = documents.ehf_xml(invoice).decode("utf-8")
        total += invoice.total
    run = InvoiceRun.objects.create(
        cooperation=cooperation,
        year=year,
        issued_at=now,
        issued_by=acting_user(actor),
        issued_by_label=_actor_label(actor, actor_label)[:200],
        invoice_count=len(invoices),
        total=total,
    )
    for invoice in invoices:
        invoice.run = run
    # The official rules' warnings (not blocking), for the treasurer to read: {finding: [numbers]}.
    run.ehf_warnings = {}
    for invoice in invoices:
        for finding in invoice.ehf_warnings:
            run.ehf_warnings.setdefault(finding, []).append(invoice.number)
    Invoice.objects.bulk_create(invoices)
    if any(i.pk is None for i in invoices):  # backends that do not return ids from a bulk insert
        by_serial = dict(
            Invoice.objects.filter(cooperation=cooperation, series_number__in=numbers).values_list(
                "series_number", "pk"
            )
        )
        for invoice in invoices:
            invoice.pk = invoice.id = by_serial[invoice.series_number]
    _audit_entries(
        invoices, actor=actor, actor_label=actor_label, verb="invoice_run_issue", cooperation_id=cooperation.pk, at=now
    )
    audit_log(
        actor=actor,
        actor_label=actor_label,
        action="create",
        verb="invoice_run_issue",
        obj=run,
        cooperation_id=cooperation.pk,
        at=now,
        changes={
            "year": year,
            "count": len(invoices),
            "total": total,
            "numbers": [invoices[0].number, invoices[-1].number],
            "pro_rata": sorted(r.municipality.number for r in rows if r.pro_rata),
        },
        message=f"{len(invoices)} fakturaer {invoices[0].number}–{invoices[-1].number}",
    )
    return run


# --- Credit notes ---------------------------------------------------------------------------------------


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, actor, reason: str, amount: Decimal | None = None) -> Invoice:
    """Credit an invoice in full (amount None) or in part; the credit note takes the next number."""
    if invoice.is_credit_note:
        raise BillingError(_("En kreditnota kan ikke krediteres."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise BillingError(_("Oppgi årsaken til krediteringen."))
    now = timezone.now()
    today = timezone.localdate(now)
    # Lock the series first: credit notes on the same invoice are then issued one after the other.
    numbers = _draw_numbers(invoice.cooperation, 1)
    current = with_balances(Invoice.objects.filter(pk=invoice.pk)).get()
    remaining = current.total - current.credited
    if remaining <= 0:
        raise BillingError(_("Faktura %(number)s er allerede kreditert i sin helhet.") % {"number": invoice.number})
    full = amount is None
    if full:
        if current.credited > 0:
            raise BillingError(
                _("Faktura %(number)s er delvis kreditert; krediter resten med et beløp.") % {"number": invoice.number}
            )
        quantity, unit_price, net = invoice.quantity, invoice.unit_price, invoice.net_amount
        vat_amount = invoice.vat_amount
    else:
        try:
            net = round_money(amount)
        except (InvalidOperation, TypeError) as exc:
            raise BillingError(_("Beløpet må være et tall.")) from exc
        if net <= 0:
            raise BillingError(_("Beløpet som krediteres må være større enn null."))
        vat_amount = round_money(net * invoice.vat_rate / 100) if invoice.seller_vat_registered else Decimal("0.00")
        if net + vat_amount > remaining:
            raise BillingError(
                _("Du kan høyst kreditere %(amount)s av faktura %(number)s.")
                % {"amount": format_money(remaining), "number": invoice.number}
            )
        quantity, unit_price = 1, net
    serial = numbers[0]
    profile = billing_profile_for(invoice.cooperation)
    lang = invoice.language
    snapshot_fields = {
        f: getattr(invoice, f)
        for f in (
            "seller_name",
            "seller_street",
            "seller_postcode",
            "seller_city",
            "seller_org_number",
            "seller_account",
            "seller_email",
            "seller_vat_registered",
            "seller_in_foretaksregisteret",
            "buyer_name",
            "buyer_street",
            "buyer_postcode",
            "buyer_city",
            "buyer_org_number",
            "buyer_email",
            "buyer_reference",
            "period_start",
            "period_end",
            "vat_rate",
            "vat_statement",
            "population_year",
            "months",
        )
    }
    note = Invoice(
        cooperation=invoice.cooperation,
        kind=Invoice.Kind.CREDIT_NOTE,
        series_number=serial,
        number=f"{profile.invoice_prefix}{serial}",
        credited_invoice=invoice,
        credit_reason=reason,
        municipality=invoice.municipality,
        year=invoice.year,
        issue_date=today,
        due_date=today,
        language=lang,
        **snapshot_fields,
        line_text=(
            f"{credit_line_text(lang=lang, original_number=invoice.number, reason=reason)}"
            + (f" – {invoice.line_text}" if full else "")
        ),
        quantity=quantity,
        unit_price=unit_price,
        rate=invoice.rate if full else None,
        rate_per_inhabitant=invoice.rate_per_inhabitant if full else None,
        net_amount=net,
        vat_amount=vat_amount,
        total=net + vat_amount,
        kid="",
        issued_at=now,
        issued_by=acting_user(actor),  # a credit note is not paid: no KID, no payment means
    )
    note.ehf_xml = documents.ehf_xml(note).decode("utf-8")
    note.save()
    audit_log(
        actor=actor,
        action="create",
        verb="credit_note_issue",
        obj=note,
        cooperation_id=invoice.cooperation_id,
        at=now,
        changes={"number": note.number, "credits": invoice.number, "total": note.total, "full": full},
        message=reason,
    )
    audit_log(
        actor=actor,
        action="event",
        verb="credit_note_issue",
        obj=invoice,
        cooperation_id=invoice.cooperation_id,
        at=now,
        message=f"kreditert med {note.number}: {reason}",
    )
    return note
