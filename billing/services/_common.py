"""What the billing services share: who acted, numbers and locks, the seller and buyer snapshots, VAT, audit."""

import hashlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from billing.errors import BillingError, say
from billing.models import (
    Invoice,
    InvoiceNumberSeries,
)
from khs.lib.audit import acting_user, jsonable
from khs.lib.money import round_money
from khs.models import AuditEntry


def _actor_label(actor, actor_label: str) -> str:
    if actor_label:
        return actor_label
    if acting_user(actor) is not None:
        return actor.get_full_name() or actor.get_username()
    return "system"


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
        raise BillingError(say("run_in_progress", year=year))


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
        raise BillingError(say("kid_not_made", error=str(exc))) from exc


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
                actor=acting_user(actor),
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
