"""Benchmark: PDFs ready when asked for (stored versions, a long summons rendered per case and merged).

    python bench/bench_documents.py        (from the repository root; `make bench` runs every bench/bench_*.py)

Same world as bench_summons.py (a throwaway SQLite database, or BENCH_DATABASE_URL): a meeting of 30 cases of
about 800 words each, and meetings of 5 such cases. Prints, as the clerk's browser sees them (Django's test
client on the preview URL, no worker: the request renders what is missing, outside any transaction):

- the summons preview after editing one case of the 30-case meeting (target < 2 s until the new PDF is served),
  and the same preview when nothing changed (a stored version);
- the first preview of a 5-case meeting (nothing stored yet; target < 1 s);
- our first render (HTML, hash, WeasyPrint, storing) against WeasyPrint alone on the same HTML (target < 1.1x).

BENCH_RUNS sets the number of timed runs (default 3). Takes about 2 minutes on a busy 2-core machine.
"""

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DOCUMENTS_PRERENDER"] = "false"  # no worker: the request renders what changed
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
import bench_summons as world  # noqa: E402  (sets up Django on a throwaway database)
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def clerk_client(cooperation) -> tuple[Client, object]:
    """A signed-in secretariat clerk of the cooperation, as the browser of the preview."""
    from django.contrib.auth.models import Group

    from khs.roles import SECRETARIAT

    user = get_user_model().objects.create_user("bench-documents-clerk")
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    cooperation.staff.add(user)
    client = Client()
    client.force_login(user)
    return client, user


def five_case_meeting(template_meeting, n: int):
    """A new meeting of the body with copies of the first five cases of the big one (nothing stored for it)."""
    from datetime import timedelta

    from meetings.models import Case, Meeting

    meeting = Meeting.objects.create(
        body=template_meeting.body,
        number=100 + n,
        title=f"Ordførermøte nr. {n}",
        starts_at=template_meeting.starts_at + timedelta(days=7 * n),
        ends_at=template_meeting.ends_at + timedelta(days=7 * n),
        place_name=template_meeting.place_name,
        registration_deadline=template_meeting.registration_deadline + timedelta(days=7 * n),
    )
    for position, case in enumerate(Case.objects.filter(meeting=template_meeting).order_by("agenda_position")[:5], 1):
        Case.objects.create(
            body=case.body,
            year=2018 + n,
            number=position,
            meeting=meeting,
            agenda_position=position,
            title=case.title,
            background=case.background,
            assessment=case.assessment,
            proposed_resolution=case.proposed_resolution,
            registered_at=case.registered_at,
        )
    return meeting


def timed(func):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def median(values):
    return statistics.median(values)


def fmt(values):
    return ", ".join(f"{v:.2f}" for v in values)


def main():
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from khs.lib.pdf import html_to_pdf, pdf_page_count
    from meetings import documents, services
    from meetings.documents import store
    from meetings.models import Case, RenderedDocument

    meeting, words_per_case = world.build_world()
    client, clerk = clerk_client(meeting.body.cooperation)
    url = reverse("meetings:summons_pdf", args=[meeting.pk])
    documents.render_summons_pdf(meeting)  # warm-up: fonts, templates

    cold_wall, cold_cpu, response = timed(lambda: client.get(url))
    assert response.status_code == 200
    pages = pdf_page_count(response.content)

    cases = list(Case.objects.filter(meeting=meeting).order_by("agenda_position"))
    edit_wall, edit_cpu, edit_pages, stored_wall = [], [], [], []
    for run in range(RUNS):
        case = cases[(7 * run + 3) % len(cases)]
        services.case_update(
            case=case, actor=clerk, proposed_resolution=case.proposed_resolution + f"<p>Endring {run}.</p>"
        )
        wall, cpu, response = timed(lambda: client.get(url))
        assert response.status_code == 200
        edit_wall.append(wall)
        edit_cpu.append(cpu)
        edit_pages.append(pdf_page_count(response.content))
        stored_wall.append(timed(lambda: client.get(url))[0])

    from khs.lib.pdf import pdf_text

    assert f"Endring {RUNS - 1}." in pdf_text(response.content)  # the new version was served
    first_wall, first_cpu, ours_wall, ours_cpu, engine_wall, engine_cpu = [], [], [], [], [], []
    small_pages = 0
    for run in range(RUNS):
        small = five_case_meeting(meeting, run + 1)
        small_url = reverse("meetings:summons_pdf", args=[small.pk])
        wall, cpu, response = timed(lambda: client.get(small_url))  # noqa: B023
        assert response.status_code == 200
        first_wall.append(wall)
        first_cpu.append(cpu)
        small_pages = pdf_page_count(response.content)
        # Ours (HTML, hash, WeasyPrint, storing) and WeasyPrint alone on the same HTML, taking turns.
        RenderedDocument.objects.filter(object_id=small.pk).delete()
        wall, cpu, _ = timed(lambda: documents.summons_document(small))  # noqa: B023
        ours_wall.append(wall)
        ours_cpu.append(cpu)
        html = documents.summons_html(small)
        wall, cpu, _ = timed(lambda: html_to_pdf(html))  # noqa: B023
        engine_wall.append(wall)
        engine_cpu.append(cpu)

    big_html = documents.summons_html(meeting)
    whole_wall, whole_cpu, _ = timed(lambda: html_to_pdf(big_html))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"documents: {len(cases)} cases x ~{words_per_case} words, {pages} pages merged per case "
        f"(split from {store.SPLIT_FROM_CASES} cases); 5-case meetings of {small_pages} pages "
        f"({connection.vendor}, {RUNS} runs, {os.cpu_count()} CPUs, load average {load})"
    )
    print(
        f"30-case summons, first preview (nothing stored): {cold_wall:.2f} s wall, {cold_cpu:.2f} s CPU  "
        f"(one WeasyPrint render of the whole: {whole_wall:.2f} s wall, {whole_cpu:.2f} s CPU)"
    )
    print(
        f"30-case summons, preview after editing one case: median {median(edit_wall):.2f} s wall, "
        f"{median(edit_cpu):.2f} s CPU  [{fmt(edit_wall)}]  target < 2 s"
    )
    print(f"30-case summons, preview again (stored version):  median {median(stored_wall) * 1000:.0f} ms")
    print(
        f"5-case summons, first preview:                   median {median(first_wall):.2f} s wall, "
        f"{median(first_cpu):.2f} s CPU  [{fmt(first_wall)}]  target < 1 s"
    )
    print(
        f"ours (HTML, hash, render, store) / WeasyPrint alone on the same HTML (5 cases): "
        f"{median(ours_wall) / median(engine_wall):.2f}x wall, {median(ours_cpu) / median(engine_cpu):.2f}x CPU  "
        f"[ours {fmt(ours_wall)}; WeasyPrint {fmt(engine_wall)}]  target < 1.1x"
    )
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(world.WORK, ignore_errors=True)
