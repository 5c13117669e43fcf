"""Issuing a year's run: one invoice per member, unbroken numbers, KID, snapshot, idempotence."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.errors import BillingError
from billing.kid import is_valid_kid, parse_kid
from billing.models import Invoice, InvoiceNumberSeries, InvoiceRun
from billing.services import credit_note_issue, invoice_run_issue
from khs.models import AuditEntry
from tests import factories as f
from tests.billing.conftest import POPULATION_2017, expected_amount


def test_issuing_creates_one_invoice_per_member_numbered_from_the_series(issued):
    invoices = sorted(issued["invoices"].values(), key=lambda i: i.series_number)
    assert [i.series_number for i in invoices] == [1, 2, 3]
    assert [i.number for i in invoices] == ["HS-1", "HS-2", "HS-3"]
    assert InvoiceNumberSeries.objects.get(cooperation=issued["coop"]).last_number == 3
    assert issued["run"].invoice_count == 3
    assert issued["run"].total == sum(expected_amount(c) for c in POPULATION_2017.values())


def test_invoice_is_a_snapshot_with_the_exact_line_text(issued):
    lier = issued["lier_invoice"]
    coop = issued["coop"]
    assert lier.line_text == (
        "Medlemskontingent 2018: 25 740 innbyggere × kr 2,50 "
        "(innbyggertall 1.1.2017, jf. vedtak i ordførermøtet sak 2/2017)"
    )
    assert lier.quantity == 25740
    assert lier.unit_price == Decimal("2.50")
    assert lier.net_amount == lier.total == Decimal("64350.00")
    assert lier.vat_amount == Decimal("0.00")
    assert lier.issue_date == date(2018, 2, 15)
    assert lier.due_date == date(2018, 3, 17)
    assert (lier.period_start, lier.period_end) == (date(2018, 1, 1), date(2018, 12, 31))
    assert lier.population_year == 2017
    assert lier.seller_name == coop.name and lier.seller_org_number == coop.org_number
    assert lier.seller_account == f.VALID_BANK_ACCOUNT
    assert lier.buyer_name == "Lier kommune"
    assert lier.buyer_org_number == issued["lier"].org_number
    assert lier.buyer_street == issued["lier"].invoice_street
    assert "ikke registrert i Merverdiavgiftsregisteret" in lier.vat_statement


def test_snapshot_does_not_follow_later_changes_to_the_register(issued):
    lier = issued["lier"]
    lier.name, lier.invoice_street = "Lier (nytt navn)", "Ny gate 2"
    lier.save()
    invoice = Invoice.objects.get(pk=issued["lier_invoice"].pk)
    assert invoice.buyer_name == "Lier kommune" and invoice.buyer_street == "Rådhusveien 1"


def test_kid_has_a_mod10_check_digit_and_identifies_member_year_and_sequence(issued):
    for invoice in issued["invoices"].values():
        assert len(invoice.kid) == 14
        assert is_valid_kid(invoice.kid, "mod10")
        assert parse_kid(invoice.kid) == (int(invoice.municipality.number), 2018, invoice.series_number)
    assert len({i.kid for i in issued["invoices"].values()}) == 3


def test_a_wrong_check_digit_is_not_a_valid_kid(issued):
    kid = issued["lier_invoice"].kid
    broken = kid[:-1] + str((int(kid[-1]) + 1) % 10)
    assert not is_valid_kid(broken, "mod10")


def test_reissuing_the_year_bills_nobody_twice(issued, treasurer):
    with pytest.raises(BillingError, match="allerede fakturert"):
        invoice_run_issue(cooperation=issued["coop"], year=2018, actor=treasurer)
    assert Invoice.objects.count() == 3
    assert InvoiceNumberSeries.objects.get(cooperation=issued["coop"]).last_number == 3


def test_rerun_bills_only_the_members_missing(issued, treasurer):
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(issued["coop"], hol, starts_on=date(2018, 1, 1))
    f.make_population(hol, 2017, 4535)
    run = invoice_run_issue(cooperation=issued["coop"], year=2018, actor=treasurer)
    new = run.invoices.get()
    assert new.municipality == hol and new.number == "HS-4"
    assert Invoice.objects.filter(year=2018).count() == 4
    assert InvoiceRun.objects.count() == 2


def test_a_member_credited_in_full_is_billed_again_with_the_next_number(issued, treasurer):
    credit = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil innbyggertall")
    assert credit.number == "HS-4"
    run = invoice_run_issue(cooperation=issued["coop"], year=2018, actor=treasurer)
    again = run.invoices.get()
    assert again.municipality == issued["lier"] and again.number == "HS-5"


def test_a_partly_credited_member_is_not_billed_again(issued, treasurer):
    credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Rabatt", amount=Decimal("100"))
    with pytest.raises(BillingError, match="allerede fakturert"):
        invoice_run_issue(cooperation=issued["coop"], year=2018, actor=treasurer)


def test_issuing_writes_the_audit_trail(issued):
    run_entry = AuditEntry.objects.get(
        verb="invoice_run_issue", object_id=str(issued["run"].pk), content_type__model="invoicerun"
    )
    assert run_entry.cooperation_id == issued["coop"].pk
    assert run_entry.changes["count"] == 3 and run_entry.changes["numbers"] == ["HS-1", "HS-3"]
    per_invoice = AuditEntry.objects.filter(verb="invoice_run_issue", content_type__model="invoice")
    assert sorted(e.changes["number"] for e in per_invoice) == ["HS-1", "HS-2", "HS-3"]
    assert {e.actor.username for e in per_invoice} == {"treasurer"}


def test_issuing_is_refused_and_nothing_stored_when_an_ehf_breaks_a_rule(billing, treasurer, monkeypatch):
    """A generator fault that writes totals that do not add up is caught by the official rules (BR-CO-16)."""
    from billing import ehf

    real = ehf.document_to_ubl

    def broken(doc):
        return real(doc).replace(b'<cbc:PayableAmount currencyID="NOK">', b'<cbc:PayableAmount currencyID="NOK">1')

    monkeypatch.setattr(ehf, "document_to_ubl", broken)
    with pytest.raises(BillingError) as excinfo:
        invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    assert "BR-CO-16" in str(excinfo.value)
    assert "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112)" in str(excinfo.value)
    assert Invoice.objects.count() == 0 and InvoiceRun.objects.count() == 0
    assert InvoiceNumberSeries.objects.get(cooperation=billing["coop"]).last_number == 0


def test_a_warning_from_the_rules_does_not_stop_issuing(billing, treasurer):
    """The HS profile is not in Foretaksregisteret: NO-R-002 warns on every invoice, and they are issued."""
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    assert run.invoice_count == 3
    ((finding, numbers),) = run.ehf_warnings.items()
    assert (finding.rule_id, finding.flag) == ("NO-R-002", "warning")
    assert sorted(numbers) == ["HS-1", "HS-2", "HS-3"]


def test_no_number_is_drawn_for_a_preview(billing):
    from django.utils import timezone

    from billing.selectors import run_preview

    with CaptureQueriesContext(connection) as ctx:
        preview = run_preview(cooperation=billing["coop"], year=2018, today=timezone.localdate())
    assert preview.can_issue
    writes = [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert not InvoiceNumberSeries.objects.filter(cooperation=billing["coop"], last_number__gt=0).exists()


def _issue_queries(size: int) -> int:
    coop = f.make_cooperation()
    f.make_billing_profile(coop)
    f.make_rate(coop)
    for n in range(size):
        m = f.make_municipality()
        f.make_membership(coop, m)
        f.make_population(m, 2017, 1000 + n)
    with CaptureQueriesContext(connection) as ctx:
        run = invoice_run_issue(cooperation=coop, year=2018, actor=None)
    assert run.invoice_count == size
    return len(ctx.captured_queries)


def test_issue_query_count_does_not_grow_with_the_number_of_invoices(db, settings):
    # Both sizes fit one bulk insert on SQLite (999 parameters); PostgreSQL has no such batches.
    # The PDFs are rendered by a worker after commit, one by one: stored here, not run, they are not counted.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _issue_queries(1)  # the first issue in a process looks up the content types once; later issues have them cached
    assert _issue_queries(3) == _issue_queries(15)


def test_vat_registered_cooperation_adds_vat(billing, treasurer, frozen):
    f.make_billing_profile(billing["coop"], vat_registered=True, vat_rate=Decimal("25"))
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    lier = run.invoices.get(municipality=billing["lier"])
    assert lier.net_amount == Decimal("64350.00")
    assert lier.vat_amount == Decimal("16087.50")
    assert lier.total == Decimal("80437.50")
    assert "Merverdiavgift 25 %" in lier.vat_statement
    assert "<cbc:ID>S</cbc:ID>" in lier.ehf_xml
    assert f"NO{billing['coop'].org_number}MVA" in lier.ehf_xml


def test_nynorsk_cooperation_writes_the_line_in_nynorsk(billing, treasurer):
    coop = billing["coop"]
    coop.language = "nn"
    coop.save()
    run = invoice_run_issue(cooperation=coop, year=2018, actor=treasurer)
    gol = run.invoices.get(municipality=billing["gol"])
    assert gol.line_text == (
        "Medlemskontingent 2018: 4 612 innbyggjarar × kr 2,50 "
        "(innbyggjartal 1.1.2017, jf. vedtak i ordførermøtet sak 2/2017)"
    )
    assert gol.language == "nn"


def test_the_prefix_is_optional(billing, treasurer):
    f.make_billing_profile(billing["coop"], invoice_prefix="")
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    assert sorted(run.invoices.values_list("number", flat=True)) == ["1", "2", "3"]
