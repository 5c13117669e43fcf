"""The invoice run from the command line, and the demo: KHS 2018 at NOK 2.50 on the 1.1.2017 figures."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from billing.models import BillingProfile, ContributionRate, Invoice
from billing.selectors import run_preview
from membership.models import Cooperation, Municipality


def run_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("invoice_run", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_the_preview_and_issues_nothing_without_issue(billing):
    out, _err = run_command("--cooperation", "HS", "--year", "2018")
    assert "0626  Lier" in out and "kr 64 350,00" in out
    assert "3 kommuner, 98 715 innbyggere, kr 246 787,50" in out
    assert Invoice.objects.count() == 0


def test_command_issues_with_issue_and_is_idempotent(billing, treasurer):
    out, _err = run_command("--cooperation", "hs", "--year", "2018", "--issue", "--user", "treasurer")
    assert "Utstedt 3 fakturaer HS-1–HS-3, kr 246 787,50." in out
    assert Invoice.objects.filter(issued_by=treasurer).count() == 3
    again, _err = run_command("--cooperation", "HS", "--year", "2018", "--issue")
    assert "ingenting å utstede" in again and Invoice.objects.count() == 3


def test_command_exits_with_code_1_and_the_blockers(billing):
    Municipality.objects.filter(pk=billing["gol"].pk).update(org_number="")
    with pytest.raises(CommandError) as excinfo:
        run_command("--cooperation", "HS", "--year", "2018", "--issue")
    assert excinfo.value.returncode == 1
    assert Invoice.objects.count() == 0


def test_command_prints_blockers_on_stderr(billing, capsys):
    Municipality.objects.filter(pk=billing["gol"].pk).update(org_number="")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("invoice_run", "--cooperation", "HS", "--year", "2018", stdout=StringIO(), stderr=err)
    assert "Gol: mangler organisasjonsnummer" in err.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--cooperation", "NOPE", "--year", "2018"], "Ukjent samarbeid"),
        (["--cooperation", "HS", "--year", "2011"], "Ingen kontingentsats gjelder for 2011"),
        (["--cooperation", "HS", "--year", "2018", "--pro-rata", "9999"], "Ikke medlem"),
    ],
)
def test_command_bad_input(billing, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)


def test_command_pro_rata_and_send(billing, mailoutbox):
    from datetime import date

    from tests import factories as f

    hol = f.make_municipality("0620", "Hol")
    f.make_membership(billing["coop"], hol, starts_on=date(2018, 7, 1))
    f.make_population(hol, 2017, 4535)
    out, _err = run_command("--cooperation", "HS", "--year", "2018", "--issue", "--pro-rata", "0620", "--send")
    assert Invoice.objects.get(municipality=hol).months == 6
    assert "Sendt: 4, ikke sendt: 0" in out and len(mailoutbox) == 4


def test_demo_khs_2018_preview_and_run(db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # twice: nothing duplicated
    khs = Cooperation.objects.get(short_name="KHS")
    assert ContributionRate.objects.filter(cooperation=khs).count() == 2
    profile = BillingProfile.objects.get(cooperation=khs)
    assert (profile.invoice_prefix, profile.due_days, profile.population_reference) == ("KHS-", 30, "year_before")
    assert Invoice.objects.count() == 0  # the treasurer runs 2018 in the demo
    preview = run_preview(cooperation=khs, year=2018, today=timezone.localdate())
    assert (preview.member_count, preview.inhabitants, preview.total) == (26, 487348, Decimal("1218370.00"))
    assert preview.population_year == 2017 and not preview.all_blockers
    asker = next(r for r in preview.rows if r.municipality.name == "Asker")
    assert asker.amount == Decimal("151952.50")
    out, _err = run_command("--cooperation", "KHS", "--year", "2018", "--issue")
    assert "26 kommuner, 487 348 innbyggere, kr 1 218 370,00" in out
    invoice = Invoice.objects.get(municipality__name="Asker", year=2018)
    assert invoice.line_text == (
        "Medlemskontingent 2018: 60 781 innbyggere × kr 2,50 (innbyggertall 1.1.2017, "
        "jf. vedtak i ordførermøtet sak 2/2017)"
    )
    assert invoice.total == Decimal("151952.50") and invoice.number.startswith("KHS-")


def test_the_rate_cites_the_linked_case_rather_than_its_free_text(db, coop):
    """Issue 11: the invoice cites the case that adopted the rate (from the link), not the free text."""
    from tests import factories as f

    body = f.make_body(coop, name="Ordførermøtet")
    case = f.make_case_row(body, 2, year=2017)
    rate = f.make_rate(coop, resolution_text="noe annet", resolution_case=case)
    assert rate.citation == "ordførermøtet sak 2/2017"
