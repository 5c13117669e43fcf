"""Shared reads of the register: "who was a member on 1.1.2018" is one query."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q, QuerySet

from membership.models import Cooperation, MemberContact, Membership, Municipality, Office, Person, Population
from membership.rules import overlapping


def active_on(day: date, *, start: str = "starts_on", end: str = "ends_on") -> Q:
    """Date-range filter: the period includes `day` (open end when blank)."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def memberships_on(cooperation, day: date) -> QuerySet:
    return (
        Membership.objects.filter(active_on(day), cooperation=cooperation)
        .select_related("municipality")
        .order_by("municipality__number")
    )


def memberships_during(cooperation, first: date, last: date) -> QuerySet:
    """Memberships that overlap the period first..last (e.g. a contribution year)."""
    return (
        overlapping(Membership.objects.filter(cooperation=cooperation), first, last)
        .select_related("municipality")
        .order_by("municipality__number")
    )


def body_offices_from(body, day: date) -> QuerySet:
    """A body's offices that have not ended by `day` (current and coming terms), by kind and name."""
    return (
        overlapping(Office.objects.filter(body=body), day, None)
        .select_related("person", "municipality")
        .order_by("kind", "person__name")
    )


def office_holder(*, kind: str, day: date, municipality=None, body=None):
    """The person in an office on a day, e.g. the mayor of Gol on 15.06.2017, or None."""
    office = (
        Office.objects.filter(active_on(day), kind=kind, municipality=municipality, body=body)
        .select_related("person")
        .order_by("-starts_on")
        .first()
    )
    return office.person if office else None


def mayors_on(municipalities, day: date) -> dict:
    """{municipality_id: Person} of the mayors in office on `day`, in one query."""
    offices = (
        Office.objects.filter(active_on(day), kind=Office.Kind.MAYOR, municipality__in=municipalities)
        .select_related("person")
        .order_by("starts_on")
    )
    return {o.municipality_id: o.person for o in offices}


# --- The member list and the register pages ---------------------------------------------------------

SORT_KEYS = ("number", "name", "population", "mayor")


@dataclass
class MemberRow:
    membership: Membership
    municipality: Municipality
    population: int | None
    share: Decimal | None  # per cent of the list's known total
    mayor: Person | None
    population_source: str = ""  # shown beside the figure when it is derived (Population.derived)

    @property
    def population_derived(self) -> bool:
        return self.population_source.startswith(Population.DERIVED_PREFIX)


@dataclass
class MemberList:
    """The members of a cooperation on one day, with population on 1 January of population_year."""

    cooperation: Cooperation
    day: date
    population_year: int
    rows: list[MemberRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def total_population(self) -> int:
        return sum(r.population for r in self.rows if r.population is not None)

    @property
    def missing_population(self) -> int:
        return sum(1 for r in self.rows if r.population is None)

    @property
    def derived_population(self) -> int:
        """Members whose figure is derived from their predecessors' official figures."""
        return sum(1 for r in self.rows if r.population is not None and r.population_derived)


def population_year_for(municipality_ids, day: date) -> int:
    """The latest year up to day's year with figures for any of these municipalities (else day's year)."""
    latest = Population.objects.filter(municipality__in=municipality_ids, year__lte=day.year).aggregate(
        latest=Max("year")
    )["latest"]
    return latest or day.year


def member_list(cooperation, day: date, *, population_year: int | None = None, sort: str = "number") -> MemberList:
    """Members on `day` with population, share of the total and mayor, in a fixed number of queries."""
    memberships = list(memberships_on(cooperation, day))
    ids = [m.municipality_id for m in memberships]
    if population_year is None:
        population_year = population_year_for(ids, day)
    figures = {
        mid: (count, source)
        for mid, count, source in Population.objects.filter(municipality__in=ids, year=population_year).values_list(
            "municipality_id", "count", "source"
        )
    }
    mayors = mayors_on(ids, day)
    result = MemberList(cooperation=cooperation, day=day, population_year=population_year)
    result.rows = [
        MemberRow(
            membership=m,
            municipality=m.municipality,
            population=figures.get(m.municipality_id, (None, ""))[0],
            share=None,
            mayor=mayors.get(m.municipality_id),
            population_source=figures.get(m.municipality_id, (None, ""))[1],
        )
        for m in memberships
    ]
    total = result.total_population
    for row in result.rows:
        if row.population is not None and total:
            row.share = (Decimal(row.population) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    key, reverse = sort.lstrip("-"), sort.startswith("-")
    if key not in SORT_KEYS:
        key, reverse = "number", False
    sort_key = {
        "number": lambda r: r.municipality.number,
        "name": lambda r: r.municipality.name.lower(),
        "population": lambda r: r.population if r.population is not None else -1,
        "mayor": lambda r: r.mayor.name.lower() if r.mayor else "",
    }[key]
    result.rows.sort(key=sort_key, reverse=reverse)
    return result


def population_years() -> list[int]:
    return list(Population.objects.order_by("-year").values_list("year", flat=True).distinct())


def people_for_cooperation(cooperation) -> QuerySet:
    """The people a cooperation's staff may see (the rule lives in membership.access)."""
    from membership.access import people_readable

    return people_readable(cooperation)


def offices_for_cooperation(cooperation) -> QuerySet:
    from membership.access import offices_readable

    return offices_readable(cooperation)


INVOICE_FIELDS = ("invoice_street", "invoice_postcode", "invoice_city", "invoice_email", "invoice_reference")


def invoice_details_for(cooperation, municipalities) -> dict:
    """{municipality_id: where this cooperation's invoices to it go} in one query: the cooperation's own
    MemberContact, or the municipality itself (its default invoice address) when it has none. Both
    have the fields invoice_street, invoice_postcode, invoice_city, invoice_email, invoice_reference."""
    municipalities = list(municipalities)
    contacts = {
        c.municipality_id: c
        for c in MemberContact.objects.filter(cooperation=cooperation, municipality__in=[m.pk for m in municipalities])
    }
    return {m.pk: contacts.get(m.pk, m) for m in municipalities}


def invoice_details(cooperation, municipality):
    return invoice_details_for(cooperation, [municipality])[municipality.pk]


def municipalities_on(day: date) -> QuerySet:
    """Municipalities in existence on day (numbers valid then)."""
    return Municipality.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
