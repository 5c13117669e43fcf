"""No code path changes what is kept for good in one bulk statement: QuerySet.update() and delete()
refuse on used rates, cases, number series, issued invoices, credit notes, payments and audit entries."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import ContributionRate, Invoice, InvoiceNumberSeries, Payment
from billing.services import credit_note_issue, payment_register
from khs.models import AppendOnlyError, AuditEntry
from meetings.models import Case, CaseNumberSeries
from tests import factories as f


def _case(coop):
    from meetings.services import case_register

    return case_register(body=f.make_body(coop), actor=None, title="Kontingent")


def test_a_used_rate_refuses_bulk_writes_an_unused_one_does_not(issued):
    used = ContributionRate.objects.filter(pk=issued["rate"].pk)
    with pytest.raises(AppendOnlyError):
        used.update(per_inhabitant=Decimal("9.99"))
    with pytest.raises(AppendOnlyError):
        used.delete()
    spare = f.make_rate(issued["coop"], per_inhabitant="3.00", valid_from=date(2030, 1, 1))
    assert ContributionRate.objects.filter(pk=spare.pk).update(per_inhabitant=Decimal("3.10")) == 1
    assert ContributionRate.objects.get(pk=issued["rate"].pk).per_inhabitant == Decimal("2.50")


@pytest.mark.parametrize("write", ["update", "delete"])
def test_invoices_credit_notes_payments_and_series_refuse_bulk_writes(issued, treasurer, write):
    invoice = issued["lier_invoice"]
    payment_register(invoice=invoice, actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("10"))
    credit_note_issue(invoice=issued["drammen_invoice"], actor=treasurer, reason="Feil innbyggertall")
    querysets = [
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE),
        Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE),
        Payment.objects.all(),
        InvoiceNumberSeries.objects.all(),
        AuditEntry.objects.all(),
    ]
    for queryset in querysets:
        with pytest.raises(AppendOnlyError):
            queryset.update(note="x") if write == "update" else queryset.delete()
    assert Invoice.objects.count() == 4 and Payment.objects.count() == 1


def test_cases_and_their_number_series_refuse_bulk_writes_of_the_number(coop):
    case = _case(coop)
    with pytest.raises(AppendOnlyError):
        Case.objects.filter(pk=case.pk).update(number=99)
    with pytest.raises(AppendOnlyError):
        Case.objects.filter(pk=case.pk).delete()
    with pytest.raises(AppendOnlyError):
        CaseNumberSeries.objects.update(last_number=0)
    with pytest.raises(AppendOnlyError):
        CaseNumberSeries.objects.all().delete()
    assert Case.objects.filter(pk=case.pk).update(agenda_position=3) == 1
    assert Case.objects.get(pk=case.pk).number == case.number


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["billing_invoice", "billing_payment", "khs_auditentry"])
def test_postgresql_itself_refuses_changes_to_kept_rows(issued, treasurer, table):
    from django.db import connection, transaction
    from django.db.utils import IntegrityError

    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    payment_register(invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("5"))
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(IntegrityError, match="kept for good"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert Invoice.objects.exists() and Payment.objects.exists() and AuditEntry.objects.exists()
