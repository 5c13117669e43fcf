"""Population figures: imported all or nothing, re-imports show and log what changes."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.access import acts_as_administrator, municipalities_changeable, not_a_member_message
from membership.exceptions import MembershipError
from membership.models import Cooperation, Membership, Municipality, Population
from membership.population_files import MAX_COUNT, ParsedPopulationFile, PopulationRow, parse_population_file
from membership.selectors import active_on
from membership.services._common import audit_log_shared


@dataclass
class PopulationChange:
    line: int
    municipality: Municipality
    year: int
    old: int | None
    new: int

    @property
    def delta(self) -> int:
        return self.new - (self.old or 0)


@dataclass
class PopulationImportResult:
    source: str
    created: list[PopulationChange] = field(default_factory=list)
    updated: list[PopulationChange] = field(default_factory=list)
    unchanged: list[PopulationChange] = field(default_factory=list)
    existing: dict = field(default_factory=dict, repr=False)  # {(municipality_id, year): Population}

    @property
    def changes(self) -> list[PopulationChange]:
        return self.created + self.updated

    @property
    def years(self) -> list[int]:
        return sorted({c.year for c in self.created + self.updated + self.unchanged})

    def summary(self) -> str:
        return _("%(created)s nye, %(updated)s endret, %(unchanged)s uendret") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


def _as_row(row) -> PopulationRow:
    if isinstance(row, PopulationRow):
        return row
    if isinstance(row, dict):
        return PopulationRow(line=row.get("line", 0), number=row["number"], year=row["year"], count=row["count"])
    line, number, year, count = row
    return PopulationRow(line=line, number=number, year=year, count=count)


def _plan(rows, source: str, *, lock: bool, changeable=None) -> PopulationImportResult:
    """changeable: the municipalities (a queryset or ids) the actor may change figures of; None for all."""
    if changeable is not None:
        changeable = (
            set(changeable.values_list("pk", flat=True)) if hasattr(changeable, "values_list") else set(changeable)
        )
    rows = [_as_row(r) for r in rows]
    errors: list[tuple[int, str]] = []
    if not source.strip():
        raise MembershipError(_("Oppgi kilden til tallene, f.eks. «SSB tabell 07459»."), field="source")
    if not rows:
        raise MembershipError(_("Filen inneholder ingen innbyggertall."), field="file")
    numbers = {r.number for r in rows if isinstance(r.number, str)}
    by_number: dict[str, list[Municipality]] = {}
    for municipality in Municipality.objects.filter(number__in=numbers).order_by("valid_from"):
        by_number.setdefault(municipality.number, []).append(municipality)

    matched: list[tuple[PopulationRow, Municipality]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        if not (isinstance(row.number, str) and re.fullmatch(r"\d{4}", row.number)):
            errors.append(
                (
                    row.line,
                    _("«%(value)s» er ikke et gyldig kommunenummer (fire siffer, f.eks. 0602).")
                    % {"value": row.number},
                )
            )
            continue
        if not (isinstance(row.year, int) and 1800 <= row.year <= 2100):
            errors.append((row.line, _("«%(value)s» er ikke et årstall.") % {"value": row.year}))
            continue
        if not isinstance(row.count, int) or isinstance(row.count, bool):
            errors.append((row.line, _("«%(value)s» er ikke et tall.") % {"value": row.count}))
            continue
        if row.count < 0:
            errors.append((row.line, _("Innbyggertallet kan ikke være negativt (%(value)s).") % {"value": row.count}))
            continue
        if row.count == 0:
            errors.append((row.line, _("Innbyggertallet må være større enn null.")))
            continue
        if row.count > MAX_COUNT:
            errors.append(
                (row.line, _("Innbyggertallet %(value)s er urimelig stort (over %(max)s).") % {
                    "value": row.count, "max": "10 000 000"})
            )  # fmt: skip
            continue
        key = (row.number, row.year)
        if key in seen:
            errors.append(
                (
                    row.line,
                    _("%(number)s %(year)s står to ganger (også på linje %(other)s).")
                    % {"number": row.number, "year": row.year, "other": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        candidates = by_number.get(row.number)
        if not candidates:
            errors.append((row.line, _("Kommunenummer %(number)s finnes ikke i registeret.") % {"number": row.number}))
            continue
        day = date(row.year, 1, 1)
        municipality = next((m for m in candidates if m.exists_on(day)), None)
        if municipality is None:
            errors.append(
                (
                    row.line,
                    _("Kommunenummer %(number)s (%(name)s) fantes ikke 1.1.%(year)s.")
                    % {"number": row.number, "name": candidates[-1].name, "year": row.year},
                )
            )
            continue
        if changeable is not None and municipality.pk not in changeable:
            errors.append((row.line, not_a_member_message(municipality)))
            continue
        matched.append((row, municipality))
    if errors:
        errors.sort(key=lambda e: e[0])
        raise MembershipError(_("Ingenting ble lagret: %(n)s feil i filen.") % {"n": len(errors)}, line_errors=errors)

    existing_qs = Population.objects.filter(
        municipality__in={m.pk for _r, m in matched}, year__in={r.year for r, _m in matched}
    )
    if lock:
        existing_qs = existing_qs.select_for_update()
    existing = {(p.municipality_id, p.year): p for p in existing_qs}
    result = PopulationImportResult(source=source)
    for row, municipality in sorted(matched, key=lambda rm: (rm[0].year, rm[1].number)):
        old = existing.get((municipality.pk, row.year))
        change = PopulationChange(
            line=row.line, municipality=municipality, year=row.year, old=old.count if old else None, new=row.count
        )
        if old is None:
            result.created.append(change)
        elif old.count != row.count:
            result.updated.append(change)
        else:
            result.unchanged.append(change)
    result.existing = existing
    return result


def _changeable(actor, cooperation_id):
    if acts_as_administrator(actor):
        return None
    return municipalities_changeable(actor, Cooperation.objects.filter(pk=cooperation_id).first())


def population_import_preview(
    *, rows, source: str, actor=None, cooperation_id: int | None = None
) -> PopulationImportResult:
    """What an import would do (new, changed and unchanged figures), without saving anything. Staff
    change figures only of their cooperation's members today (membership.access)."""
    return _plan(rows, source, lock=False, changeable=_changeable(actor, cooperation_id))


@transaction.atomic
def population_import(
    *, rows, source: str, actor, cooperation_id: int | None = None, actor_label: str = ""
) -> PopulationImportResult:
    """Save inhabitants per municipality and year, all or nothing: any bad row refuses the whole file
    (MembershipError with every error by line). Changed figures are updated, each with an audit entry."""
    result = _plan(rows, source, lock=True, changeable=_changeable(actor, cooperation_id))
    concerned = {}
    for membership in Membership.objects.filter(
        active_on(timezone.localdate()), municipality__in={c.municipality.pk for c in result.changes}
    ):
        concerned.setdefault(membership.municipality_id, set()).add(membership.cooperation_id)
    Population.objects.bulk_create(
        [Population(municipality=c.municipality, year=c.year, count=c.new, source=source) for c in result.created]
    )
    updated = []
    for change in result.updated:
        population = result.existing[(change.municipality.pk, change.year)]
        old_source = population.source
        population.count, population.source = change.new, source
        updated.append(population)
        audit_log_shared(
            cooperation_ids=[cooperation_id, *concerned.get(change.municipality.pk, ())],
            actor=actor,
            actor_label=actor_label,
            action="update",
            verb="population_import",
            obj=population,
            changes={"count": [change.old, change.new], "source": [old_source, source]},
        )
    Population.objects.bulk_update(updated, ["count", "source"])
    audit_log_shared(
        cooperation_ids=[cooperation_id, *(i for ids in concerned.values() for i in ids)],
        actor=actor,
        actor_label=actor_label,
        action="event",
        verb="population_import",
        message=f"{source}: {result.summary()}",
        changes={f"{c.municipality.number} {c.year}": [c.old, c.new] for c in result.changes},
    )
    return result


def population_import_file(
    *, data: bytes, source: str, actor, dry_run: bool = False, cooperation_id: int | None = None, actor_label: str = ""
) -> tuple[ParsedPopulationFile, PopulationImportResult]:
    """Read a file and import it (or, with dry_run, only show what would change). Every problem,
    from the file's form to kommunenummer unknown to the register, is listed by line in one
    MembershipError, and then nothing is saved."""
    parsed = parse_population_file(data)
    if parsed.errors:
        errors = list(parsed.errors)
        try:
            _plan(parsed.rows, source or "-", lock=False)
        except MembershipError as error:
            errors += error.line_errors
        errors.sort(key=lambda e: e[0])
        raise MembershipError(_("Ingenting ble lagret: %(n)s feil i filen.") % {"n": len(errors)}, line_errors=errors)
    if dry_run:
        return parsed, population_import_preview(
            rows=parsed.rows, source=source, actor=actor, cooperation_id=cooperation_id
        )
    return parsed, population_import(
        rows=parsed.rows, source=source, actor=actor, cooperation_id=cooperation_id, actor_label=actor_label
    )
