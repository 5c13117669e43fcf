"""Shared reads of the register: "who was a member on 1.1.2018" is one query."""

from datetime import date

from django.db.models import Q, QuerySet

from membership.models import Membership, Office


def active_on(day: date, *, start: str = "starts_on", end: str = "ends_on") -> Q:
    """Date-range filter: the period includes `day` (open end when blank)."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def memberships_on(cooperation, day: date) -> QuerySet:
    return (Membership.objects.filter(active_on(day), cooperation=cooperation)
            .select_related("municipality").order_by("municipality__number"))


def memberships_during(cooperation, first: date, last: date) -> QuerySet:
    """Memberships that overlap the period first..last (e.g. a contribution year)."""
    return (Membership.objects.filter(cooperation=cooperation, starts_on__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
            .select_related("municipality").order_by("municipality__number"))


def office_holder(*, kind: str, day: date, municipality=None, body=None):
    """The person in an office on a day, e.g. the mayor of Gol on 15.06.2017, or None."""
    office = (Office.objects.filter(active_on(day), kind=kind, municipality=municipality, body=body)
              .select_related("person").order_by("-starts_on").first())
    return office.person if office else None


def mayors_on(municipalities, day: date) -> dict:
    """{municipality_id: Person} of the mayors in office on `day`, in one query."""
    offices = (Office.objects.filter(active_on(day), kind=Office.Kind.MAYOR, municipality__in=municipalities)
               .select_related("person").order_by("starts_on"))
    return {o.municipality_id: o.person for o in offices}
