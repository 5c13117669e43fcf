"""The register's rules about periods, read-only: forms show them beside the fields, services enforce
them again under a lock. Each returns {field: message} for what is wrong (empty when all is well)."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from khs.lib.dates import format_date
from membership.models import Membership, Municipality, Office

# Offices only one person holds at a time (per municipality or body).
SINGLE_HOLDER_KINDS = (
    Office.Kind.MAYOR,
    Office.Kind.DEPUTY_MAYOR,
    Office.Kind.CHIEF_EXECUTIVE,
    Office.Kind.BODY_LEADER,
    Office.Kind.BODY_DEPUTY_LEADER,
)


def period_label(starts_on: date, ends_on: date | None) -> str:
    """01.01.2012–31.12.2017, or 01.01.2012– (løpende)"""
    return f"{format_date(starts_on)}–{format_date(ends_on) if ends_on else _('(løpende)')}"


def overlapping(queryset, starts_on: date, ends_on: date | None):
    """Rows of queryset whose starts_on..ends_on period shares at least one day with the given one."""
    queryset = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        queryset = queryset.filter(starts_on__lte=ends_on)
    return queryset


def existence_errors(municipality: Municipality, starts_on: date, ends_on: date | None, *, what: str) -> dict:
    """The period must lie within the municipality's own validity (it did not exist before or after)."""
    if municipality.valid_to and starts_on > municipality.valid_to:
        return {
            "starts_on": _("%(municipality)s fantes ikke lenger %(start)s (opphørte %(day)s).")
            % {"municipality": municipality, "start": format_date(starts_on), "day": format_date(municipality.valid_to)}
        }
    errors = {}
    if municipality.valid_from and starts_on < municipality.valid_from:
        errors["starts_on"] = _("%(municipality)s fantes ikke før %(day)s, så %(what)s kan ikke begynne %(start)s.") % {
            "municipality": municipality,
            "day": format_date(municipality.valid_from),
            "what": what,
            "start": format_date(starts_on),
        }
    if municipality.valid_to and (ends_on is None or ends_on > municipality.valid_to):
        errors["ends_on"] = _("%(municipality)s opphørte %(day)s; %(what)s må ha en sluttdato senest da.") % {
            "municipality": municipality,
            "day": format_date(municipality.valid_to),
            "what": what,
        }
    return errors


def membership_errors(
    *, cooperation, municipality: Municipality, starts_on: date, ends_on: date | None, exclude_pk: int | None = None
) -> dict:
    """A membership: a real period, within the municipality's life, not overlapping another of the pair."""
    if ends_on is not None and ends_on < starts_on:
        return {"ends_on": _("Sluttdatoen kan ikke være før startdatoen.")}
    errors = existence_errors(municipality, starts_on, ends_on, what=_("medlemskapet"))
    others = (
        overlapping(Membership.objects.filter(cooperation=cooperation, municipality=municipality), starts_on, ends_on)
        .exclude(pk=exclude_pk)
        .order_by("starts_on")
        .first()
    )
    if others is not None:
        errors.setdefault(
            "starts_on",
            _("%(municipality)s er allerede medlem i perioden %(period)s; periodene kan ikke overlappe.")
            % {"municipality": municipality, "period": period_label(others.starts_on, others.ends_on)},
        )
    return errors


def office_place_errors(*, kind: str, municipality, body, cooperation) -> dict:
    """Each kind of office belongs somewhere: a municipality, a body or a cooperation."""
    if kind in Office.MUNICIPAL_KINDS and municipality is None:
        return {"municipality": _("Velg kommunen vervet gjelder.")}
    if kind in Office.BODY_KINDS and body is None:
        return {"body": _("Velg organet vervet gjelder.")}
    if kind == Office.Kind.SECRETARIAT and cooperation is None:
        return {"cooperation": _("Velg samarbeidet sekretariatet arbeider for.")}
    return {}


def office_errors(
    *,
    person,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    municipality=None,
    body=None,
    cooperation=None,
    exclude_pk: int | None = None,
    end_previous: bool = True,
) -> dict:
    """An office: in its place, within the municipality's life, one holder at a time for single offices.

    With end_previous, an open office of another holder that began earlier is no obstacle: the
    service ends it the day before (after an election a new mayor takes over)."""
    if ends_on is not None and ends_on < starts_on:
        return {"ends_on": _("Sluttdatoen kan ikke være før startdatoen.")}
    errors = office_place_errors(kind=kind, municipality=municipality, body=body, cooperation=cooperation)
    if errors:
        return errors
    if municipality is not None and kind in Office.MUNICIPAL_KINDS:
        errors.update(existence_errors(municipality, starts_on, ends_on, what=_("vervet")))
    place = {
        "municipality": municipality if kind in Office.MUNICIPAL_KINDS else None,
        "body": body if kind in Office.BODY_KINDS else None,
    }
    same_office = Office.objects.filter(kind=kind, **place).exclude(pk=exclude_pk)
    if kind == Office.Kind.SECRETARIAT:
        same_office = same_office.filter(cooperation=cooperation)
    own = overlapping(same_office.filter(person=person), starts_on, ends_on).first()
    if own is not None:
        errors.setdefault(
            "starts_on",
            _("%(person)s har allerede dette vervet i perioden %(period)s.")
            % {"person": person, "period": period_label(own.starts_on, own.ends_on)},
        )
    if kind in SINGLE_HOLDER_KINDS:
        for other in overlapping(same_office.exclude(person=person), starts_on, ends_on).select_related("person"):
            if end_previous and other.ends_on is None and other.starts_on < starts_on:
                continue  # will be ended the day before
            errors.setdefault(
                "starts_on",
                _("%(person)s har dette vervet i perioden %(period)s; bare én kan ha det om gangen.")
                % {"person": other.person, "period": period_label(other.starts_on, other.ends_on)},
            )
    return errors
