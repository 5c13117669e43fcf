"""Benchmark: the yearly invoice run for all 356 Norwegian municipalities (generated test data).

    python bench/bench_billing.py            # throwaway SQLite file
    DATABASE_URL=postgres://… python bench/bench_billing.py   # PostgreSQL (all rolled back at the end)

Prints: preview time, issue time (numbers, KID, EHF built and validated by the official rules), the
time to compile the official rule sets and to validate one document (XSD + both rule sets), the query
count of the issue step for 50 and for 356 invoices, and time and peak memory of the merged PDF of all 356.
"""

import os
import resource
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khs.settings")
_tmp = None
if not os.environ.get("DATABASE_URL"):
    _tmp = tempfile.NamedTemporaryFile(prefix="khs-bench-billing-", suffix=".sqlite3", delete=False)
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.no import orgnr  # noqa: E402

MUNICIPALITIES = 356


class Rollback(Exception):
    pass


def org_number(seed: int) -> str:
    base = 940_000_000 + seed * 100
    return next(str(c) for c in range(base, base + 100) if orgnr.is_valid(str(c)))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def build_world():
    from billing.services import billing_profile_save, rate_create
    from membership.models import Cooperation, Membership, Municipality, Population

    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(
                number=f"{9000 - i:04d}",
                name=f"Benchkommune {i}",
                org_number=org_number(i),
                invoice_street=f"Rådhusgata {i}",
                invoice_postcode="0150",
                invoice_city="Oslo",
                invoice_email=f"faktura{i}@bench.invalid",
            )
            for i in range(1, MUNICIPALITIES + 1)
        ]
    )
    municipalities = list(Municipality.objects.filter(name__startswith="Benchkommune ").order_by("pk"))
    Population.objects.bulk_create(
        [Population(municipality=m, year=2017, count=500 + (i * 7919) % 60000) for i, m in enumerate(municipalities)]
    )
    cooperations = []
    for short, members in (("BENCH50", municipalities[:50]), ("BENCH356", municipalities)):
        coop = Cooperation.objects.create(
            name=f"Benchmarksamarbeidet {short}",
            short_name=short,
            org_number=org_number(9999 if short == "BENCH50" else 9998),
            street_address="Postboks 1",
            postcode="0150",
            city="Oslo",
            bank_account="15037912341",
            contact_email="post@bench.invalid",
        )
        Membership.objects.bulk_create(
            [Membership(cooperation=coop, municipality=m, starts_on=date(2010, 1, 1)) for m in members]
        )
        billing_profile_save(
            cooperation=coop, actor=None, invoice_prefix=f"{short}-", due_days=30, population_reference="year_before"
        )
        rate_create(
            cooperation=coop,
            actor=None,
            per_inhabitant=Decimal("2.50"),
            valid_from=date(2018, 1, 1),
            resolution_text="ordførermøtet sak 2/2017",
        )
        cooperations.append(coop)
    return cooperations


def main():
    from billing import documents
    from billing.selectors import run_preview
    from billing.services import invoice_run_issue

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    try:
        with transaction.atomic():
            coop50, coop356 = build_world()

            start = time.perf_counter()
            preview = run_preview(cooperation=coop356, year=2018, today=timezone.localdate())
            preview_s = time.perf_counter() - start
            assert preview.member_count == MUNICIPALITIES and preview.can_issue

            from django.contrib.contenttypes.models import ContentType

            from billing.models import Invoice, InvoiceRun

            ContentType.objects.get_for_models(Invoice, InvoiceRun)  # warm the cache both runs use
            from billing import ehf_validation

            start = time.perf_counter()
            ehf_validation.engine()  # compile both rule sets once per process (the issue step then reuses them)
            compile_s = time.perf_counter() - start
            with CaptureQueriesContext(connection) as q50:
                invoice_run_issue(cooperation=coop50, year=2018, actor=None)
            start, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as q356:
                run = invoice_run_issue(cooperation=coop356, year=2018, actor=None)
            issue_s, issue_cpu = time.perf_counter() - start, time.process_time() - cpu
            assert run.invoice_count == MUNICIPALITIES

            print(
                f"preview of {MUNICIPALITIES} members:                 {preview_s:6.2f} s "
                f"({preview.member_count} kommuner, kr {preview.total})"
            )
            print(
                f"issue {MUNICIPALITIES} invoices (numbers, KID, EHF + rules): {issue_s:6.2f} s  (CPU {issue_cpu:.1f} s)"
            )
            print(f"preview + issue:                              {preview_s + issue_s:6.2f} s  (limit 5 s)")
            print(
                f"queries of the issue step: {len(q50)} for 50 invoices, {len(q356)} for {MUNICIPALITIES}"
                + (
                    ""
                    if connection.vendor != "sqlite"
                    else "  (SQLite splits bulk inserts at 999 parameters; PostgreSQL does not)"
                )
            )

            invoices = list(run.invoices.select_related("cooperation", "credited_invoice").order_by("series_number"))
            times = []
            for invoice in invoices:
                xml = invoice.ehf_xml.encode("utf-8")
                start = time.perf_counter()
                report = ehf_validation.validate(xml)
                times.append(time.perf_counter() - start)
                assert report.ok, report.fatal
            times.sort()
            print(f"compile the official rule sets (once per process): {compile_s:6.2f} s")
            print(
                f"validate one EHF (UBL 2.1 XSD + CEN + PEPPOL rules): median {times[len(times) // 2] * 1000:.0f} ms, "
                f"p95 {times[int(len(times) * 0.95)] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms "
                f"over {len(times)} invoices"
            )
            before = peak_mb()
            start, cpu = time.perf_counter(), time.process_time()
            pdf = documents.run_pdf(invoices, coop356)
            pdf_s, pdf_cpu = time.perf_counter() - start, time.process_time() - cpu
            from khs.lib.pdf import pdf_page_count

            pages = pdf_page_count(pdf)
            print(
                f"merged PDF of {MUNICIPALITIES} invoices:                    {pdf_s:6.2f} s  (limit 60 s; "
                f"CPU {pdf_cpu:.1f} s), {pages} pages, {len(pdf) / 1e6:.1f} MB, "
                f"{(MUNICIPALITIES + documents.RUN_PDF_CHUNK - 1) // documents.RUN_PDF_CHUNK} renders of "
                f"{documents.RUN_PDF_CHUNK} invoices"
            )
            print(f"peak memory of the process: {peak_mb():.0f} MB (before the PDF: {before:.0f} MB; limit 500 MB)")
            raise Rollback
    except Rollback:
        pass
    finally:
        if _tmp is not None:
            os.unlink(_tmp.name)


if __name__ == "__main__":
    main()
