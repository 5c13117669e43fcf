"""Municipalities: created, corrected, and merged or renumbered by recording a successor."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, snapshot
from khs.lib.dates import format_date
from membership.access import check_municipality_facts
from membership.exceptions import MembershipError
from membership.models import Membership, Municipality, Office
from membership.rules import overlapping, period_label
from membership.services._common import apply_changes, validated

# The fields a form may change, in the order forms show them.
MUNICIPALITY_FIELDS = (
    "name",
    "name_nn",
    "name_se",
    "county",
    "org_number",
    "invoice_street",
    "invoice_postcode",
    "invoice_city",
    "invoice_email",
    "invoice_reference",
    "valid_from",
    "valid_to",
)


def _same_number_clash(number: str, valid_from: date | None, valid_to: date | None, exclude=()) -> Municipality | None:
    """Another municipality with this kommunenummer whose validity overlaps (a number means one place at a time)."""
    others = Municipality.objects.filter(number=number).exclude(pk__in=[m.pk for m in exclude if m.pk])
    if valid_to is not None:
        others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
    if valid_from is not None:
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    return others.first()


def _check_municipality(municipality: Municipality):
    validated(municipality, exclude=["successor"])
    if municipality.valid_from and municipality.valid_to and municipality.valid_to < municipality.valid_from:
        raise MembershipError(_("«Gyldig til» kan ikke være før «gyldig fra»."), field="valid_to")
    clash = _same_number_clash(
        municipality.number, municipality.valid_from, municipality.valid_to, exclude=[municipality]
    )
    if clash is not None:
        raise MembershipError(
            _("Kommunenummer %(number)s brukes allerede av %(other)s i perioden %(period)s.")
            % {
                "number": municipality.number,
                "other": clash.name,
                "period": f"{format_date(clash.valid_from) or '…'}–{format_date(clash.valid_to) or '…'}",
            },
            field="number",
        )


@transaction.atomic
def municipality_create(*, actor, number: str, name: str, cooperation_id: int | None = None, **fields) -> Municipality:
    check_municipality_facts(actor)
    municipality = Municipality(number=number, name=name)
    apply_changes(municipality, fields, allowed=MUNICIPALITY_FIELDS)
    _check_municipality(municipality)
    municipality.save()
    audit_log(
        actor=actor,
        action="create",
        verb="municipality_create",
        obj=municipality,
        changes=snapshot(municipality),
        cooperation_id=cooperation_id,
    )
    return municipality


@transaction.atomic
def municipality_update(
    *, municipality: Municipality, actor, cooperation_id: int | None = None, **fields
) -> Municipality:
    """Correct a municipality's details (administrators: they are the installation's). A new number or a
    merger is not an edit: see municipality_merge."""
    check_municipality_facts(actor)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    changes = apply_changes(municipality, fields, allowed=MUNICIPALITY_FIELDS)
    _check_municipality(municipality)
    if "valid_to" in changes or "valid_from" in changes:
        outside = Membership.objects.filter(municipality=municipality).filter(
            (Q(ends_on__isnull=True) | Q(ends_on__gt=municipality.valid_to)) if municipality.valid_to else Q(pk=None)
        )
        if municipality.valid_from:
            outside = outside | Membership.objects.filter(
                municipality=municipality, starts_on__lt=municipality.valid_from
            )
        first = outside.select_related("cooperation").first()
        if first is not None:
            raise MembershipError(
                _("Medlemskapet i %(coop)s (%(period)s) ligger utenfor den nye gyldighetsperioden; avslutt det først.")
                % {"coop": first.cooperation.short_name, "period": period_label(first.starts_on, first.ends_on)},
                field="valid_to",
            )
    if changes:
        municipality.save()
        audit_log(
            actor=actor,
            action="update",
            verb="municipality_update",
            obj=municipality,
            changes=changes,
            cooperation_id=cooperation_id,
        )
    return municipality


@transaction.atomic
def municipality_merge(
    *,
    predecessors,
    successor_number: str,
    name: str,
    on: date,
    actor,
    carry_offices: bool | None = None,
    cooperation_id: int | None = None,
    **fields,
) -> Municipality:
    """Record a merger or a new number from `on` (1.1.2020): the predecessors end the day before,
    the successor begins, and open memberships move to it from that day.

    One predecessor is a renumbering or renaming (Nes -> Nesbyen 3040); several are a merger
    (Asker + Hurum + Røyken -> Asker 3025). A successor that already exists from `on` (another part
    of the same merger recorded earlier) is reused. Municipal offices end the day before; with one
    predecessor (carry_offices defaults to True then) they continue in the successor."""
    check_municipality_facts(actor)
    predecessors = list(
        Municipality.objects.select_for_update().filter(pk__in=[m.pk for m in predecessors]).order_by("number")
    )
    if not predecessors:
        raise MembershipError(_("Velg minst én kommune som slås sammen eller får nytt nummer."), field="predecessors")
    last_day = on - timedelta(days=1)
    for old in predecessors:
        if old.successor_id is not None:
            raise MembershipError(_("%(m)s har allerede en etterfølger.") % {"m": old}, field="predecessors")
        if not old.exists_on(last_day):
            raise MembershipError(
                _("%(m)s fantes ikke %(day)s, dagen før endringen.") % {"m": old, "day": format_date(last_day)},
                field="predecessors",
            )
        later = Membership.objects.filter(municipality=old, starts_on__gte=on).first()
        if later is not None:
            raise MembershipError(
                _("%(m)s har et medlemskap som begynner %(day)s, etter endringen; rett det først.")
                % {"m": old, "day": format_date(later.starts_on)},
                field="predecessors",
            )
    if carry_offices is None:
        carry_offices = len(predecessors) == 1

    successor = Municipality.objects.select_for_update().filter(number=successor_number, valid_from=on).first()
    if successor is None:
        successor = Municipality(number=successor_number, name=name, valid_from=on)
        apply_changes(successor, fields, allowed=set(MUNICIPALITY_FIELDS) - {"valid_from"})
        validated(successor, exclude=["successor"])
        clash = _same_number_clash(successor_number, on, successor.valid_to, exclude=predecessors)
        if clash is not None:
            raise MembershipError(
                _("Kommunenummer %(number)s brukes allerede av %(other)s.")
                % {"number": successor_number, "other": clash},
                field="successor_number",
            )
        successor.save()
        audit_log(
            actor=actor,
            action="create",
            verb="municipality_merge",
            obj=successor,
            changes=snapshot(successor),
            cooperation_id=cooperation_id,
            message=_("Etterfølger for %(names)s fra %(day)s")
            % {"names": ", ".join(str(m) for m in predecessors), "day": format_date(on)},
        )

    regions = set()
    carried: dict[int, list[tuple[Membership, date | None]]] = {}  # cooperation -> [(membership, its old end)]
    for old in predecessors:
        old.valid_to, old.successor = last_day, successor
        old.save(update_fields=["valid_to", "successor"])
        audit_log(
            actor=actor,
            action="update",
            verb="municipality_merge",
            obj=old,
            changes={"valid_to": [None, last_day], "successor": [None, successor.pk]},
            cooperation_id=cooperation_id,
        )
        regions.update(old.regions.all())
        for membership in overlapping(Membership.objects.select_for_update().filter(municipality=old), on, None):
            carried.setdefault(membership.cooperation_id, []).append((membership, membership.ends_on))
            audit_log(
                actor=actor,
                action="update",
                verb="municipality_merge",
                obj=membership,
                changes={"ends_on": [membership.ends_on, last_day]},
                cooperation_id=membership.cooperation_id,
            )
            membership.ends_on = last_day
            membership.save(update_fields=["ends_on"])
        offices = overlapping(Office.objects.select_for_update().filter(municipality=old), on, None)
        for office in offices:
            ended_on = office.ends_on
            office.ends_on = last_day
            office.save(update_fields=["ends_on"])
            if carry_offices:
                Office.objects.create(
                    person=office.person,
                    kind=office.kind,
                    municipality=successor,
                    title=office.title,
                    starts_on=on,
                    ends_on=ended_on,
                )
            audit_log(
                actor=actor,
                action="update",
                verb="municipality_merge",
                obj=office,
                changes={"ends_on": [ended_on, last_day]},
                cooperation_id=cooperation_id,
                message=_("Fortsetter i %(m)s") % {"m": successor} if carry_offices else "",
            )
    successor.regions.add(*regions)

    names = {m.pk: m.name for m in predecessors}
    for cooperation_id_, memberships in carried.items():
        ends = [end for _m, end in memberships]
        ends_on = None if any(e is None for e in ends) else max(ends)
        if overlapping(
            Membership.objects.filter(municipality=successor, cooperation_id=cooperation_id_), on, ends_on
        ).exists():
            continue  # the successor already carries this membership (an earlier part of the merger)
        membership = Membership.objects.create(
            cooperation_id=cooperation_id_,
            municipality=successor,
            starts_on=on,
            ends_on=ends_on,
            note=_("Videreført fra %(names)s")
            % {"names": ", ".join(names[m.municipality_id] for m, _e in memberships)},
        )
        audit_log(
            actor=actor,
            action="create",
            verb="municipality_merge",
            obj=membership,
            changes=snapshot(membership),
            cooperation_id=cooperation_id_,
        )
    return successor
