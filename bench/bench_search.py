"""Searching the decision register: 50 000 cases with their texts on PostgreSQL.

    python bench/bench_search.py            # from the repository root

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/khs_bench_search; a database whose name contains
"bench" is dropped and created afresh), migrates it and writes 2 500 meetings with approved minutes and 20 cases
each (title, about 200 words of background and assessment, a proposal and a resolution; words drawn from a fixed
Norwegian vocabulary with a fixed seed). Then it times, as the public register does it (the public scope, the
count, the top 20 by rank, their highlighted headlines and the cases themselves):

1. a common word ("kommunene", in about a third of the cases; in the title or resolution of one in 25 of those),
2. a phrase ("kr 2,50 pr innbygger", in about one case in 200),

BENCH_RUNS times each (default 30), and prints the median and p95 in ms (target < 50 ms), the CPU per search
(this process + the database backend, from /proc: on a busy machine the wall time is mostly waiting), how many
matched (a common word is counted to SEARCH_COUNT_LIMIT, 200: "more than 200"), how many of the common word's first
page have it in their title or resolution (ranking puts those first), and which indexes each statement of the search uses (EXPLAIN
of the statements search_cases ran, replayed with its settings: GIN = the full-text index of the whole text,
GIN(head) = that of title and resolutions, pkey = newest first by primary key, seq = none).
BENCH_SKIP_POPULATE=1 reuses the database of the previous run (run `manage.py migrate` on it after a new migration).
"""

import os
import random
import re
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
    head_rng = random.Random(15)  # which cases also have the common word in their title or resolution
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
        in_title, in_resolution = (head_rng.random() < 0.02, head_rng.random() < 0.02) if common else (False, False)
        batch.append(
            Case(
                body=body,
                year=2000 + i // 2000,
                number=i % 2000 + 1,
                meeting=meeting,
                agenda_position=i % PER_MEETING,
                title=" ".join([rng.choice(WORDS) for _ in range(5)] + [COMMON] * in_title).capitalize(),
                background=_paragraph(rng, 150, common=common, phrase=phrase),
                assessment=_paragraph(rng, 50, common=False, phrase=False),
                proposed_resolution=_paragraph(rng, 25, common=False, phrase=False),
                resolution=_paragraph(rng, 25, common=in_resolution, phrase=False),
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
        # As autovacuum leaves a table in use: statistics, the visibility map, and the GIN indexes' pending lists
        # (entries not yet merged, which every search scans in full) merged into them.
        cursor.execute("VACUUM ANALYZE")
    print(f"wrote {CASES} cases (index kept in step by the trigger) in {time.perf_counter() - started:.1f} s")


def _time(query: str):
    from django.db import connection
    from django.utils import timezone

    from publishing import search, selectors

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    timings, total, info = [], 0, {}
    cpu_started = time.process_time(), _process_cpu(backend)
    for _ in range(RUNS):
        started = time.perf_counter()
        hits, total = search.search_cases(selectors.open_cases(timezone.now()), query, limit=20, info=info)
        for hit in hits:
            str(hit.headline)
        timings.append((time.perf_counter() - started) * 1000)
    python_cpu, backend_cpu = time.process_time() - cpu_started[0], _process_cpu(backend) - cpu_started[1]
    cpu = f"{python_cpu / RUNS * 1000:.0f} + {backend_cpu / RUNS * 1000:.0f}" if backend_cpu >= 0 else "?"
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    in_head = sum(1 for h in hits if COMMON in f"{h.case.title} {h.case.resolution}".lower())
    shown = f"> {total}" if info.get("capped") else str(total)
    return statistics.median(timings), p95, cpu, shown, f"{in_head}/{len(hits)}" if query == COMMON else "-"


def _process_cpu(pid: int) -> float:
    """CPU seconds a local process has used (the database backend), or -1 where /proc does not tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    names = {"document_gin": "GIN", "head_gin": "GIN(head)", "staff_gin": "GIN(staff)", "pkey": "pkey"}
    used = []
    for sql, params in statements:  # each in a transaction of its own, as search_cases runs it
        with transaction.atomic(), connection.cursor() as cursor:
            while sql.startswith("SET"):  # the SET LOCALs sent in front of a statement
                setting, sql = sql.split(";", 1)
                cursor.execute(setting)
                sql = sql.lstrip()
            if sql.lstrip().startswith(("SELECT", "WITH")) and "publishing_case_search" in sql:
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                found = sorted(set(re.findall(r"publishing_case_search_(document_gin|head_gin|staff_gin|pkey)", plan)))
                used.append("+".join(names[name] for name in found) or "seq")
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
        f"{'search':<28} {'matches':>8} {'median ms':>10} {'p95 ms':>8} {'CPU ms py+db':>13} "
        f"{'page 1 in title/vedtak':>23}  indexes per statement (1: match check + short list, 2: a common word's pool)"
    )
    for label, query in (("common word: kommunene", COMMON), ("phrase: kr 2,50 pr innbygger", PHRASE)):
        median, p95, cpu, total, in_head = _time(query)
        print(f"{label:<28} {total:>8} {median:>10.1f} {p95:>8.1f} {cpu:>13} {in_head:>23}  {_plans(query)}")


if __name__ == "__main__":
    main()
