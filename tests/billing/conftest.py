"""Billing's own cast on top of tests/conftest.py.

- `billing` : the cooperation HS (Lier, Drammen, Gol) set up for invoicing 2018 like KHS:
  prefix "HS-", 30 days, billed on the population of the year before (1.1.2017), rate
  NOK 2.50 from 1.1.2018 resolved by "ordførermøtet sak 2/2017".
- `issued`  : the 2018 run issued on 15.02.2018 (time frozen there).
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from tests import factories as f

POPULATION_2017 = {"lier": 25740, "drammen": 68363, "gol": 4612}
ISSUE_DAY = "2018-02-15 10:00 +01:00"


@pytest.fixture
def billing(coop, municipalities):
    for key, count in POPULATION_2017.items():
        f.make_population(municipalities[key], 2017, count)
    profile = f.make_billing_profile(coop)
    rate = f.make_rate(coop)
    return {"coop": coop, "profile": profile, "rate": rate, **municipalities}


@pytest.fixture
def frozen():
    with time_machine.travel(ISSUE_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def issued(billing, treasurer, frozen):
    from billing.services import invoice_run_issue

    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    invoices = {i.municipality_id: i for i in run.invoices.all()}
    return {
        **billing,
        "run": run,
        "invoices": invoices,
        "lier_invoice": invoices[billing["lier"].pk],
        "drammen_invoice": invoices[billing["drammen"].pk],
    }


def expected_amount(count: int, rate: str = "2.50") -> Decimal:
    return (Decimal(count) * Decimal(rate)).quantize(Decimal("0.01"))


@pytest.fixture
def other_coop_invoice(db):
    """An issued invoice of another cooperation (for the 404 checks)."""
    from billing.services import invoice_run_issue

    other = f.make_cooperation(name="Annet samarbeid", short_name="AS2")
    m = f.make_municipality("0301", "Oslo")
    f.make_membership(other, m, starts_on=date(2010, 1, 1))
    f.make_population(m, 2017, 666759)
    f.make_billing_profile(other, invoice_prefix="AS-")
    f.make_rate(other)
    run = invoice_run_issue(cooperation=other, year=2018, actor=None)
    return run.invoices.get()
