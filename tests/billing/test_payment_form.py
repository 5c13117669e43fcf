"""The payment form records only what the treasurer typed, reads Norwegian amounts, shows each error once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.forms import PaymentForm
from billing.models import Payment


def _page(client, invoice):
    return client.get(reverse("billing:invoice-detail", args=[invoice.pk])).content.decode()


def test_nothing_is_filled_in_for_the_treasurer(treasurer_client, issued):
    html = _page(treasurer_client, issued["lier_invoice"])
    amount = html[html.index('id="payment_amount"') - 200 : html.index('id="payment_amount"') + 200]
    paid_on = html[html.index('id="payment_paid_on"') - 200 : html.index('id="payment_paid_on"') + 200]
    assert "value=" not in amount and "value=" not in paid_on
    assert "Utestående: kr\xa064\xa0350,00" in html


def test_one_click_on_the_empty_form_records_nothing(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    response = treasurer_client.post(reverse("billing:payment-create", args=[invoice.pk]), {})
    assert response.status_code == 200 and Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("10 000,50", Decimal("10000.50")),
        ("10\xa0000,50", Decimal("10000.50")),
        ("kr 16 740,00", Decimal("16740.00")),
        ("10.000,50", Decimal("10000.50")),
        ("2500", Decimal("2500")),
        ("2500.5", Decimal("2500.5")),
    ],
)
def test_norwegian_amounts_are_read(typed, amount):
    form = PaymentForm(data={"paid_on": "2018-02-15", "amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


def test_a_payment_typed_the_norwegian_way_is_recorded(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    treasurer_client.post(
        reverse("billing:payment-create", args=[invoice.pk]), {"paid_on": "2018-02-15", "amount": "10 000,50"}
    )
    assert Payment.objects.get().amount == Decimal("10000.50")


def test_each_error_is_shown_once(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    response = treasurer_client.post(
        reverse("billing:payment-create", args=[invoice.pk]), {"paid_on": "2018-02-15", "amount": "99 999"}
    )
    html = response.content.decode()
    assert html.count("større enn det som gjenstår") == 1
