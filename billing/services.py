"""Every change billing makes: settings, rates, bases, invoice runs, credit notes, sending, payments.

Numbers are drawn only inside the issuing transaction, from the cooperation's one series locked
with SELECT ... FOR UPDATE, so they have no gaps or duplicates even when two treasurers issue at
once. A run for a cooperation and year also takes a PostgreSQL advisory lock, so a second run
started while one is being issued is refused at once instead of waiting.
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import documents
from billing.errors import BillingError
from billing.models import (
    BasisOverride,
    BillingProfile,
    ContributionRate,
    Invoice,
    InvoiceNumberSeries,
    InvoiceRun,
    Payment,
    PopulationReference,
    Transmission,
    sha256,
)
from billing.selectors import (
    Status,
    billing_profile_for,
    invoice_status,
    outstanding,
    run_preview,
    with_balances,
    year_check,
)
from billing.texts import contribution_line_text, credit_line_text, vat_statement, words
from khs.lib.audit import audit_log, diff, jsonable, snapshot
from khs.lib.money import round_money
from khs.models import AuditEntry

PROFILE_FIELDS = [
    "invoice_prefix",
    "due_days",
    "population_reference",
    "vat_registered",
    "vat_rate",
    "payment_account",
    "in_foretaksregisteret",
]


def _actor_label(actor, actor_label: str) -> str:
    if actor_label:
        return actor_label
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.get_username()
    return "system"


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- Settings and rates ------------------------------------------------------------------------------


@transaction.atomic
def billing_profile_save(
    *,
    cooperation,
    actor,
    invoice_prefix: str = "",
    due_days: int = 30,
    population_reference: str = PopulationReference.INVOICING_YEAR,
    vat_registered: bool = False,
    vat_rate: Decimal = Decimal("25"),
    payment_account: str = "",
    in_foretaksregisteret: bool = False,
) -> BillingProfile:
    """Create or change a cooperation's billing settings (issued invoices keep their own copy)."""
    if not 1 <= int(due_days) <= 365:
        raise BillingError(_("Betalingsfristen må være mellom 1 og 365 dager."))
    if vat_registered and not Decimal("0") < Decimal(vat_rate) < Decimal("100"):
        raise BillingError(_("Mva-satsen må være mellom 0 og 100 prosent."))
    if population_reference not in PopulationReference.values:
        raise BillingError(_("Ukjent valg for innbyggertall."))
    profile = BillingProfile.objects.select_for_update().filter(cooperation=cooperation).first()
    created = profile is None
    if created:
        profile = BillingProfile(cooperation=cooperation)
    before = snapshot(profile, PROFILE_FIELDS)
    profile.invoice_prefix = invoice_prefix.strip()
    profile.due_days = int(due_days)
    profile.population_reference = population_reference
    profile.vat_registered = bool(vat_registered)
    profile.vat_rate = Decimal(vat_rate)
    profile.payment_account = payment_account.strip()
    profile.in_foretaksregisteret = bool(in_foretaksregisteret)
    profile.full_clean(exclude=["cooperation"])
    profile.save()
    InvoiceNumberSeries.objects.get_or_create(cooperation=cooperation)
    audit_log(
        actor=actor,
        action="create" if created else "update",
        verb="billing_profile_save",
        obj=profile,
        changes=diff(before, snapshot(profile, PROFILE_FIELDS)),
        cooperation_id=cooperation.pk,
    )
    return profile


@transaction.atomic
def rate_create(
    *,
    cooperation,
    actor,
    per_inhabitant,
    valid_from: date,
    resolution_text: str = "",
    resolution_date: date | None = None,
    resolution_case=None,
) -> ContributionRate:
    """Begin a new contribution rate; rates are never edited once used, a new one begins instead."""
    try:
        per_inhabitant = Decimal(per_inhabitant)
    except (InvalidOperation, TypeError) as exc:
        raise BillingError(_("Satsen må være et tall.")) from exc
    if per_inhabitant <= 0:
        raise BillingError(_("Satsen må være større enn null."))
    if per_inhabitant != round_money(per_inhabitant):
        raise BillingError(_("Satsen kan ha høyst to desimaler (hele øre)."))
    if ContributionRate.objects.filter(cooperation=cooperation, valid_from=valid_from).exists():
        raise BillingError(_("Det finnes allerede en sats fra %(date)s.") % {"date": valid_from.strftime("%d.%m.%Y")})
    if resolution_case is not None and resolution_case.body.cooperation_id != cooperation.pk:
        raise BillingError(_("Saken hører til et annet samarbeid."))
    rate = ContributionRate.objects.create(
        cooperation=cooperation,
        per_inhabitant=per_inhabitant,
        valid_from=valid_from,
        resolution_text=resolution_text.strip(),
        resolution_date=resolution_date,
        resolution_case=resolution_case,
        created_at=timezone.now(),
        created_by=_user(actor),
    )
    audit_log(
        actor=actor,
        action="create",
        verb="rate_create",
        obj=rate,
        cooperation_id=cooperation.pk,
        changes=snapshot(
            rate, ["per_inhabitant", "valid_from", "resolution_text", "resolution_date", "resolution_case"]
        ),
        message="" if rate.has_resolution else "rate without a resolution reference",
    )
    return rate


@transaction.atomic
def rate_link_case(*, rate: ContributionRate, case, actor) -> ContributionRate:
    """Link the adopted case (once minutes exist). Allowed on used rates: invoices keep their own citation."""
    if case.body.cooperation_id != rate.cooperation_id:
        raise BillingError(_("Saken hører til et annet samarbeid."))
    before = rate.resolution_case_id
    rate.resolution_case = case
    rate.save(update_fields=["resolution_case"])
    audit_log(
        actor=actor,
        action="update",
        verb="rate_link_case",
        obj=rate,
        cooperation_id=rate.cooperation_id,
        changes={"resolution_case": [before, case.pk]},
    )
    return rate


# --- Basis overrides --------------------------------------------------------------------------------


@transaction.atomic
def basis_override_set(*, cooperation, municipality, year: int, inhabitants: int, reason: str, actor) -> BasisOverride:
    """Bill one member on a figure of the treasurer's own, with a stated reason (printed on the invoice)."""
    year_check(year, today=timezone.localdate())
    reason = " ".join((reason or "").split())
    if inhabitants is None or int(inhabitants) <= 0:
        raise BillingError(_("Innbyggertallet må være større enn null."))
    if not reason:
        raise BillingError(_("Oppgi en begrunnelse for grunnlaget."))
    if (
        not cooperation.memberships.filter(municipality=municipality, starts_on__lte=date(year, 12, 31))
        .exclude(ends_on__lt=date(year, 1, 1))
        .exists()
    ):
        raise BillingError(_("%(name)s var ikke medlem i %(year)s.") % {"name": municipality.name, "year": year})
    override = BasisOverride.objects.filter(cooperation=cooperation, municipality=municipality, year=year).first()
    before = snapshot(override, ["inhabitants", "reason"]) if override else {}
    if override is None:
        override = BasisOverride(cooperation=cooperation, municipality=municipality, year=year)
    override.inhabitants = int(inhabitants)
    override.reason = reason
    override.created_at = timezone.now()
    override.created_by = _user(actor)
    override.save()
    audit_log(
        actor=actor,
        action="update" if before else "create",
        verb="basis_override_set",
        obj=override,
        cooperation_id=cooperation.pk,
        changes=diff(before, snapshot(override, ["inhabitants", "reason"])),
        message=reason,
    )
    return override


@transaction.atomic
def basis_override_remove(*, override: BasisOverride, actor) -> BasisOverride:
    """Go back to the official population (issued invoices keep the basis they were issued on)."""
    audit_log(
        actor=actor,
        action="delete",
        verb="basis_override_remove",
        obj=override,
        cooperation_id=override.cooperation_id,
        changes=snapshot(override, ["inhabitants", "reason", "year"]),
    )
    override.delete()
    return override


# --- Numbers and locks --------------------------------------------------------------------------------


def _run_lock(cooperation, year: int) -> None:
    """Refuse at once when another transaction is issuing this cooperation's run for the year."""
    if connection.vendor != "postgresql":
        return  # SQLite lets one writer in at a time; the second then finds the members billed.
    key = int.from_bytes(
        hashlib.sha256(f"billing-run:{cooperation.pk}:{year}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise BillingError(
            _("En fakturakjøring for %(year)s pågår allerede. Vent til den er ferdig og prøv igjen.") % {"year": year}
        )


def _draw_numbers(cooperation, count: int) -> list[int]:
    """The next `count` numbers of the series; the row stays locked until the transaction ends."""
    series, _created = InvoiceNumberSeries.objects.select_for_update().get_or_create(cooperation=cooperation)
    first = series.last_number + 1
    series.last_number += count
    series.save(update_fields=["last_number"])
    return list(range(first, first + count))


def _kid(municipality, year: int, series_number: int) -> str:
    from billing.kid import make_kid

    try:
        return make_kid(member=int(municipality.number), year=year, sequence=series_number)
    except ValueError as exc:
        raise BillingError(_("KID kunne ikke lages: %(error)s") % {"error": exc}) from exc


def _seller_snapshot(cooperation, profile) -> dict:
    return dict(
        seller_name=cooperation.name,
        seller_street=cooperation.street_address,
        seller_postcode=cooperation.postcode,
        seller_city=cooperation.city,
        seller_org_number=cooperation.org_number,
        seller_account=profile.account,
        seller_email=cooperation.contact_email,
        seller_vat_registered=profile.vat_registered,
        seller_in_foretaksregisteret=profile.in_foretaksregisteret,
    )


def buyer_legal_name(municipality, lang: str) -> str:
    """ "Asker kommune": the municipality as a legal person (names are stored without "kommune")."""
    name = municipality.display_name(lang)
    return name if name.lower().endswith("kommune") else f"{name} kommune"


def _buyer_snapshot(municipality, lang: str, invoice_to=None) -> dict:
    """The buyer as invoiced: invoice_to is the cooperation's own record of the member's invoice address."""
    invoice_to = invoice_to or municipality
    return dict(
        buyer_name=buyer_legal_name(municipality, lang),
        buyer_street=invoice_to.invoice_street,
        buyer_postcode=invoice_to.invoice_postcode,
        buyer_city=invoice_to.invoice_city,
        buyer_org_number=municipality.org_number,
        buyer_email=invoice_to.invoice_email,
        buyer_reference=invoice_to.invoice_reference,
    )


def _vat(net: Decimal, profile) -> tuple[Decimal, Decimal]:
    if not profile.vat_registered:
        return Decimal("0"), Decimal("0.00")
    return profile.vat_rate, round_money(net * profile.vat_rate / 100)


def _audit_entries(invoices, *, actor, actor_label: str, verb: str, cooperation_id: int, at) -> None:
    """One audit entry per issued document, written in one statement (bulk) so that issuing 356
    invoices costs the same number of queries as issuing 3; the fields are those audit_log writes."""
    content_type = ContentType.objects.get_for_model(Invoice)
    label = _actor_label(actor, actor_label)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                at=at,
                actor=_user(actor),
                actor_label=label[:200],
                action="create",
                verb=verb,
                content_type=content_type,
                object_id=str(i.pk),
                object_repr=str(i)[:300],
                cooperation_id=cooperation_id,
                message=i.line_text,
                changes={
                    k: jsonable(v)
                    for k, v in (
                        ("number", i.number),
                        ("kid", i.kid),
                        ("total", i.total),
                        ("buyer", i.buyer_name),
                        ("year", i.year),
                    )
                },
            )
            for i in invoices
        ]
    )


# --- The invoice run -----------------------------------------------------------------------------------


@transaction.atomic
def invoice_run_issue(*, cooperation, year: int, actor, pro_rata=frozenset(), actor_label: str = "") -> InvoiceRun:
    """Issue one invoice per member not yet billed for the year: numbers, KID, validated EHF.

    Idempotent: members already invoiced (and not credited in full) are skipped. Nothing is
    stored when anything blocks, or when one EHF breaks a rule.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    _run_lock(cooperation, year)
    preview = run_preview(cooperation=cooperation, year=year, pro_rata=pro_rata, today=today)
    if preview.all_blockers:
        raise BillingError(_("Fakturakjøringen kan ikke starte før dette er rettet:"), details=preview.all_blockers)
    rows = preview.to_issue
    if not rows:
        raise BillingError(_("Alle medlemmer er allerede fakturert for %(year)s.") % {"year": year})
    profile = preview.profile
    if profile.pk is None:
        profile.save()
    lang = cooperation.language
    rate = preview.rate
    citation = rate.citation
    vat_text = vat_statement(lang=lang, vat_registered=profile.vat_registered, vat_rate=profile.vat_rate)
    seller = _seller_snapshot(cooperation, profile)
    numbers = _draw_numbers(cooperation, len(rows))
    total = Decimal("0.00")
    invoices = []
    for row, serial in zip(rows, numbers, strict=True):
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
            issued_by=_user(actor),
        )
        invoice.ehf_xml = documents.ehf_xml(invoice).decode("utf-8")
        total += invoice.total
        invoices.append(invoice)
    run = InvoiceRun.objects.create(
        cooperation=cooperation,
        year=year,
        issued_at=now,
        issued_by=_user(actor),
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
                % {"amount": f"{remaining:.2f}".replace(".", ","), "number": invoice.number}
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
        issued_by=_user(actor),  # a credit note is not paid: no KID, no payment means
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


# --- Sending ----------------------------------------------------------------------------------------------


def _record_transmission(*, invoice, purpose, result, pdf: bytes, xml: bytes, actor, at) -> Transmission:
    transmission = Transmission(
        invoice=invoice,
        purpose=purpose,
        channel=result.channel,
        recipient=result.recipient,
        ok=result.ok,
        detail=result.detail,
        pdf_sha256=sha256(pdf),
        xml_sha256=sha256(xml) if xml else "",
        sent_at=at,
        sent_by=_user(actor),
    )
    if result.ok:
        stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M%S")
        transmission.pdf = ContentFile(pdf, name=f"{invoice.number}-{purpose}-{stamp}.pdf")
    transmission.save()
    return transmission


@transaction.atomic
def invoice_send(*, invoice: Invoice, actor, transmitter=None) -> Transmission:
    """Send the PDF and EHF through the configured transmitter and record what was sent (or tried)."""
    from billing.transmission import get_transmitter

    transmitter = transmitter or get_transmitter()
    now = timezone.now()
    pdf = documents.invoice_pdf(invoice)
    xml = invoice.ehf_xml.encode("utf-8")
    result = transmitter.send(invoice, pdf, xml)
    transmission = _record_transmission(
        invoice=invoice, purpose=Transmission.Purpose.INVOICE, result=result, pdf=pdf, xml=xml, actor=actor, at=now
    )
    audit_log(
        actor=actor,
        action="event",
        verb="invoice_send",
        obj=invoice,
        cooperation_id=invoice.cooperation_id,
        at=now,
        changes={"channel": result.channel, "recipient": result.recipient, "ok": result.ok},
        message=result.detail,
    )
    return transmission  # a failed attempt is recorded too (ok=False); the caller reports it


def invoice_run_send(*, run: InvoiceRun, actor) -> list[Transmission]:
    """Send every document of a run that has not been sent yet (each in its own transaction)."""
    unsent = (
        run.invoices.exclude(transmissions__purpose=Transmission.Purpose.INVOICE, transmissions__ok=True)
        .select_related("cooperation", "credited_invoice")
        .order_by("series_number")
    )
    return [invoice_send(invoice=invoice, actor=actor) for invoice in unsent]


@transaction.atomic
def invoice_remind(*, invoice: Invoice, actor) -> Transmission:
    """E-mail a payment reminder (with the invoice PDF) for an overdue invoice, and record it."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.utils import translation

    from billing.transmission import TransmissionResult, document_subject, mail_template
    from khs.lib.mail import MAIL_ERRORS

    now = timezone.now()
    today = timezone.localdate(now)
    current = with_balances(Invoice.objects.filter(pk=invoice.pk)).get()
    if invoice_status(current, today) != Status.OVERDUE:
        raise BillingError(
            _("Faktura %(number)s er ikke forfalt og ubetalt; ingen påminnelse sendt.") % {"number": invoice.number}
        )
    if not invoice.buyer_email:
        raise BillingError(_("%(name)s har ingen e-postadresse for faktura.") % {"name": invoice.buyer_name})
    owed = outstanding(current)
    pdf = documents.invoice_pdf(invoice)
    with translation.override(invoice.language):
        body = render_to_string(
            mail_template("reminder", invoice.language), {"invoice": invoice, "outstanding": owed, "today": today}
        )
    message = EmailMessage(
        subject=document_subject(invoice, words(invoice.language)["reminder"]),
        body=body,
        to=[invoice.buyer_email],
        reply_to=[invoice.seller_email] if invoice.seller_email else None,
    )
    message.attach(invoice.pdf_filename, pdf, "application/pdf")
    try:
        sent = message.send()
    except MAIL_ERRORS as error:  # the failed attempt is recorded, not lost
        sent, detail = 0, f"not sent: {type(error).__name__}"
    else:
        detail = "" if sent else "not sent"
    result = TransmissionResult(bool(sent), "email", invoice.buyer_email, detail)
    transmission = _record_transmission(
        invoice=invoice, purpose=Transmission.Purpose.REMINDER, result=result, pdf=pdf, xml=b"", actor=actor, at=now
    )
    audit_log(
        actor=actor,
        action="event",
        verb="invoice_remind",
        obj=invoice,
        cooperation_id=invoice.cooperation_id,
        at=now,
        changes={"recipient": invoice.buyer_email, "outstanding": owed},
    )
    return transmission


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
            % {"number": invoice.number, "owed": f"kr {owed:.2f}".replace(".", ",")}
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
        registered_by=_user(actor),
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
        registered_by=_user(actor),
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
