"""Two clerks reverse the same payment at the same moment (PostgreSQL): one reversal, one message."""

from datetime import date
from decimal import Decimal

import pytest

from billing.errors import BillingError
from billing.models import Payment
from billing.services import payment_register, payment_reverse
from tests.billing.test_concurrency import _in_threads, _require_postgres

pytestmark = [pytest.mark.postgres]


def test_parallel_reversals_of_one_payment_make_one_and_answer_the_other(transactional_db, issued, treasurer):
    _require_postgres()
    payment = payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("100")
    )
    results = _in_threads([lambda: payment_reverse(payment=payment, actor=treasurer, reason="Feil")] * 3)
    assert sum(isinstance(r, Payment) for r in results) == 1
    assert all(isinstance(r, (Payment, BillingError)) for r in results), results
    assert Payment.objects.filter(reverses=payment).count() == 1
