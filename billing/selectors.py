"""Shared reads of billing: the preview of a run, balances of invoices, yearly summaries.

Each is a fixed number of queries whatever the number of members or invoices.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from billing.blockers import (
    Blocker,
    BlockerGroup,
    cooperation_blockers,
    group_blockers,
    member_blockers,
    population_blocker,
    rate_blocker,
    reference_blocker,
)
from billing.errors import BillingError, say
from billing.models import BasisOverride, BillingProfile, ContributionRate, Invoice, Payment, Transmission
from khs.lib.money import format_number, round_money
from membership.models import Municipality, Population
from membership.selectors import invoice_details_for, memberships_during

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
FIRST_YEAR = 1990


def billing_profile_for(cooperation) -> BillingProfile:
    """The cooperation's billing settings (an unsaved default profile when none is stored yet)."""
    profile = BillingProfile.objects.filter(cooperation=cooperation).first()
    if profile is None:
        profile = BillingProfile(cooperation=cooperation)
    profile.cooperation = cooperation
    return profile


def rate_for_year(cooperation, year: int) -> ContributionRate | None:
    """The rate in force on 1 January of the contribution year."""
    return (
        ContributionRate.objects.filter(cooperation=cooperation, valid_from__lte=date(year, 1, 1))
        .select_related("resolution_case__body")
        .order_by("-valid_from")
        .first()
    )


def year_check(year: int, *, today: date) -> None:
    """A contribution year we can bill: not before 1990, not after next year."""
    if not FIRST_YEAR <= year <= today.year + 1:
        raise BillingError(say("run_bad_year", year=year, first=FIRST_YEAR, last=today.year + 1))


def months_covered(periods: list[tuple[date, date | None]], year: int) -> int:
    """Calendar months of `year` touched by any of the membership periods."""
    months = set()
    for starts_on, ends_on in periods:
        first = max(starts_on, date(year, 1, 1))
        last = min(ends_on or date(year, 12, 31), date(year, 12, 31))
        if first <= last:
            months.update(range(first.month, last.month + 1))
    return len(months)


@dataclass
class PreviewRow:
    """One member in the preview of a year's run."""

    municipality: Municipality
    starts_on: date
    ends_on: date | None
    months_member: int
    pro_rata: bool = False
    inhabitants: int | None = None
    population_year: int | None = None
    predecessor_names: list[str] = field(default_factory=list)
    override: BasisOverride | None = None
    amount: Decimal | None = None
    blockers: list[Blocker] = field(default_factory=list)
    invoice: Invoice | None = None  # the member's live invoice for the year, when already billed
    invoice_to: object = None  # where this cooperation's invoice goes (membership.selectors.invoice_details_for)
    buyer_reference: str = ""  # "Deres ref.": the member's reference (MemberReference), else the municipality's
    reference_required: bool = False

    @property
    def part_year(self) -> bool:
        return self.months_member < 12

    @property
    def months(self) -> int:
        return self.months_member if self.pro_rata else 12

    @property
    def billable(self) -> bool:
        return self.invoice is None


@dataclass
class Preview:
    """What a run for a cooperation and year would issue, and what stops it."""

    cooperation: object
    year: int
    profile: BillingProfile
    rate: ContributionRate
    population_year: int
    rows: list[PreviewRow]
    blockers: list[Blocker]  # of the cooperation itself (seller data)
    warnings: list[str]

    @property
    def member_count(self) -> int:
        return len(self.rows)

    @property
    def inhabitants(self) -> int:
        return sum(r.invoice.quantity if r.invoice else (r.inhabitants or 0) for r in self.rows)

    @property
    def total(self) -> Decimal:
        return sum((r.invoice.net_amount if r.invoice else (r.amount or ZERO) for r in self.rows), ZERO)

    @property
    def to_issue(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.billable]

    @property
    def to_issue_total(self) -> Decimal:
        return sum((r.amount or ZERO for r in self.to_issue), ZERO)

    @property
    def invoiced(self) -> list[PreviewRow]:
        return [r for r in self.rows if not r.billable]

    @property
    def all_blockers(self) -> list[Blocker]:
        found = list(self.blockers)
        for row in self.to_issue:
            found += [b.for_member(row.municipality.name) for b in row.blockers]
        return found

    @property
    def blocker_groups(self) -> list[BlockerGroup]:
        return group_blockers(self.all_blockers)

    @property
    def can_issue(self) -> bool:
        return bool(self.to_issue) and not self.all_blockers


def member_references(cooperation, municipality_ids) -> dict:
    """{municipality_id: MemberReference} of the cooperation's members (one query)."""
    from billing.models import MemberReference

    return {
        r.municipality_id: r
        for r in MemberReference.objects.filter(cooperation=cooperation, municipality_id__in=municipality_ids)
    }


def buyer_reference(municipality, reference) -> tuple[str, bool]:
    """The reference printed as "Deres ref." and put in the EHF BuyerReference, and whether one is required:
    the member's own for this cooperation, else the municipality's general invoice reference."""
    own = reference.reference.strip() if reference is not None else ""
    return own or municipality.invoice_reference.strip(), bool(reference is not None and reference.required)


def live_invoices(cooperation, year: int) -> dict:
    """{municipality_id: invoice} of invoices for the year not credited in full (one query)."""
    rows = with_balances(Invoice.objects.filter(cooperation=cooperation, year=year, kind=Invoice.Kind.INVOICE))
    live = {}
    for invoice in rows.order_by("series_number"):
        if invoice.credited < invoice.total:
            live[invoice.municipality_id] = invoice
    return live


def run_preview(*, cooperation, year: int, pro_rata=frozenset(), today: date) -> Preview:
    """Every member during the year with its basis, rate, amount, flags and blockers."""
    year_check(year, today=today)
    profile = billing_profile_for(cooperation)
    rate = rate_for_year(cooperation, year)
    if rate is None:
        blocker = rate_blocker(year)
        raise BillingError(blocker.message, fix=blocker)
    population_year = profile.reference_year(year)
    warnings = []
    if not rate.has_resolution:
        warnings.append(
            _("Satsen kr %(rate)s fra %(date)s mangler henvisning til vedtaket som fastsatte den.")
            % {"rate": format_number(rate.per_inhabitant, decimals=2), "date": rate.valid_from.strftime("%d.%m.%Y")}
        )

    periods = defaultdict(list)
    municipalities = {}
    for membership in memberships_during(cooperation, date(year, 1, 1), date(year, 12, 31)):
        periods[membership.municipality_id].append((membership.starts_on, membership.ends_on))
        municipalities[membership.municipality_id] = membership.municipality
    ids = list(municipalities)
    counts = dict(
        Population.objects.filter(municipality_id__in=ids, year=population_year).values_list("municipality_id", "count")
    )
    overrides = {
        o.municipality_id: o
        for o in BasisOverride.objects.filter(cooperation=cooperation, year=year, municipality_id__in=ids)
    }
    # A successor without its own figure (e.g. Asker from 2020 on 1.1.2019) is billed on its predecessors' sum.
    missing = [i for i in ids if i not in counts and i not in overrides]
    predecessors = defaultdict(list)
    if missing:
        for p in Municipality.objects.filter(successor_id__in=missing).order_by("number"):
            predecessors[p.successor_id].append(p)
        pred_counts = dict(
            Population.objects.filter(
                municipality__in=[p for ps in predecessors.values() for p in ps], year=population_year
            ).values_list("municipality_id", "count")
        )
    live = live_invoices(cooperation, year)
    pro_rata = {int(x) for x in pro_rata}
    references = member_references(cooperation, ids)

    invoice_to = invoice_details_for(cooperation, municipalities.values())
    rows = []
    for mid, municipality in sorted(municipalities.items(), key=lambda kv: kv[1].number):
        spans = periods[mid]
        row = PreviewRow(
            municipality=municipality,
            starts_on=min(s for s, _e in spans),
            ends_on=None if any(e is None for _s, e in spans) else max(e for _s, e in spans),
            months_member=months_covered(spans, year),
            population_year=population_year,
            invoice=live.get(mid),
            invoice_to=invoice_to[mid],
        )
        row.pro_rata = row.part_year and mid in pro_rata
        if mid in overrides:
            row.override = overrides[mid]
            row.inhabitants = row.override.inhabitants
        elif mid in counts:
            row.inhabitants = counts[mid]
        elif predecessors.get(mid) and all(p.pk in pred_counts for p in predecessors[mid]):
            row.inhabitants = sum(pred_counts[p.pk] for p in predecessors[mid])
            row.predecessor_names = [p.name for p in predecessors[mid]]
        else:
            row.blockers.append(population_blocker(population_year))
        row.blockers += member_blockers(municipality, row.invoice_to)
        # The fallback reference is this cooperation's record of the member (MemberContact), not another's.
        row.buyer_reference, row.reference_required = buyer_reference(row.invoice_to, references.get(mid))
        if row.reference_required and not row.buyer_reference:
            row.blockers.append(reference_blocker(municipality))
        if row.inhabitants:
            row.amount = round_money(Decimal(row.inhabitants) * rate.per_inhabitant * row.months / 12)
        rows.append(row)
    return Preview(
        cooperation=cooperation,
        year=year,
        profile=profile,
        rate=rate,
        population_year=population_year,
        rows=rows,
        blockers=cooperation_blockers(cooperation, profile),
        warnings=warnings,
    )


def with_balances(queryset):
    """Annotate invoices with `credited` (credit notes' totals) and `paid` (payments), two subqueries."""
    credited = (
        Invoice.objects.filter(credited_invoice=OuterRef("pk"))
        .order_by()
        .values("credited_invoice")
        .annotate(s=Sum("total"))
        .values("s")
    )
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return queryset.annotate(
        credited=Coalesce(Subquery(credited, output_field=MONEY), Value(ZERO), output_field=MONEY),
        paid=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
    )


class Status:
    PAID = "paid"
    OUTSTANDING = "outstanding"
    OVERDUE = "overdue"
    CREDITED = "credited"
    CREDIT_NOTE = "credit_note"
    ALL = (OUTSTANDING, OVERDUE, PAID, CREDITED, CREDIT_NOTE)


def status_label(status: str) -> str:
    return {
        Status.PAID: _("Betalt"),
        Status.OUTSTANDING: _("Utestående"),
        Status.OVERDUE: _("Forfalt"),
        Status.CREDITED: _("Kreditert"),
        Status.CREDIT_NOTE: _("Kreditnota"),
    }[status]


def outstanding(invoice) -> Decimal:
    """What the buyer still owes on an annotated invoice (negative: money to give back)."""
    if invoice.is_credit_note:
        return ZERO
    return invoice.total - invoice.credited - invoice.paid


def invoice_status(invoice, today: date) -> str:
    if invoice.is_credit_note:
        return Status.CREDIT_NOTE
    if invoice.credited >= invoice.total:
        return Status.CREDITED
    if outstanding(invoice) <= 0:
        return Status.PAID
    if invoice.due_date < today:
        return Status.OVERDUE
    return Status.OUTSTANDING


def decorate(invoices, today: date) -> list:
    """Set .outstanding, .status and .status_label on annotated invoices (for templates)."""
    result = []
    for invoice in invoices:
        invoice.outstanding = outstanding(invoice)
        invoice.status = invoice_status(invoice, today)
        invoice.status_label = status_label(invoice.status)
        result.append(invoice)
    return result


def invoice_list(cooperation, *, year: int | None = None, status: str = "", today: date):
    """The invoices and credit notes of a cooperation with balances, filtered by year and status (one query)."""
    qs = with_balances(Invoice.objects.filter(cooperation=cooperation).select_related("municipality"))
    if year:
        qs = qs.filter(year=year)
    if status == Status.CREDIT_NOTE:
        qs = qs.filter(kind=Invoice.Kind.CREDIT_NOTE)
    elif status:
        credited_in_full = Q(credited__gte=F("total"))
        open_amount = Q(total__gt=F("credited") + F("paid"))
        qs = qs.filter(kind=Invoice.Kind.INVOICE)
        if status == Status.CREDITED:
            qs = qs.filter(credited_in_full)
        elif status == Status.PAID:
            qs = qs.exclude(credited_in_full).exclude(open_amount)
        elif status == Status.OUTSTANDING:
            qs = qs.exclude(credited_in_full).filter(open_amount)
        elif status == Status.OVERDUE:
            qs = qs.exclude(credited_in_full).filter(open_amount, due_date__lt=today)
    return decorate(qs.order_by("-year", "series_number"), today)


@dataclass
class Totals:
    issued: Decimal = ZERO
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO
    count: int = 0
    overdue_count: int = 0

    @property
    def net(self) -> Decimal:
        return self.issued - self.credited

    def add(self, invoice) -> None:
        """Count one decorated invoice (with_balances, decorate) in."""
        self.issued += invoice.total
        self.credited += invoice.credited
        self.paid += invoice.paid
        self.outstanding += max(invoice.outstanding, ZERO)
        self.count += 1
        if invoice.status == Status.OVERDUE:
            self.overdue += invoice.outstanding
            self.overdue_count += 1


@dataclass
class MemberSummary:
    municipality: Municipality
    totals: Totals
    invoices: list


def year_summary(cooperation, year: int, *, today: date) -> tuple[Totals, list[MemberSummary]]:
    """Per member and in all for a year: issued, credited, paid, outstanding, overdue (one query)."""
    invoices = decorate(
        with_balances(
            Invoice.objects.filter(cooperation=cooperation, year=year, kind=Invoice.Kind.INVOICE).select_related(
                "municipality"
            )
        ).order_by("series_number"),
        today,
    )
    overall = Totals()
    members = {}
    for invoice in invoices:
        summary = members.setdefault(
            invoice.municipality_id, MemberSummary(municipality=invoice.municipality, totals=Totals(), invoices=[])
        )
        summary.invoices.append(invoice)
        overall.add(invoice)
        summary.totals.add(invoice)
    ordered = sorted(members.values(), key=lambda m: m.municipality.number)
    return overall, ordered


def totals_per_year(cooperation, *, today: date) -> dict[int, Totals]:
    """{year: Totals} of the cooperation's invoices (credit notes count through `credited`), one query."""
    years: dict[int, Totals] = {}
    invoices = with_balances(Invoice.objects.filter(cooperation=cooperation, kind=Invoice.Kind.INVOICE))
    for invoice in decorate(invoices, today):
        years.setdefault(invoice.year, Totals()).add(invoice)
    return years


def run_invoices(run, *, today: date) -> tuple[list, int]:
    """A run's invoices with balances and how often each was sent, and how many were never sent."""
    sent = Q(transmissions__purpose=Transmission.Purpose.INVOICE, transmissions__ok=True)
    invoices = decorate(
        with_balances(
            run.invoices.select_related("municipality").annotate(sent_count=Count("transmissions", filter=sent))
        ).order_by("series_number"),
        today,
    )
    return invoices, sum(1 for i in invoices if not i.sent_count)


def invoiced_years(cooperation) -> list[int]:
    return list(
        Invoice.objects.filter(cooperation=cooperation).order_by("-year").values_list("year", flat=True).distinct()
    )


def run_job_pending(cooperation, year: int, *, now):
    """The order for the year a worker is still carrying out, if any (one that has hung for half an hour has lost
    its worker and no longer counts)."""
    from datetime import timedelta

    from billing.models import InvoiceRunJob

    return (
        InvoiceRunJob.objects.filter(cooperation=cooperation, year=year, requested_at__gt=now - timedelta(minutes=30))
        .exclude(status__in=[InvoiceRunJob.Status.ISSUED, InvoiceRunJob.Status.FAILED])
        .first()
    )


def run_progress(*, job=None, run=None) -> dict:
    """How far an ordered run and its print bundle have come, for the run's page and its poll (JSON-ready).

    `done` is true when nothing more will change by itself: the job failed, or the run is issued and its
    bundle is ready or failed.
    """
    from billing.models import InvoiceRunBundle, InvoiceRunJob

    if run is None and job is not None and job.run_id:
        run = job.run
    bundle = InvoiceRunBundle.objects.filter(run=run).first() if run is not None else None
    Job = InvoiceRunJob.Status
    status = job.status if job is not None else Job.ISSUED
    failure, failure_details = job.failure_says() if job is not None else (None, [])
    if status == Job.FAILED:
        text = _("Kjøringen feilet, ingenting er utstedt: %(error)s") % {"error": failure or ""}
    elif status == Job.ISSUED:
        count = run.invoice_count if run is not None else 0
        text = _("%(count)s av %(count)s fakturaer er utstedt, EHF validert.") % {"count": count}
    elif status == Job.QUEUED:
        text = _("Venter på at arbeideren skal begynne (%(count)s fakturaer).") % {"count": job.to_issue}
    elif status == Job.ISSUING:
        text = _("EHF validert for alle %(total)s; utsteder nå.") % {"total": job.to_issue}
    else:
        text = _("EHF laget og validert for %(done)s av %(total)s fakturaer.") % {
            "done": job.validated,
            "total": job.to_issue,
        }
    Bundle = InvoiceRunBundle.Status
    bundle_status = bundle.status if bundle is not None else ""
    bundle_text = {
        "": _("Utskriftsfilen er ikke laget ennå."),
        Bundle.QUEUED: _("Utskriftsfilen venter på arbeideren."),
        Bundle.BUILDING: _("Utskriftsfilen lages nå."),
        Bundle.READY: _("Utskriftsfilen er klar."),
        Bundle.FAILED: _("Utskriftsfilen kunne ikke lages: %(error)s") % {"error": bundle.error if bundle else ""},
    }[bundle_status]
    issued = status == Job.ISSUED
    return {
        "status": status,
        "text": text,
        "validated": job.validated if job is not None and not issued else (run.invoice_count if run else 0),
        "total": job.to_issue if job is not None and not issued else (run.invoice_count if run else 0),
        "issued": issued,
        "failed": status == Job.FAILED,
        "details": [str(d) for d in failure_details] if status == Job.FAILED else [],
        "run_id": run.pk if run is not None else None,
        "bundle": bundle_status,
        "bundle_text": bundle_text,
        "bundle_ready": bundle_status == Bundle.READY,
        "done": status == Job.FAILED or (issued and bundle_status in (Bundle.READY, Bundle.FAILED)),
    }
