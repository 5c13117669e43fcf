"""Numbering under real parallel transactions (PostgreSQL only): no gaps, no duplicates, and a
second run for the same year while one is being issued is refused at once."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from billing.errors import BillingError
from billing.models import Invoice, InvoiceNumberSeries
from billing.services import _run_lock, invoice_run_issue
from tests import factories as f

pytestmark = [pytest.mark.postgres]


def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real parallel transactions)")


def _cooperation(members: int, years: range):
    coop = f.make_cooperation(short_name="PAR")
    f.make_billing_profile(coop, invoice_prefix="P-")
    f.make_rate(coop, per_inhabitant="2.00", valid_from=date(2012, 1, 1))
    for n in range(members):
        m = f.make_municipality()
        f.make_membership(coop, m, starts_on=date(2010, 1, 1))
        for year in years:
            f.make_population(m, year - 1, 1000 + n)
    return coop


def _in_threads(targets):
    """Start every target at the same moment; collect what each returned or raised."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait(timeout=30)
            results[index] = target()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_parallel_runs_draw_one_unbroken_series(transactional_db):
    _require_postgres()
    years = range(2013, 2019)
    coop = _cooperation(members=5, years=years)
    results = _in_threads([lambda y=y: invoice_run_issue(cooperation=coop, year=y, actor=None) for y in years])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Invoice.objects.filter(cooperation=coop).values_list("series_number", flat=True))
    assert numbers == list(range(1, 31))
    assert InvoiceNumberSeries.objects.get(cooperation=coop).last_number == 30
    for year in years:  # each run's numbers are consecutive: the series stays locked until it commits
        mine = sorted(Invoice.objects.filter(cooperation=coop, year=year).values_list("series_number", flat=True))
        assert mine == list(range(mine[0], mine[0] + 5))


def test_two_treasurers_issuing_the_same_year_at_once_bill_each_member_once(transactional_db):
    _require_postgres()
    coop = _cooperation(members=4, years=range(2018, 2019))
    results = _in_threads([lambda: invoice_run_issue(cooperation=coop, year=2018, actor=None)] * 3)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 2 and all(isinstance(e, BillingError) for e in errors), results
    assert sorted(Invoice.objects.values_list("series_number", flat=True)) == [1, 2, 3, 4]


def test_a_second_run_while_one_is_being_issued_is_refused_and_changes_nothing(transactional_db):
    _require_postgres()
    coop = _cooperation(members=3, years=range(2018, 2019))
    holding, release = threading.Event(), threading.Event()

    def first_run_in_progress():
        try:
            with transaction.atomic():
                _run_lock(coop, 2018)
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=first_run_in_progress)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        with pytest.raises(BillingError, match="pågår allerede"):
            invoice_run_issue(cooperation=coop, year=2018, actor=None)
        assert Invoice.objects.count() == 0
        assert not InvoiceNumberSeries.objects.filter(cooperation=coop, last_number__gt=0).exists()
    finally:
        release.set()
        thread.join(timeout=30)
    assert invoice_run_issue(cooperation=coop, year=2018, actor=None).invoice_count == 3


def test_the_same_bank_file_imported_twice_at_once_registers_each_payment_once(transactional_db):
    """Two treasurers confirm the same camt.054 at the same moment: one registers, the other finds the
    bank references registered (or is refused); never two payments for one bank reference."""
    _require_postgres()
    from billing.models import Payment
    from billing.payment_import import payment_file_import
    from tests.billing.bank_files import Entry, Tx, camt054

    coop = _cooperation(members=3, years=range(2018, 2019))
    run = invoice_run_issue(cooperation=coop, year=2018, actor=None)
    invoices = list(run.invoices.order_by("series_number"))
    data = camt054(
        [Entry("E-1", invoices[0].issue_date, [Tx(f"{i.total:.2f}", i.kid, f"TX-{i.number}") for i in invoices])]
    )

    def import_once():
        return payment_file_import(cooperation=coop, data=data, filename="camt.xml", actor=None)

    results = _in_threads([import_once, import_once])
    assert Payment.objects.count() == 3
    assert sorted(Payment.objects.values_list("bank_reference", flat=True)) == sorted(
        f"TX-{i.number}" for i in invoices
    )
    registered = [len(r.to_register) for r in results if not isinstance(r, Exception)]
    assert sorted(registered)[-1] == 3 and all(n in (0, 3) for n in registered)
