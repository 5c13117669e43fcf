"""Benchmark: rendering a large summons and sending it to 100 invitees.

    python bench/bench_summons.py        (from the repository root; `make bench` runs every bench/bench_*.py)

Runs in a throwaway SQLite database (or BENCH_DATABASE_URL, e.g. an empty PostgreSQL database),
takes about 1.5 minutes; BENCH_RUNS sets the number of timed runs (default 5).

A meeting with 30 cases of about 800 words each (paragraphs, bold, lists) in a throwaway SQLite
database. Prints the median time to render the summons PDF (queries, template, sanitising, WeasyPrint),
the median of WeasyPrint alone on the same finished HTML and the ratio of the two (our overhead),
peak memory, and the time to send the summons to 100 invitees through the locmem mail backend.
"""

import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="khs-bench-summons-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "khs.settings"
# Never the application's own database: a throwaway SQLite file unless BENCH_DATABASE_URL names one.
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
# The mail goes out through the outbox; here in the same process, right after commit (bench_outbox.py uses a worker).
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ["DEBUG"] = "true"

import django  # noqa: E402

django.setup()

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CASES = 30
WORDS_PER_CASE = 800
RECIPIENTS = 100

VOCABULARY = (
    "kommunen samarbeidet helsetjenesten styret ordførerne vedtaket innbyggerne tjenesteutvikling regionen "
    "avtalen kontingenten møtet rådmannen sykehjemmet omsorgen spesialisthelsetjenesten fylkesmannen prosjektet "
    "utviklingssenteret hjemmetjenestene kunnskapsspredning organisering finansiering evalueringen og i for med "
    "til som av på at det er skal bør kan vil ikke også etter innen mellom fram videre drift behov forslag "
    "beslutning kvalitet samhandling foretaket rapporten budsjettet koordinatoren arbeidsgruppen høringen"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 20))]
    if rng.random() < 0.25:
        at = rng.randrange(len(words))
        words[at] = f"<strong>{words[at]}</strong>"
    elif rng.random() < 0.15:
        at = rng.randrange(len(words))
        words[at] = f"<em>{words[at]}</em>"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def rich_text(rng: random.Random, n_words: int) -> str:
    """Paragraphs of about n_words words, with bold and italic words and one bulleted list."""
    parts, count = [], 0
    while count < n_words:
        sentences = [sentence(rng) for _ in range(rng.randint(3, 6))]
        count += sum(len(s.split()) for s in sentences)
        parts.append("<p>" + " ".join(sentences) + "</p>")
        if len(parts) == 2:
            items = [sentence(rng) for _ in range(rng.randint(3, 5))]
            count += sum(len(s.split()) for s in items)
            parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    return "".join(parts)


def build_world():
    from datetime import datetime

    from meetings.models import Case, Invitee, Meeting
    from membership.models import Body, Cooperation

    def aware(*args):
        return timezone.make_aware(datetime(*args))

    rng = random.Random(2017)
    cooperation = Cooperation.objects.create(
        name="Kommunehelsesamarbeidet i Vestre Viken",
        short_name="KHS",
        contact_email="post@khs.example.no",
        city="Sandvika",
    )
    body = Body.objects.create(
        cooperation=cooperation,
        name="Ordførermøtet",
        kind=Body.Kind.MAYORS_MEETING,
        addressee="Til ordførere i kommuner tilsluttet Kommunehelsesamarbeidet",
    )
    meeting = Meeting.objects.create(
        body=body,
        number=1,
        title="Ordførermøte i Kommunehelsesamarbeidet (KHS)",
        starts_at=aware(2017, 6, 15, 10),
        ends_at=aware(2017, 6, 15, 16),
        place_name="Elvebakken gård",
        place_address="Heggeveien 5, 3403 Lier",
        registration_deadline=aware(2017, 6, 4, 23, 59),
        contact="Kari, 99 99 99 99",
    )
    words = 0
    for n in range(1, CASES + 1):
        background = rich_text(rng, int(WORDS_PER_CASE * 0.6))
        assessment = rich_text(rng, int(WORDS_PER_CASE * 0.3))
        proposal = "<p>" + " ".join(sentence(rng) for _ in range(4)) + "</p>"
        words += sum(len(t.split()) for t in (background, assessment, proposal))
        Case.objects.create(
            body=body,
            year=2017,
            number=n,
            meeting=meeting,
            agenda_position=n,
            title=f"Sak om {' '.join(rng.choice(VOCABULARY) for _ in range(5))}",
            background=background,
            assessment=assessment,
            proposed_resolution=proposal,
            registered_at=aware(2017, 1, 1),
        )
    Invitee.objects.bulk_create(
        [Invitee(meeting=meeting, name=f"Ordfører {n}", email=f"ordforer{n}@example.no") for n in range(RECIPIENTS)]
    )
    return meeting, words // CASES


def timed(funcs, runs=RUNS):
    """Median wall-clock and CPU seconds of each function over `runs` rounds.

    The functions take turns within a round, so that a busy machine slows them alike; CPU time is
    the steadier figure on a shared machine.
    """
    wall = [[] for _ in funcs]
    cpu = [[] for _ in funcs]
    for _ in range(runs):
        for n, func in enumerate(funcs):
            start, start_cpu = time.perf_counter(), time.process_time()
            func()
            wall[n].append(time.perf_counter() - start)
            cpu[n].append(time.process_time() - start_cpu)
    return [(statistics.median(w), statistics.median(c), w) for w, c in zip(wall, cpu, strict=True)]


def main():
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from khs.lib.pdf import html_to_pdf, pdf_page_count
    from meetings import documents
    from meetings.services import summons

    meeting, words_per_case = build_world()
    clerk = get_user_model().objects.create_user("bench-clerk")

    html = documents.summons_html(meeting)
    first = documents.render_summons_pdf(meeting)  # warm-up: fonts, template loading
    pages = pdf_page_count(first)

    (ours, ours_cpu, ours_runs), (engine, engine_cpu, engine_runs) = timed(
        # A render every time (summons_pdf would serve the stored version; bench_documents.py times that).
        [lambda: documents.render_summons_pdf(meeting), lambda: html_to_pdf(html)]
    )
    [(html_only, _html_cpu, _runs)] = timed([lambda: documents.summons_html(meeting)])

    tracemalloc.start()
    documents.render_summons_pdf(meeting)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    mail.outbox = []
    start = time.perf_counter()
    summary = summons.meeting_summon(meeting=meeting, actor=clerk)
    send_seconds = time.perf_counter() - start
    assert len(summary.mailed) == RECIPIENTS == len(mail.outbox)

    # The mails alone: 100 more invitees, the summons already rendered.
    from meetings.models import Invitee

    Invitee.objects.bulk_create(
        [Invitee(meeting=meeting, name=f"Varaordfører {n}", email=f"vara{n}@example.no") for n in range(RECIPIENTS)]
    )
    rendered = documents.summons_pdf
    documents.summons_pdf = lambda meeting, cases=None: first
    start = time.perf_counter()
    summons.meeting_summon(meeting=meeting, actor=clerk)
    mails_seconds = time.perf_counter() - start
    documents.summons_pdf = rendered

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"summons: {CASES} cases x ~{words_per_case} words, {pages} pages, {len(first) / 1024:.0f} KiB "
        f"({connection.vendor}, {RUNS} runs, {os.cpu_count()} CPUs, load average {load})"
    )
    print(
        f"render summons PDF (ours, end to end): median {ours:.2f} s wall, {ours_cpu:.2f} s CPU  "
        f"[{', '.join(f'{t:.2f}' for t in ours_runs)}]  target < 1.5 s"
    )
    print(
        f"WeasyPrint alone on the same HTML:     median {engine:.2f} s wall, {engine_cpu:.2f} s CPU  "
        f"[{', '.join(f'{t:.2f}' for t in engine_runs)}]"
    )
    print(f"  of which ours before WeasyPrint (queries, sanitising, template): {html_only * 1000:.0f} ms")
    print(
        f"overhead ratio ours / WeasyPrint:      {ours / engine:.2f}x wall, {ours_cpu / engine_cpu:.2f}x CPU  "
        f"target <= 1.2x"
    )
    print(
        f"peak memory: {peak / 2**20:.0f} MiB traced (Python allocations during one render), "
        f"{maxrss_mb:.0f} MiB max RSS of the process"
    )
    print(
        f"send summons to {RECIPIENTS} invitees (render once + {RECIPIENTS} mails, locmem): {send_seconds:.2f} s  "
        f"(the {RECIPIENTS} mails alone: {mails_seconds:.2f} s)"
    )
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
