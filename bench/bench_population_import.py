"""Benchmark: reading and importing a full SSB 07459 download, and the member list of a large cooperation.

Run from the repository root: python bench/bench_population_import.py
Uses a throwaway SQLite file unless DATABASE_URL is set. Prints figures; asserts nothing about time.
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="khs-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khs.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from membership.models import Cooperation, Membership, Municipality, Office, Person  # noqa: E402
from membership.population_files import parse_population_file  # noqa: E402
from membership.selectors import member_list  # noqa: E402
from membership.services import population_import  # noqa: E402

MUNICIPALITIES = 356  # Norway in 2020-2023
AGES = 106  # 0 år … 105 år eller eldre
SEXES = ("Menn", "Kvinner")


def ssb_file(years) -> bytes:
    """A download of 07459 by region, sex, age and year, as StatBank writes it."""
    lines = [
        '"07459: Befolkning, etter region, kjønn, alder, år og statistikkvariabel"',
        "",
        '"region";"kjønn";"alder";"år";"statistikkvariabel";"07459: Befolkning"',
    ]
    for i in range(MUNICIPALITIES):
        for year in years:
            for sex in SEXES:
                for age in range(AGES):
                    lines.append(
                        f'"{1000 + i:04d} Kommune {i}";"{sex}";"{age} år";"{year}";"Personer";{(i + age + year) % 97}'
                    )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def timed(label, fn):
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s  {len(queries):6d} queries")
    return result


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    with transaction.atomic():
        coop = Cooperation.objects.create(name="Bench", short_name=f"B{time.time_ns()}")
        municipalities = Municipality.objects.bulk_create(
            [Municipality(number=f"{1000 + i:04d}", name=f"Kommune {i}") for i in range(MUNICIPALITIES)]
        )
        Membership.objects.bulk_create(
            [Membership(cooperation=coop, municipality=m, starts_on=date(2012, 1, 1)) for m in municipalities]
        )
        people = Person.objects.bulk_create([Person(name=f"Ordfører {i}") for i in range(MUNICIPALITIES)])
        Office.objects.bulk_create(
            [
                Office(person=p, kind=Office.Kind.MAYOR, municipality=m, starts_on=date(2015, 10, 1))
                for p, m in zip(people, municipalities, strict=False)
            ]
        )

    data = ssb_file([2017])
    lines = data.count(b"\n")
    print(
        f"SSB file: {len(data) / 1e6:.1f} MB, {lines} lines "
        f"({MUNICIPALITIES} municipalities x {len(SEXES)} sexes x {AGES} ages x 1 year)"
    )
    parsed = timed("parse (sum over sex and age)", lambda: parse_population_file(data))
    assert not parsed.errors and len(parsed.rows) == MUNICIPALITIES
    timed("import, all new", lambda: population_import(rows=parsed.rows, source="bench", actor=None))
    changed = [
        r.__class__(line=r.line, number=r.number, year=r.year, count=r.count + 1, label=r.label) for r in parsed.rows
    ]
    timed(
        "re-import, every figure changed (one audit entry each)",
        lambda: population_import(rows=changed, source="bench 2", actor=None),
    )
    timed("re-import, nothing changed", lambda: population_import(rows=changed, source="bench 2", actor=None))
    members = timed(
        f"member list of {MUNICIPALITIES} members with population and mayor",
        lambda: member_list(coop, date(2018, 1, 1)),
    )
    assert members.count == MUNICIPALITIES and members.missing_population == 0


if __name__ == "__main__":
    main()
