"""Payments read from the bank's files (camt.054 and OCR Giro) and matched by KID to open invoices."""

from datetime import date
from decimal import Decimal

import pytest

from billing.errors import BillingError
from billing.models import Payment
from billing.payment_import import (
    ALREADY_IMPORTED,
    NO_KID,
    OVERPAID,
    PAID,
    PARTIAL,
    SETTLED,
    UNKNOWN_KID,
    payment_file_import,
    payment_file_plan,
)
from billing.services import payment_register
from khs.models import AuditEntry
from tests.billing.bank_files import Entry, OcrPayment, Tx, camt054, ocr

PAID_ON = date(2018, 3, 1)


@pytest.fixture
def after_due(issued, frozen):
    frozen.move_to("2018-03-10 09:00 +01:00")
    return issued


def kid(issued, key):
    return issued["invoices"][issued[key].pk].kid


def total(issued, key):
    return issued["invoices"][issued[key].pk].total


def paid(invoice) -> Decimal:
    return sum((p.amount for p in Payment.objects.filter(invoice=invoice)), Decimal("0.00"))


def test_a_camt054_with_single_and_batched_entries_pays_the_invoices_by_kid(after_due, treasurer):
    issued = after_due
    data = camt054(
        [
            Entry("E-1", PAID_ON, [Tx(str(total(issued, "lier")), kid(issued, "lier"), "TX-LIER")]),
            Entry(
                "E-2",
                date(2018, 3, 2),
                [
                    Tx(str(total(issued, "drammen")), kid(issued, "drammen"), "TX-DRAMMEN"),
                    Tx("1000.00", kid(issued, "gol"), "TX-GOL"),
                ],
            ),
        ]
    )
    plan = payment_file_import(cooperation=issued["coop"], data=data, filename="camt.xml", actor=treasurer)
    assert [(r.payment.where, r.outcome) for r in plan.rows] == [
        ("post 1", PAID),
        ("post 2, transaksjon 1", PAID),
        ("post 2, transaksjon 2", PARTIAL),
    ]
    lier = issued["lier_invoice"]
    (payment,) = Payment.objects.filter(invoice=lier)
    assert (payment.amount, payment.paid_on, payment.bank_reference) == (Decimal("64350.00"), PAID_ON, "TX-LIER")
    assert payment.registered_by == treasurer
    gol = issued["invoices"][issued["gol"].pk]
    assert paid(gol) == Decimal("1000.00")
    assert plan.rows[2].remaining == gol.total - Decimal("1000.00")
    assert plan.total_registered == total(issued, "lier") + total(issued, "drammen") + Decimal("1000.00")
    entry = AuditEntry.objects.get(verb="payment_file_import")
    assert entry.changes["registered"] == 3 and entry.changes["file"] == "camt.xml"
    assert AuditEntry.objects.filter(verb="payment_register").count() == 3


def test_importing_the_same_file_again_registers_nothing_twice(after_due, treasurer):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "TX-1")])])
    payment_file_import(cooperation=issued["coop"], data=data, filename="a.xml", actor=treasurer)
    again = payment_file_import(cooperation=issued["coop"], data=data, filename="a.xml", actor=treasurer)
    assert [r.outcome for r in again.rows] == [ALREADY_IMPORTED]
    assert Payment.objects.count() == 1


def test_unknown_kid_and_no_kid_are_listed_for_manual_matching(after_due, treasurer):
    issued = after_due
    data = camt054(
        [
            Entry("E-1", PAID_ON, [Tx("500.00", "06262018999990", "TX-1")]),
            Entry("E-2", PAID_ON, [Tx("600.00", "", "TX-2", text="Kontingent Lier 2018")]),
        ]
    )
    plan = payment_file_import(cooperation=issued["coop"], data=data, filename="a.xml", actor=treasurer)
    assert [r.outcome for r in plan.manual] == [UNKNOWN_KID, NO_KID]
    assert plan.manual[1].payment.text == "Kontingent Lier 2018"
    assert Payment.objects.count() == 0


def test_an_overpayment_registers_what_is_owed_and_flags_the_rest(after_due, treasurer):
    issued = after_due
    owed = total(issued, "lier")
    data = camt054([Entry("E-1", PAID_ON, [Tx(str(owed + Decimal("50.00")), kid(issued, "lier"), "TX-1")])])
    plan = payment_file_import(cooperation=issued["coop"], data=data, filename="a.xml", actor=treasurer)
    (row,) = plan.rows
    assert row.outcome == OVERPAID and row.excess == Decimal("50.00") and row.needs_manual
    assert "kr 50,00 mer enn utestående" in row.note.replace("\xa0", " ")
    assert paid(issued["lier_invoice"]) == owed


def test_a_payment_for_an_invoice_already_paid_by_hand_is_left_for_manual_matching(after_due, treasurer):
    issued = after_due
    lier = issued["lier_invoice"]
    payment_register(invoice=lier, actor=treasurer, paid_on=PAID_ON, amount=lier.total)
    data = camt054([Entry("E-1", PAID_ON, [Tx(str(lier.total), lier.kid, "TX-1")])])
    plan = payment_file_plan(cooperation=issued["coop"], data=data)
    assert [r.outcome for r in plan.rows] == [SETTLED]
    assert plan.to_register == []


def test_two_payments_of_one_invoice_in_one_file_count_against_what_is_owed(after_due, treasurer):
    issued = after_due
    lier = issued["lier_invoice"]
    half = lier.total / 2
    data = camt054(
        [
            Entry("E-1", PAID_ON, [Tx(f"{half:.2f}", lier.kid, "TX-1")]),
            Entry("E-2", PAID_ON, [Tx(f"{lier.total:.2f}", lier.kid, "TX-2")]),
        ]
    )
    plan = payment_file_import(cooperation=issued["coop"], data=data, filename="a.xml", actor=treasurer)
    assert [r.outcome for r in plan.rows] == [PARTIAL, OVERPAID]
    assert paid(lier) == lier.total


def test_the_plan_writes_nothing(after_due):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "TX-1")])])
    plan = payment_file_plan(cooperation=issued["coop"], data=data)
    assert [r.outcome for r in plan.rows] == [PARTIAL]
    assert Payment.objects.count() == 0


def test_an_ocr_giro_file_pays_the_invoices_by_kid(after_due, treasurer):
    issued = after_due
    data = ocr(
        [
            OcrPayment(str(total(issued, "lier")), kid(issued, "lier"), PAID_ON),
            OcrPayment("250.00", kid(issued, "drammen"), date(2018, 3, 2)),
            OcrPayment("99.00", "06262018999990", date(2018, 3, 2)),
        ]
    )
    plan = payment_file_import(cooperation=issued["coop"], data=data, filename="OCR.D010318", actor=treasurer)
    assert plan.format == "ocr"
    assert [(r.payment.where, r.outcome) for r in plan.rows] == [
        ("linje 3", PAID),
        ("linje 5", PARTIAL),
        ("linje 7", UNKNOWN_KID),
    ]
    (payment,) = Payment.objects.filter(invoice=issued["lier_invoice"])
    assert payment.bank_reference == "OCR 15037912341 4000086 1" and payment.paid_on == PAID_ON
    assert paid(issued["invoices"][issued["drammen"].pk]) == Decimal("250.00")
    again = payment_file_import(cooperation=issued["coop"], data=data, filename="OCR.D010318", actor=treasurer)
    assert [r.outcome for r in again.rows] == [ALREADY_IMPORTED, ALREADY_IMPORTED, UNKNOWN_KID]
    assert Payment.objects.count() == 2


def test_a_broken_ocr_record_refuses_the_whole_file_by_line(after_due, treasurer):
    issued = after_due
    lines = ocr([OcrPayment("100.00", kid(issued, "lier"), PAID_ON)]).decode("iso-8859-1").split("\r\n")
    lines[2] = lines[2][:40] + "X" + lines[2][41:]  # a letter in the amount
    with pytest.raises(BillingError) as excinfo:
        payment_file_import(
            cooperation=issued["coop"], data="\r\n".join(lines).encode("iso-8859-1"), filename="f", actor=treasurer
        )
    assert "linje 3" in str(excinfo.value)
    assert Payment.objects.count() == 0


def test_a_file_is_all_or_nothing_when_one_payment_cannot_be_registered(after_due, treasurer):
    """The second payment is dated after today: nothing of the file is registered, the entry is named."""
    issued = after_due
    data = camt054(
        [
            Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "TX-1")]),
            Entry("E-2", date(2018, 4, 1), [Tx("100.00", kid(issued, "drammen"), "TX-2")]),
        ]
    )
    with pytest.raises(BillingError) as excinfo:
        payment_file_import(cooperation=issued["coop"], data=data, filename="a.xml", actor=treasurer)
    assert "post 2" in str(excinfo.value) and "fram i tid" in str(excinfo.value)
    assert Payment.objects.count() == 0
    assert not AuditEntry.objects.filter(verb="payment_file_import").exists()


def test_a_camt054_entry_without_amount_or_reference_is_named_in_the_error(after_due):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "")])])
    data = data.replace(b"<AcctSvcrRef>E-1</AcctSvcrRef>", b"")  # neither the entry nor its transaction
    with pytest.raises(BillingError) as excinfo:
        payment_file_plan(cooperation=issued["coop"], data=data)
    assert "post 1: mangler bankens referanse" in str(excinfo.value)
    bad = data.replace(b'<Amt Ccy="NOK">100.00</Amt>', b'<Amt Ccy="NOK">ett hundre</Amt>')
    with pytest.raises(BillingError, match="ugyldig beløp"):
        payment_file_plan(cooperation=issued["coop"], data=bad)


def test_a_batch_that_does_not_add_up_is_refused(after_due):
    issued = after_due
    data = camt054(
        [Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "T1"), Tx("200.00", kid(issued, "gol"), "T2")])]
    )
    data = data.replace(b'<Amt Ccy="NOK">300.00</Amt>', b'<Amt Ccy="NOK">310.00</Amt>')
    with pytest.raises(BillingError, match="summerer til 300.00"):
        payment_file_plan(cooperation=issued["coop"], data=data)


def test_debit_entries_are_not_incoming_payments(after_due):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "T1")], credit=False)])
    assert payment_file_plan(cooperation=issued["coop"], data=data).rows == []


def test_a_file_for_another_account_is_refused(after_due):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "T1")])], account="12345678903")
    with pytest.raises(BillingError, match="gjelder konto 12345678903"):
        payment_file_plan(cooperation=issued["coop"], data=data)


def test_a_kid_of_another_cooperation_is_unknown_here(after_due, other_coop_invoice):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", other_coop_invoice.kid, "T1")])])
    assert [r.outcome for r in payment_file_plan(cooperation=issued["coop"], data=data).rows] == [UNKNOWN_KID]


def test_something_that_is_no_bank_file_is_refused(after_due):
    with pytest.raises(BillingError, match="verken camt.054"):
        payment_file_plan(cooperation=after_due["coop"], data=b"Dato;Belop\n2018-03-01;100\n")


def test_a_newer_camt054_version_is_read_too(after_due):
    issued = after_due
    data = camt054([Entry("E-1", PAID_ON, [Tx("100.00", kid(issued, "lier"), "T1")])])
    data = data.replace(b"camt.054.001.02", b"camt.054.001.08").replace(b"<Sts>BOOK</Sts>", b"<Sts><Cd>BOOK</Cd></Sts>")
    assert [r.outcome for r in payment_file_plan(cooperation=issued["coop"], data=data).rows] == [PARTIAL]


def test_the_bank_reference_is_unique(after_due, treasurer):
    lier = after_due["lier_invoice"]
    payment_register(invoice=lier, actor=treasurer, paid_on=PAID_ON, amount=Decimal("1"), bank_reference="R-1")
    with pytest.raises(BillingError, match="allerede registrert"):
        payment_register(invoice=lier, actor=treasurer, paid_on=PAID_ON, amount=Decimal("1"), bank_reference="R-1")


def test_an_avtalegiro_file_is_not_read_as_payments(after_due):
    """Service code 21 (AvtaleGiro claims) instead of 09 (OCR Giro payments): refused by line."""
    data = ocr([OcrPayment("100.00", kid(after_due, "lier"), PAID_ON)]).replace(b"NY09", b"NY21")
    with pytest.raises(BillingError, match="linje 3"):
        payment_file_plan(cooperation=after_due["coop"], data=data)
    assert Payment.objects.count() == 0
