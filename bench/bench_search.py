"""Searching the decision register: 50 000 cases with their texts on PostgreSQL.

    python bench/bench_search.py            # from the repository root

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/khs_bench_search; a database whose name contains
"bench" is dropped and created afresh), migrates it and writes 2 500 meetings with approved minutes and 20 cases
each (title, about 200 words of background and assessment, a proposal and a resolution; words drawn from a fixed
Norwegian vocabulary with a fixed seed). Then it times, as the public register does it (the public scope, the
count, the top 20 by rank, their highlighted headlines and the cases themselves):

1. a common word ("kommunene", in about a third of the cases),
2. a phrase ("kr 2,50 pr innbygger", in about one case in 200),

BENCH_RUNS times each (default 30), and prints the median and p95 in ms (target < 50 ms), how many matched (a
common word is counted to 200), and which index each statement of the search uses (EXPLAIN of the statements
search_cases ran, replayed with its settings: GIN = the full-text index, pkey = newest first by primary key).
BENCH_SKIP_POPULATE=1 reuses the database of the previous run.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khs_bench_search")
CASES = int(os.environ.get("BENCH_CASES", "50000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
PER_MEETING = 20
COMMON, PHRASE = "kommunene", '"kr 2,50 pr innbygger"'

WORDS = (
    "samarbeidet helse omsorg tjenester utvikling prosjekt styret ordførermøtet rådmannsgruppen vedtak budsjett "
    "regnskap avtale videreføring avvikling sekretariat koordinator stilling finansiering tilskudd søknad rapport "
    "evaluering samhandling sykehus legevakt rus psykisk barn unge eldre hjemmetjenester sykehjem kompetanse "
    "opplæring nettverk region fylke departement direktorat statsforvalter plan strategi tiltak mål resultat "
    "økonomi kostnader fordeling innbyggertall andel medlemmer møte sak forslag vurdering saksopplysning "
    "orientering høring uttalelse frist oppfølging ansvar ledelse digitalisering velferdsteknologi data analyse"
).split()


def _database_afresh():
    import psycopg2

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if "bench" in name:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _paragraph(rng, n, *, common: bool, phrase: bool) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    if common:
        words.insert(rng.randrange(len(words)), COMMON)
    if phrase:
        words.insert(rng.randrange(len(words)), "kr 2,50 pr innbygger")
    return "<p>" + " ".join(words).capitalize() + ".</p>"


def _populate():
    from django.db import connection, transaction
    from django.utils import timezone

    from meetings.models import Case, Meeting, Minutes
    from membership.models import Body, Cooperation

    rng = random.Random(2017)
    now = timezone.now()
    coop = Cooperation.objects.create(name="Benkesamarbeidet", short_name="BENK")
    body = Body.objects.create(cooperation=coop, name="Ordførermøtet")
    meetings = Meeting.objects.bulk_create(
        Meeting(
            body=body,
            number=i + 1,
            title=f"Møte {i + 1}",
            status=Meeting.Status.MINUTES_APPROVED,
            starts_at=now - timezone.timedelta(days=3 * (CASES // PER_MEETING - i)),
        )
        for i in range(CASES // PER_MEETING)
    )
    Minutes.objects.bulk_create(
        Minutes(
            meeting=m,
            status=Minutes.Status.APPROVED,
            started_at=m.starts_at,
            created_at=now,
            updated_at=now,
            approved_at=now,
        )
        for m in meetings
    )
    started = time.perf_counter()
    batch = []
    for i in range(CASES):
        meeting = meetings[i // PER_MEETING]
        common = rng.random() < 0.33
        phrase = rng.random() < 0.005
        batch.append(
            Case(
                body=body,
                year=2000 + i // 2000,
                number=i % 2000 + 1,
                meeting=meeting,
                agenda_position=i % PER_MEETING,
                title=" ".join(rng.choice(WORDS) for _ in range(5)).capitalize(),
                background=_paragraph(rng, 150, common=common, phrase=phrase),
                assessment=_paragraph(rng, 50, common=False, phrase=False),
                proposed_resolution=_paragraph(rng, 25, common=False, phrase=False),
                resolution=_paragraph(rng, 25, common=False, phrase=False),
                registered_at=meeting.starts_at,
                outcome=Case.Outcome.ADOPTED,
            )
        )
        if len(batch) == 2000:
            with transaction.atomic():
                Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"wrote {CASES} cases (index kept in step by the trigger) in {time.perf_counter() - started:.1f} s")


def _time(query: str):
    from django.utils import timezone

    from publishing import search, selectors

    timings, total = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        hits, total = search.search_cases(selectors.open_cases(timezone.now()), query, limit=20)
        for hit in hits:
            str(hit.headline)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, total


def _plans(query: str) -> str:
    """Replay the statements search_cases runs (its SET LOCALs too) with EXPLAIN: which indexes they use."""
    from django.db import connection, transaction
    from django.utils import timezone

    from publishing import search, selectors

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search.search_cases(selectors.open_cases(timezone.now()), query, limit=20)
    used = []
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            if sql.startswith("SET"):
                cursor.execute(sql, params)
            elif sql.lstrip().startswith("SELECT") and "publishing_case_search" in sql:
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if "publishing_case_search_document_gin" in plan:
                    used.append("GIN")
                elif "publishing_case_search_pkey" in plan:
                    used.append("pkey")
                else:
                    used.append("seq")
    return ", ".join(used)


def main():
    if not DATABASE_URL.startswith("postgres"):
        sys.exit("bench_search needs PostgreSQL (DATABASE_URL=postgres://…)")
    if not os.environ.get("BENCH_SKIP_POPULATE"):
        _database_afresh()
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khs.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if not os.environ.get("BENCH_SKIP_POPULATE"):
        call_command("migrate", verbosity=0)
        _populate()
    print(f"load average before timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'search':<28} {'matches':>8} {'median ms':>10} {'p95 ms':>8}  index per statement (match check, count, page)"
    )
    for label, query in (("common word: kommunene", COMMON), ("phrase: kr 2,50 pr innbygger", PHRASE)):
        median, p95, total = _time(query)
        print(f"{label:<28} {total:>8} {median:>10.1f} {p95:>8.1f}  {_plans(query)}")


if __name__ == "__main__":
    main()
