"""The preview of a run: members, basis, amounts, totals; blockers, flags, mergers, overrides, bad years."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.errors import BillingError
from billing.models import BasisOverride, Invoice, InvoiceNumberSeries
from billing.selectors import months_covered, rate_for_year, run_preview
from billing.services import basis_override_remove, basis_override_set, invoice_run_issue
from khs.models import AuditEntry
from membership.models import Municipality
from tests import factories as f
from tests.billing.conftest import POPULATION_2017, expected_amount


def preview(coop, year=2018, **kwargs):
    return run_preview(cooperation=coop, year=year, today=timezone.localdate(), **kwargs)


def test_preview_lists_every_member_with_population_rate_and_amount(billing):
    p = preview(billing["coop"])
    assert p.population_year == 2017
    assert p.rate == billing["rate"]
    assert [r.municipality.name for r in p.rows] == ["Drammen", "Gol", "Lier"]  # by kommunenummer
    lier = next(r for r in p.rows if r.municipality == billing["lier"])
    assert lier.inhabitants == 25740 and lier.amount == Decimal("64350.00")
    assert p.member_count == 3
    assert p.inhabitants == sum(POPULATION_2017.values())
    assert p.total == sum(expected_amount(c) for c in POPULATION_2017.values())
    assert p.can_issue and not p.all_blockers and not p.warnings


def test_population_of_the_invoicing_year_when_the_cooperation_says_so(billing):
    f.make_billing_profile(billing["coop"], population_reference="invoicing_year")
    for key in ("lier", "drammen", "gol"):
        f.make_population(billing[key], 2018, 1000)
    p = preview(billing["coop"])
    assert p.population_year == 2018
    assert {r.inhabitants for r in p.rows} == {1000}


def test_the_rate_in_force_on_1_january_applies(billing):
    coop = billing["coop"]
    f.make_rate(coop, per_inhabitant="2.00", valid_from=date(2012, 1, 1), resolution_text="")
    f.make_rate(coop, per_inhabitant="3.00", valid_from=date(2019, 7, 1))
    assert rate_for_year(coop, 2017).per_inhabitant == Decimal("2.00")
    assert rate_for_year(coop, 2018).per_inhabitant == Decimal("2.50")
    assert rate_for_year(coop, 2019).per_inhabitant == Decimal("2.50")
    assert rate_for_year(coop, 2020).per_inhabitant == Decimal("3.00")
    assert rate_for_year(coop, 2011) is None


def test_a_rate_without_a_resolution_is_allowed_but_flagged(billing):
    f.make_rate(
        billing["coop"], per_inhabitant="2.60", valid_from=date(2019, 1, 1), resolution_text="", resolution_date=None
    )
    for key in ("lier", "drammen", "gol"):
        f.make_population(billing[key], 2018, 1000)
    p = preview(billing["coop"], 2019)
    assert p.warnings and "mangler henvisning til vedtak" in p.warnings[0]
    assert p.can_issue


@pytest.mark.parametrize(
    "change, blocker",
    [
        (dict(org_number=""), "mangler organisasjonsnummer"),
        (dict(org_number="123456789"), "feil kontrollsiffer"),
        (dict(invoice_street=""), "mangler fakturaadresse"),
        (dict(invoice_city=""), "mangler fakturaadresse"),
    ],
)
def test_a_member_missing_data_blocks_the_run_and_nothing_is_issued(billing, treasurer, change, blocker):
    Municipality.objects.filter(pk=billing["gol"].pk).update(**change)
    p = preview(billing["coop"])
    assert not p.can_issue
    assert any(b.message.startswith("Gol: ") and blocker in b.message for b in p.all_blockers)
    with pytest.raises(BillingError) as excinfo:
        invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    assert any(blocker in d for d in excinfo.value.details)
    assert Invoice.objects.count() == 0
    assert InvoiceNumberSeries.objects.get(cooperation=billing["coop"]).last_number == 0


def test_a_member_without_a_population_figure_blocks_the_run(billing, treasurer):
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(billing["coop"], hol, starts_on=date(2010, 1, 1))
    p = preview(billing["coop"])
    assert "Hol: mangler innbyggertall per 1.1.2017" in [b.message for b in p.all_blockers]
    with pytest.raises(BillingError):
        invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    assert Invoice.objects.count() == 0


@pytest.mark.parametrize(
    "change, blocker",
    [
        (dict(org_number=""), "mangler organisasjonsnummer"),
        (dict(street_address=""), "mangler postadresse"),
    ],
)
def test_missing_seller_data_blocks_the_run(billing, change, blocker):
    type(billing["coop"]).objects.filter(pk=billing["coop"].pk).update(**change)
    billing["coop"].refresh_from_db()
    assert any(blocker in b.message for b in preview(billing["coop"]).all_blockers)


def test_an_account_with_a_wrong_check_digit_blocks_the_run(billing):
    from billing.models import BillingProfile

    BillingProfile.objects.filter(cooperation=billing["coop"]).update(payment_account="15037912345")
    assert any("feil kontrollsiffer" in b.message for b in preview(billing["coop"]).all_blockers)


def test_a_member_that_joined_during_the_year_is_flagged_and_billed_for_the_whole_year_by_default(billing):
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(billing["coop"], hol, starts_on=date(2018, 6, 1))
    f.make_population(hol, 2017, 4535)
    row = next(r for r in preview(billing["coop"]).rows if r.municipality == hol)
    assert row.part_year and row.months_member == 7
    assert row.months == 12 and row.amount == expected_amount(4535)


def test_pro_rata_by_months_when_the_treasurer_chooses_it(billing, treasurer):
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(billing["coop"], hol, starts_on=date(2018, 6, 1))
    f.make_population(hol, 2017, 4535)
    row = next(r for r in preview(billing["coop"], pro_rata={hol.pk}).rows if r.municipality == hol)
    assert row.months == 7
    assert row.amount == (Decimal(4535) * Decimal("2.50") * 7 / 12).quantize(Decimal("0.01"))  # 6 613,54
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer, pro_rata={hol.pk})
    invoice = run.invoices.get(municipality=hol)
    assert invoice.net_amount == Decimal("6613.54")
    assert invoice.months == 7 and (invoice.period_start, invoice.period_end) == (date(2018, 6, 1), date(2018, 12, 31))
    assert "× 7/12 mnd." in invoice.line_text
    assert run.invoices.get(municipality=billing["lier"]).months == 12  # pro rata only where chosen


def test_a_member_that_left_during_the_year_is_flagged(billing):
    from membership.models import Membership

    Membership.objects.filter(municipality=billing["gol"]).update(ends_on=date(2018, 3, 31))
    row = next(
        r for r in preview(billing["coop"], pro_rata={billing["gol"].pk}).rows if r.municipality == billing["gol"]
    )
    assert row.part_year and row.months == 3


def test_months_covered_counts_touched_calendar_months():
    assert months_covered([(date(2010, 1, 1), None)], 2018) == 12
    assert months_covered([(date(2018, 3, 15), None)], 2018) == 10
    assert months_covered([(date(2010, 1, 1), date(2018, 2, 1))], 2018) == 2
    assert months_covered([(date(2018, 1, 1), date(2018, 2, 28)), (date(2018, 11, 1), None)], 2018) == 4


def test_after_a_merger_the_successor_is_billed_on_its_own_population(billing, treasurer):

    coop = billing["coop"]
    asker = f.make_municipality("0220", "Asker", valid_to=date(2019, 12, 31))
    hurum = f.make_municipality("0628", "Hurum", valid_to=date(2019, 12, 31))
    royken = f.make_municipality("0627", "Røyken", valid_to=date(2019, 12, 31))
    new_asker = f.make_municipality("3025", "Asker", valid_from=date(2020, 1, 1))
    for old in (asker, hurum, royken):
        Municipality.objects.filter(pk=old.pk).update(successor=new_asker)
        f.make_membership(coop, old, starts_on=date(2010, 1, 1), ends_on=date(2019, 12, 31))
        f.make_population(old, 2019, 10000)
    f.make_membership(coop, new_asker, starts_on=date(2020, 1, 1))
    for key in ("lier", "drammen", "gol"):
        f.make_population(billing[key], 2019, 1000)
    # SSB's figure for the new municipality on 1.1.2019 (old borders summed) is used when present …
    f.make_population(new_asker, 2019, 94441)
    p = preview(coop, 2020)
    row = next(r for r in p.rows if r.municipality == new_asker)
    assert [r.municipality.name for r in p.rows].count("Asker") == 1
    assert row.inhabitants == 94441 and not row.predecessor_names
    assert not any(r.municipality in (asker, hurum, royken) for r in p.rows)


def test_a_successor_without_its_own_figure_is_billed_on_its_predecessors_sum(billing, treasurer):
    coop = billing["coop"]
    new_asker = f.make_municipality("3025", "Asker", valid_from=date(2020, 1, 1))
    for number, name, count in (("0220", "Asker", 61523), ("0628", "Hurum", 9450), ("0627", "Røyken", 22059)):
        old = f.make_municipality(number, name, valid_to=date(2019, 12, 31))
        Municipality.objects.filter(pk=old.pk).update(successor=new_asker)
        f.make_population(old, 2019, count)
    f.make_membership(coop, new_asker, starts_on=date(2020, 1, 1))
    for key in ("lier", "drammen", "gol"):
        f.make_population(billing[key], 2019, 1000)
    row = next(r for r in preview(coop, 2020).rows if r.municipality == new_asker)
    assert row.inhabitants == 61523 + 9450 + 22059
    assert row.predecessor_names == ["Asker", "Røyken", "Hurum"]  # by kommunenummer: 0220 < 0627 < 0628
    run = invoice_run_issue(cooperation=coop, year=2020, actor=treasurer)
    invoice = run.invoices.get(municipality=new_asker)
    assert invoice.line_text == (
        "Medlemskontingent 2020: 93 032 innbyggere × kr 2,50 (innbyggertall 1.1.2019 "
        "for Asker, Røyken og Hurum, jf. vedtak i ordførermøtet sak 2/2017)"
    )
    assert invoice.net_amount == Decimal("232580.00")


def test_override_bills_a_member_on_the_treasurers_figure_with_the_reason_on_the_invoice(billing, treasurer):
    coop = billing["coop"]
    override = basis_override_set(
        cooperation=coop,
        municipality=billing["gol"],
        year=2018,
        inhabitants=3000,
        reason="kun tidligere Sande kommune",
        actor=treasurer,
    )
    row = next(r for r in preview(coop).rows if r.municipality == billing["gol"])
    assert row.inhabitants == 3000 and row.amount == Decimal("7500.00")
    entry = AuditEntry.objects.get(verb="basis_override_set")
    assert entry.message == "kun tidligere Sande kommune" and entry.cooperation_id == coop.pk
    run = invoice_run_issue(cooperation=coop, year=2018, actor=treasurer)
    invoice = run.invoices.get(municipality=billing["gol"])
    assert invoice.line_text == (
        "Medlemskontingent 2018: 3 000 innbyggere × kr 2,50 (særskilt grunnlag: "
        "kun tidligere Sande kommune, jf. vedtak i ordførermøtet sak 2/2017)"
    )
    assert invoice.basis_note == "kun tidligere Sande kommune"
    assert invoice.quantity == 3000
    # Removing the override afterwards does not touch the issued invoice.
    basis_override_remove(override=override, actor=treasurer)
    assert Invoice.objects.get(pk=invoice.pk).quantity == 3000


@pytest.mark.parametrize(
    "inhabitants, reason, message",
    [
        (0, "grunn", "større enn null"),
        (100, "   ", "begrunnelse"),
    ],
)
def test_a_bad_override_is_refused_and_changes_nothing(billing, treasurer, inhabitants, reason, message):
    with pytest.raises(BillingError, match=message):
        basis_override_set(
            cooperation=billing["coop"],
            municipality=billing["gol"],
            year=2018,
            inhabitants=inhabitants,
            reason=reason,
            actor=treasurer,
        )
    assert not BasisOverride.objects.exists()


def test_an_override_for_a_non_member_is_refused(billing, treasurer):
    oslo = f.make_municipality("0301", "Oslo")
    with pytest.raises(BillingError, match="ikke medlem"):
        basis_override_set(
            cooperation=billing["coop"], municipality=oslo, year=2018, inhabitants=5, reason="x", actor=treasurer
        )


@pytest.mark.parametrize(
    "year, message",
    [
        (2011, "Ingen kontingentsats gjelder for 2011"),
        (1899, "Ukjent kontingentår 1899"),
        (timezone.now().year + 5, "Ukjent kontingentår"),
    ],
)
def test_an_unknown_year_gets_a_clear_message_and_nothing_changes(billing, treasurer, year, message):
    with pytest.raises(BillingError, match=message):
        preview(billing["coop"], year)
    with pytest.raises(BillingError, match=message):
        invoice_run_issue(cooperation=billing["coop"], year=year, actor=treasurer)
    assert Invoice.objects.count() == 0


def test_issued_members_show_their_invoice_in_the_preview(issued):
    p = preview(issued["coop"])
    assert p.to_issue == [] and not p.can_issue
    assert {r.invoice.number for r in p.rows} == {"HS-1", "HS-2", "HS-3"}
    assert p.total == issued["run"].total
