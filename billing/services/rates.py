"""Billing settings, contribution rates and the treasurer's own bases (basis overrides)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.errors import BillingError
from billing.models import (
    BasisOverride,
    BillingProfile,
    ContributionRate,
    InvoiceNumberSeries,
    PopulationReference,
)
from billing.selectors import (
    year_check,
)
from khs.lib.audit import acting_user, audit_log, diff, snapshot
from khs.lib.money import round_money
from membership.selectors import memberships_during

PROFILE_FIELDS = [
    "invoice_prefix",
    "due_days",
    "population_reference",
    "vat_registered",
    "vat_rate",
    "payment_account",
    "in_foretaksregisteret",
]


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
        created_by=acting_user(actor),
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
        not memberships_during(cooperation, date(year, 1, 1), date(year, 12, 31))
        .filter(municipality=municipality)
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
    override.created_by = acting_user(actor)
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
