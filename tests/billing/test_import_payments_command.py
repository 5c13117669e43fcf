"""python manage.py import_payments FILE: the demo's 2018 run, validated by the official rules, paid by a
camt.054 and an OCR Giro file."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from billing.ehf_validation import validate
from billing.models import Invoice, Payment
from billing.selectors import billing_profile_for
from billing.services import invoice_run_issue
from membership.models import Cooperation
from tests.billing.bank_files import Entry, OcrPayment, Tx, camt054, ocr
from tests.demo_world import demo_loaded_once


def run(*args) -> str:
    out = StringIO()
    call_command("import_payments", *args, stdout=out)
    return out.getvalue()


demo_loaded = demo_loaded_once()


@pytest.fixture
def demo_run(demo_loaded, db, tmp_path):
    khs = Cooperation.objects.get(short_name="KHS")
    with time_machine.travel("2018-02-15 10:00 +01:00", tick=False) as traveller:
        run_ = invoice_run_issue(cooperation=khs, year=2018, actor=None)
        traveller.move_to("2018-03-20 10:00 +01:00")
        yield khs, list(run_.invoices.order_by("series_number"))


def test_the_demos_run_passes_the_official_rules_and_a_camt054_pays_it_once(demo_run, tmp_path):
    khs, invoices = demo_run
    assert len(invoices) == 26
    for invoice in invoices:
        report = validate(invoice.ehf_xml.encode())
        assert report.fatal == [], (invoice.number, report.fatal)
    account = billing_profile_for(khs).account
    batch = [Tx(f"{i.total:.2f}", i.kid, f"TX-{i.number}") for i in invoices[1:]]
    path = tmp_path / "camt054.xml"
    path.write_bytes(
        camt054(
            [
                Entry("E-1", date(2018, 3, 12), [Tx(f"{invoices[0].total:.2f}", invoices[0].kid, "TX-single")]),
                Entry("E-2", date(2018, 3, 13), batch),
            ],
            account=account,
        )
    )
    out = run(str(path))
    assert "26 innbetalinger registrert, kr 1 218 370,00; 0 til manuell behandling; 0 allerede registrert." in out
    assert Payment.objects.count() == 26
    assert sum(p.amount for p in Payment.objects.all()) == Decimal("1218370.00")
    out = run(str(path))
    assert "0 innbetalinger registrert" in out and "26 allerede registrert" in out
    assert Payment.objects.count() == 26


def test_an_ocr_giro_file_pays_by_kid_and_a_dry_run_writes_nothing(demo_run, tmp_path):
    khs, invoices = demo_run
    account = "".join(ch for ch in billing_profile_for(khs).account if ch.isdigit())
    path = tmp_path / "OCR.D120318"
    path.write_bytes(
        ocr(
            [OcrPayment(f"{i.total:.2f}", i.kid, date(2018, 3, 12)) for i in invoices[:3]]
            + [OcrPayment("100.00", "12345678903", date(2018, 3, 12))],
            account=account,
        )
    )
    out = run(str(path), "--dry-run")
    assert "3 innbetalinger ville blitt registrert" in out and "1 til manuell behandling" in out
    assert "Ukjent KID" in out
    assert Payment.objects.count() == 0
    out = run(str(path), "--cooperation", "KHS")
    assert "3 innbetalinger registrert" in out
    asker = Invoice.objects.get(kid=invoices[0].kid)
    assert asker.payments.get().paid_on == date(2018, 3, 12)


def test_a_bad_file_exits_with_the_errors_and_registers_nothing(billing, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"NY000010" + b"x" * 72 + b"\r\n")
    with pytest.raises(CommandError, match="linje 1"):
        run(str(path), "--cooperation", "HS")
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.xml"))
    assert Payment.objects.count() == 0
