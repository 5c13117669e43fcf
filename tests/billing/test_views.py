"""The treasurer's pages: happy paths, wrong methods, wrong users, other cooperations' objects, bad input,
side effects, and query counts that do not grow with the data."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from billing.models import BasisOverride, BillingProfile, ContributionRate, Invoice, InvoiceRun, Payment, Transmission
from billing.services import basis_override_set, invoice_run_issue, payment_register
from khs.lib.pdf import pdf_page_count
from khs.models import AuditEntry
from tests import factories as f


def content(response) -> str:
    """The page as text (tags removed, spaces normalised)."""
    import html
    import re

    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(text.replace("\xa0", " ").split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Access ---------------------------------------------------------------------------------------------

READ_PAGES = ["billing:overview", "billing:run-preview", "billing:invoice-list", "billing:rates"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_read_pages_need_sign_in(client, billing, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("name", READ_PAGES)
def test_members_may_not_see_billing(mayor_client, billing, name):
    assert mayor_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", READ_PAGES)
def test_secretariat_may_read_billing(clerk_client, billing, name):
    assert clerk_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name, args",
    [
        ("billing:run-issue", []),
        ("billing:override-set", []),
        ("billing:payment-create", ["invoice"]),
        ("billing:credit-note-create", ["invoice"]),
        ("billing:invoice-send", ["invoice"]),
        ("billing:invoice-remind", ["invoice"]),
        ("billing:run-send", ["run"]),
        ("billing:payment-reverse", ["payment"]),
        ("billing:rate-link-case", ["rate"]),
        ("billing:override-remove", ["override"]),
    ],
)
def test_writes_are_post_only_and_for_the_treasurer(client, clerk, treasurer, issued, name, args):
    payment = payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("1")
    )
    override = basis_override_set(
        cooperation=issued["coop"], municipality=issued["gol"], year=2018, inhabitants=5, reason="r", actor=treasurer
    )
    objects = {
        "invoice": issued["lier_invoice"].pk,
        "run": issued["run"].pk,
        "payment": payment.pk,
        "rate": issued["rate"].pk,
        "override": override.pk,
    }
    url = reverse(name, args=[objects[a] for a in args])
    client.force_login(treasurer)
    assert client.get(url).status_code == 405
    client.force_login(clerk)
    assert client.post(url, {"year": 2018}).status_code == 403
    assert Invoice.objects.count() == 3 and Payment.objects.count() == 1


@pytest.mark.parametrize(
    "name, kind",
    [
        ("billing:invoice-detail", "invoice"),
        ("billing:invoice-pdf", "invoice"),
        ("billing:invoice-ehf", "invoice"),
        ("billing:run-detail", "run"),
        ("billing:run-pdf", "run"),
        ("billing:run-csv", "run"),
    ],
)
def test_another_cooperations_documents_are_not_found(treasurer_client, billing, other_coop_invoice, name, kind):
    pk = other_coop_invoice.pk if kind == "invoice" else other_coop_invoice.run_id
    assert treasurer_client.get(reverse(name, args=[pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["billing:payment-create", "billing:credit-note-create", "billing:invoice-send", "billing:invoice-remind"]
)
def test_another_cooperations_invoice_cannot_be_changed(treasurer_client, billing, other_coop_invoice, name):
    response = treasurer_client.post(
        reverse(name, args=[other_coop_invoice.pk]),
        {"paid_on": "2018-02-15", "amount": "1", "reason": "x", "scope": "full"},
    )
    assert response.status_code == 404
    assert Payment.objects.count() == 0 and Invoice.objects.count() == 1 and mail.outbox == []


def test_another_cooperations_rate_and_payment_are_not_found(treasurer_client, billing, other_coop_invoice):
    other_rate = ContributionRate.objects.exclude(cooperation=billing["coop"]).get()
    assert treasurer_client.post(reverse("billing:rate-link-case", args=[other_rate.pk])).status_code == 404
    payment = payment_register(
        invoice=other_coop_invoice, actor=None, paid_on=other_coop_invoice.issue_date, amount=Decimal("1")
    )
    response = treasurer_client.post(reverse("billing:payment-reverse", args=[payment.pk]), {"reason": "x"})
    assert response.status_code == 404 and Payment.objects.count() == 1


# --- Overview, summary, dashboard -------------------------------------------------------------------------


def test_overview_shows_each_year(treasurer_client, issued, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):  # 11 of them are sign-in, roles and the cooperation switcher
        response = treasurer_client.get(reverse("billing:overview"))
    text = content(response)
    assert "2018" in text and "kr 246 787,50" in text
    assert "ordførermøtet sak 2/2017" in text


def test_year_summary_has_an_accessible_chart_and_a_table(treasurer_client, issued):
    response = treasurer_client.get(reverse("billing:year-summary", args=[2018]))
    html = response.content.decode()
    assert 'role="img"' in html and 'aria-label="Kontingent per medlem 2018"' in html
    assert html.count("<rect ") == 3
    assert "Drammen" in html and '<th scope="row">0626 Lier</th>' in html


def test_year_summary_of_a_year_without_invoices_is_not_found(treasurer_client, billing):
    assert treasurer_client.get(reverse("billing:year-summary", args=[2018])).status_code == 404


def _add_members(coop, count, year=2017):
    for n in range(count):
        m = f.make_municipality()
        f.make_membership(coop, m)
        f.make_population(m, year, 1000 + n)


@pytest.mark.parametrize(
    "name, args",
    [
        ("billing:overview", []),
        ("billing:year-summary", [2018]),
        ("billing:invoice-list", []),
        ("billing:run-detail", ["run"]),
        ("billing:run-preview", []),
        ("dashboard", []),
    ],
)
def test_list_pages_do_not_grow_queries_with_the_data(
    treasurer_client, billing, treasurer, frozen, django_assert_max_num_queries, name, args
):
    counts = []
    for extra in (0, 6):
        _add_members(billing["coop"], extra)
        run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
        payment_register(invoice=run.invoices.first(), actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("10"))
        url = reverse(name, args=[run.pk if a == "run" else a for a in args])
        if name == "billing:run-preview":
            url += "?year=2018"
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert treasurer_client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        treasurer_client.get(url)


def test_invoice_detail_queries_do_not_grow_with_payments(
    treasurer_client, issued, treasurer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("billing:invoice-detail", args=[issued["lier_invoice"].pk])
    counts = []
    for payments in (1, 4):
        for _ in range(payments):
            payment_register(
                invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("10")
            )
        with CaptureQueriesContext(connection) as ctx:
            assert treasurer_client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        treasurer_client.get(url)


def test_dashboard_panel_shows_the_years_status(treasurer_client, issued, treasurer):
    payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("64350")
    )
    text = content(treasurer_client.get(reverse("dashboard")))
    assert "Kontingent 2018" in text
    assert "Fakturert kr 246 787,50 3 fakturaer" in text
    assert "Betalt kr 64 350,00" in text and "Utestående kr 182 437,50" in text


def test_dashboard_panel_is_not_shown_to_members(mayor_client, issued):
    assert "Kontingent 2018" not in content(mayor_client.get(reverse("dashboard")))


# --- Settings and rates -------------------------------------------------------------------------------


def test_treasurer_changes_the_billing_settings(treasurer_client, billing):
    response = treasurer_client.post(
        reverse("billing:profile"),
        {
            "invoice_prefix": "KHS-",
            "due_days": "14",
            "population_reference": "invoicing_year",
            "vat_rate": "25",
            "payment_account": "1503.79.12341",
        },
    )
    assert response.status_code == 302
    profile = BillingProfile.objects.get(cooperation=billing["coop"])
    assert (profile.invoice_prefix, profile.due_days, profile.population_reference) == ("KHS-", 14, "invoicing_year")
    assert profile.payment_account == "15037912341"
    assert AuditEntry.objects.filter(verb="billing_profile_save", cooperation_id=billing["coop"].pk).count() == 2


@pytest.mark.parametrize(
    "field, value", [("due_days", "0"), ("payment_account", "15037912345"), ("invoice_prefix", "KHS <b>")]
)
def test_bad_settings_are_shown_beside_the_field_and_nothing_changes(treasurer_client, billing, field, value):
    data = {
        "invoice_prefix": "HS-",
        "due_days": "30",
        "population_reference": "year_before",
        "vat_rate": "25",
        "payment_account": "15037912341",
        field: value,
    }
    response = treasurer_client.post(reverse("billing:profile"), data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert BillingProfile.objects.get(cooperation=billing["coop"]).due_days == 30


def test_settings_page_is_for_the_treasurer_only(clerk_client, billing):
    assert clerk_client.get(reverse("billing:profile")).status_code == 403


def test_rates_page_queries_do_not_grow_with_the_rates(treasurer_client, billing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for years in ((2019,), (2020, 2021, 2022)):
        for year in years:
            f.make_rate(billing["coop"], per_inhabitant="3.00", valid_from=date(year, 1, 1), resolution_text="")
        with CaptureQueriesContext(connection) as ctx:
            treasurer_client.get(reverse("billing:rates"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_rates_page_lists_rates_and_registers_a_new_one(treasurer_client, billing, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert treasurer_client.get(reverse("billing:rates")).status_code == 200
    response = treasurer_client.post(
        reverse("billing:rates"),
        {"per_inhabitant": "2,75", "valid_from": "2020-01-01", "resolution_text": ""},
        follow=True,
    )
    rate = ContributionRate.objects.get(valid_from=date(2020, 1, 1))
    assert rate.per_inhabitant == Decimal("2.75") and not rate.has_resolution
    assert any("mangler henvisning" in m for m in messages_of(response))
    assert "Mangler henvisning til vedtak" in content(response)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"per_inhabitant": "0", "valid_from": "2020-01-01"}, "større enn null"),
        ({"per_inhabitant": "-2", "valid_from": "2020-01-01"}, "større enn null"),
        ({"per_inhabitant": "2.50", "valid_from": "2018-01-01"}, "allerede en sats"),
        ({"per_inhabitant": "abc", "valid_from": "2020-01-01"}, "tall"),
    ],
)
def test_a_bad_rate_is_refused_with_a_message_and_nothing_changes(treasurer_client, billing, data, error):
    response = treasurer_client.post(reverse("billing:rates"), data)
    assert response.status_code == 200 and error in content(response)
    assert ContributionRate.objects.count() == 1


def test_secretariat_cannot_register_a_rate(clerk_client, billing):
    response = clerk_client.post(reverse("billing:rates"), {"per_inhabitant": "3", "valid_from": "2020-01-01"})
    assert response.status_code == 403 and ContributionRate.objects.count() == 1


def test_linking_the_adopted_case_to_a_rate(treasurer_client, billing):
    case = f.make_case_row(f.make_body(billing["coop"], name="Ordførermøtet"), 2, year=2017)
    response = treasurer_client.post(
        reverse("billing:rate-link-case", args=[billing["rate"].pk]), {"resolution_case": case.pk}
    )
    assert response.status_code == 302
    assert ContributionRate.objects.get(pk=billing["rate"].pk).resolution_case == case


# --- The run ------------------------------------------------------------------------------------------------


def test_preview_shows_members_totals_and_the_issue_button(treasurer_client, billing):
    response = treasurer_client.get(reverse("billing:run-preview") + "?year=2018")
    text = content(response)
    assert "3 kommuner, 98 715 innbyggere, kr 246 787,50" in text
    assert "0626 Lier" in text and "kr 64 350,00" in text
    assert "Utsted 3 fakturaer" in text
    assert Invoice.objects.count() == 0


def test_preview_lists_blockers_and_offers_no_issue_button(treasurer_client, billing):
    from membership.models import Municipality

    Municipality.objects.filter(pk=billing["gol"].pk).update(org_number="")
    text = content(treasurer_client.get(reverse("billing:run-preview") + "?year=2018"))
    assert "Gol: mangler organisasjonsnummer" in text and "Utsted 3" not in text


def _blocker_items(response):
    """Each blocker as (its text, the href of its fix link)."""
    from lxml import html

    tree = html.fromstring(response.content.decode())
    return [
        (" ".join(li.text_content().split()), li.xpath(".//a/@href")[0]) for li in tree.xpath('//*[@id="blockers"]//li')
    ]


def test_each_blocker_links_to_the_page_where_it_is_fixed_and_names_the_role(treasurer_client, billing):
    from membership.models import Municipality

    Municipality.objects.filter(pk=billing["gol"].pk).update(org_number="", invoice_street="")
    BillingProfile.objects.filter(cooperation=billing["coop"]).update(payment_account="15037912345")
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(billing["coop"], hol, starts_on=date(2010, 1, 1))
    items = dict(_blocker_items(treasurer_client.get(reverse("billing:run-preview") + "?year=2018")))
    account = next(text for text in items if text.startswith("Kontonummeret 15037912345 har feil kontrollsiffer"))
    assert items[account] == reverse("billing:profile") and "kan rettes av: Økonomi" in account
    org = next(text for text in items if text.startswith("Gol: mangler organisasjonsnummer"))
    assert items[org] == reverse("membership:municipality-update", args=[billing["gol"].pk])
    assert "kan rettes av: Administrator" in org
    address = next(text for text in items if text.startswith("Gol: mangler fakturaadresse"))
    assert items[address] == reverse("membership:member-contact-update", args=[billing["gol"].pk])
    assert "kan rettes av: Sekretariat" in address
    population = next(text for text in items if text.startswith("Hol: mangler innbyggertall"))
    assert items[population] == reverse("membership:population-import") and "Sekretariat" in population


def test_the_fix_link_of_a_member_blocker_opens_a_form_its_role_may_use(client, billing, clerk):
    from membership.models import Municipality

    Municipality.objects.filter(pk=billing["gol"].pk).update(invoice_street="")
    client.force_login(clerk)
    items = _blocker_items(client.get(reverse("billing:run-preview") + "?year=2018"))
    [(text, href)] = items
    assert client.get(href).status_code == 200


def test_a_year_without_a_rate_links_to_the_rates_page(treasurer_client, billing):
    response = treasurer_client.get(reverse("billing:run-preview") + "?year=2011")
    html = response.content.decode()
    assert f'href="{reverse("billing:rates")}"' in html and "kan rettes av: Økonomi" in content(response)


@pytest.mark.parametrize(
    "year, message", [("2011", "Ingen kontingentsats gjelder for 2011"), ("1800", "Ukjent kontingentår 1800")]
)
def test_preview_of_an_unknown_year_says_so(treasurer_client, billing, year, message):
    response = treasurer_client.get(reverse("billing:run-preview") + f"?year={year}")
    assert response.status_code == 200 and message in content(response)


def test_preview_with_a_non_numeric_year_goes_back_with_a_message(treasurer_client, billing):
    response = treasurer_client.get(reverse("billing:run-preview") + "?year=abc", follow=True)
    assert "Ukjent kontingentår" in " ".join(messages_of(response))


def test_issuing_asks_first_saying_how_many_to_whom_and_how_much(treasurer_client, billing, frozen):
    page = treasurer_client.post(reverse("billing:run-issue"), {"year": "2018"})
    assert page.status_code == 200 and not Invoice.objects.exists()
    text = content(page).replace("\xa0", " ")
    assert "Utsted 3 fakturaer?" in text and "til sammen kr 246 787,50" in text and "Gol: kr" in text
    html = page.content.decode()
    assert 'name="confirmed" value="1"' in html and 'name="year" value="2018"' in html


def test_treasurer_issues_the_run(treasurer_client, billing, frozen):
    # Confirmed on the confirmation page (issue 12): see the test above.
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": "2018", "confirmed": "1"}, follow=True)
    run = InvoiceRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("billing:run-detail", args=[run.pk])
    assert "3 fakturaer er utstedt for 2018 (kr 246 787,50)" in " ".join(messages_of(response)).replace("\xa0", " ")
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["HS-1", "HS-2", "HS-3"]
    assert AuditEntry.objects.filter(verb="invoice_run_issue", actor__username="treasurer").exists()


def test_issuing_with_blockers_shows_them_and_issues_nothing(treasurer_client, billing):
    from membership.models import Municipality

    Municipality.objects.filter(pk=billing["gol"].pk).update(invoice_street="")
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": "2018"}, follow=True)
    assert "Gol: mangler fakturaadresse" in " ".join(messages_of(response))
    assert Invoice.objects.count() == 0


def test_issuing_twice_bills_nobody_twice(treasurer_client, issued):
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": "2018", "confirmed": "1"}, follow=True)
    assert "allerede fakturert" in " ".join(messages_of(response))
    assert Invoice.objects.count() == 3


def test_pro_rata_choice_travels_from_preview_to_issue(treasurer_client, billing, frozen):
    hol = f.make_municipality("0620", "Hol")
    f.make_membership(billing["coop"], hol, starts_on=date(2018, 7, 1))
    f.make_population(hol, 2017, 4535)
    preview = content(treasurer_client.get(reverse("billing:run-preview") + f"?year=2018&pro_rata={hol.pk}"))
    assert "Deler av året (6 mnd.)" in preview and "6/12" in preview
    confirm = treasurer_client.post(reverse("billing:run-issue"), {"year": "2018", "pro_rata": [str(hol.pk)]})
    assert f'name="pro_rata" value="{hol.pk}"' in confirm.content.decode()
    treasurer_client.post(reverse("billing:run-issue"), {"year": "2018", "pro_rata": [str(hol.pk)], "confirmed": "1"})
    assert Invoice.objects.get(municipality=hol).net_amount == Decimal("5668.75")


def test_treasurer_overrides_a_members_basis(treasurer_client, billing):
    response = treasurer_client.post(
        reverse("billing:override-set"),
        {
            "municipality": billing["gol"].pk,
            "year": "2018",
            "inhabitants": "3000",
            "reason": "kun tidligere Sande kommune",
        },
        follow=True,
    )
    assert BasisOverride.objects.get().inhabitants == 3000
    assert "Overstyrt: kun tidligere Sande kommune" in content(response)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"inhabitants": "0", "reason": "grunn"}, "Innbyggertallet må være større enn null."),
        ({"inhabitants": "100", "reason": ""}, "Feltet er påkrevet"),
    ],
)
def test_a_bad_override_is_shown_beside_the_form(treasurer_client, billing, data, error):
    response = treasurer_client.post(
        reverse("billing:override-set"), {"municipality": billing["gol"].pk, "year": "2018", **data}
    )
    assert response.status_code == 200 and error in content(response)
    assert not BasisOverride.objects.exists()


def test_removing_an_override(treasurer_client, billing, treasurer):
    override = basis_override_set(
        cooperation=billing["coop"], municipality=billing["gol"], year=2018, inhabitants=5, reason="r", actor=treasurer
    )
    assert treasurer_client.post(reverse("billing:override-remove", args=[override.pk])).status_code == 302
    assert not BasisOverride.objects.exists()
    assert AuditEntry.objects.filter(verb="basis_override_remove").exists()


def test_run_page_offers_pdf_csv_and_sending(treasurer_client, issued):
    run = issued["run"]
    text = content(treasurer_client.get(reverse("billing:run-detail", args=[run.pk])))
    assert "Send 3 fakturaer på e-post" in text and "HS-1" in text
    assert "Utskriftsfilen er ikke laget ennå." in text and "Lag utskriftsfil" in text
    not_yet = treasurer_client.get(reverse("billing:run-pdf", args=[run.pk]), follow=True)
    assert "Utskriftsfilen er ikke klar ennå." in messages_of(not_yet)
    treasurer_client.post(reverse("billing:run-bundle", args=[run.pk]))  # the worker builds it (here at once)
    assert "Utskriftsfilen er klar." in content(treasurer_client.get(reverse("billing:run-detail", args=[run.pk])))
    pdf = treasurer_client.get(reverse("billing:run-pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf_page_count(pdf.content) == 3
    csv = treasurer_client.get(reverse("billing:run-csv", args=[run.pk]))
    assert csv["Content-Type"].startswith("text/csv") and csv.content.decode().count("\r\n") == 4


def test_sending_the_run(treasurer_client, issued):
    response = treasurer_client.post(reverse("billing:run-send", args=[issued["run"].pk]), follow=True)
    assert "3 fakturaer er sendt." in messages_of(response)
    assert len(mail.outbox) == 3 and Transmission.objects.filter(ok=True).count() == 3
    response = treasurer_client.post(reverse("billing:run-send", args=[issued["run"].pk]), follow=True)
    assert len(mail.outbox) == 3 and "allerede sendt" in " ".join(messages_of(response))


# --- Invoices ---------------------------------------------------------------------------------------------------


def test_invoice_list_filters_by_status(treasurer_client, issued, treasurer, frozen):
    payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("64350")
    )
    frozen.move_to("2018-04-01 12:00 +02:00")
    overdue = treasurer_client.get(reverse("billing:invoice-list") + "?year=2018&status=overdue")
    assert [i.number for i in overdue.context["invoices"]] == ["HS-1", "HS-2"]  # Lier (HS-3) has paid
    assert "Faktura HS-1" in content(overdue) and "Forfalt" in content(overdue)
    paid = treasurer_client.get(reverse("billing:invoice-list") + "?status=paid")
    assert [i.number for i in paid.context["invoices"]] == [issued["lier_invoice"].number]


def test_invoice_detail_and_downloads(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    text = content(treasurer_client.get(reverse("billing:invoice-detail", args=[invoice.pk])))
    assert invoice.kid in text and "Utestående kr 64 350,00" in text
    pdf = treasurer_client.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert pdf["Content-Disposition"] == (
        f"attachment; filename=\"{invoice.number}.pdf\"; filename*=UTF-8''{invoice.number}.pdf"
    )
    ehf = treasurer_client.get(reverse("billing:invoice-ehf", args=[invoice.pk]))
    assert ehf["Content-Type"] == "application/xml" and ehf.content.decode() == invoice.ehf_xml


def test_treasurer_registers_a_payment(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    response = treasurer_client.post(
        reverse("billing:payment-create", args=[invoice.pk]),
        {"paid_on": "2018-02-15", "amount": "64350,00", "note": "Bank"},
        follow=True,
    )
    assert Payment.objects.get().amount == Decimal("64350.00")
    assert "Utestående kr 0,00" in content(response) and "Betalt" in content(response)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"paid_on": "2018-02-15", "amount": "0"}, "Beløpet må være større enn null."),
        ({"paid_on": "2018-02-15", "amount": "99999"}, "større enn det som gjenstår"),
        ({"paid_on": "", "amount": "10"}, "Feltet er påkrevet"),
    ],
)
def test_a_bad_payment_is_shown_beside_the_form(treasurer_client, issued, data, error):
    response = treasurer_client.post(reverse("billing:payment-create", args=[issued["lier_invoice"].pk]), data)
    assert response.status_code == 200 and error in content(response)
    assert Payment.objects.count() == 0


def test_reversing_a_payment(treasurer_client, issued, treasurer):
    payment = payment_register(
        invoice=issued["lier_invoice"], actor=treasurer, paid_on=date(2018, 2, 15), amount=Decimal("100")
    )
    response = treasurer_client.post(reverse("billing:payment-reverse", args=[payment.pk]), {"reason": "Feil"})
    assert response.status_code == 302 and Payment.objects.get(reverses=payment).amount == Decimal("-100.00")
    bad = treasurer_client.post(reverse("billing:payment-reverse", args=[payment.pk]), {"reason": "igjen"})
    assert bad.status_code == 200 and "allerede tilbakeført" in content(bad)


def test_a_credit_note_asks_first_saying_how_much_and_to_whom(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    page = treasurer_client.post(
        reverse("billing:credit-note-create", args=[invoice.pk]), {"scope": "full", "reason": "Feil innbyggertall"}
    )
    assert page.status_code == 200 and Invoice.objects.count() == 3
    text = content(page).replace("\xa0", " ")
    assert "Utsted kreditnota?" in text and invoice.buyer_name in text and invoice.number in text
    assert "Feil innbyggertall" in text and 'name="confirmed" value="1"' in page.content.decode()


def test_treasurer_issues_a_credit_note(treasurer_client, issued):
    invoice = issued["lier_invoice"]
    response = treasurer_client.post(
        reverse("billing:credit-note-create", args=[invoice.pk]),
        {"scope": "full", "reason": "Feil innbyggertall", "confirmed": "1"},
        follow=True,
    )
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert response.redirect_chain[-1][0] == reverse("billing:invoice-detail", args=[note.pk])
    assert f"Kreditnota {note.number}" in content(response)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"scope": "partial", "reason": "x"}, "Oppgi beløpet"),
        ({"scope": "partial", "amount": "70000", "reason": "x"}, "høyst kreditere"),
        ({"scope": "full", "reason": ""}, "Feltet er påkrevet"),
    ],
)
def test_a_bad_credit_note_is_shown_beside_the_form(treasurer_client, issued, data, error):
    response = treasurer_client.post(reverse("billing:credit-note-create", args=[issued["lier_invoice"].pk]), data)
    assert response.status_code == 200 and error in content(response)
    assert Invoice.objects.count() == 3


def test_sending_one_invoice_and_a_reminder(treasurer_client, issued, frozen):
    invoice = issued["lier_invoice"]
    response = treasurer_client.post(reverse("billing:invoice-send", args=[invoice.pk]), follow=True)
    assert f"{invoice.number} er sendt til" in " ".join(messages_of(response))
    early = treasurer_client.post(reverse("billing:invoice-remind", args=[invoice.pk]), follow=True)
    assert "ikke forfalt" in " ".join(messages_of(early))
    frozen.move_to("2018-04-01 12:00 +02:00")
    text = content(treasurer_client.get(reverse("billing:invoice-detail", args=[invoice.pk])))
    assert "Send betalingspåminnelse" in text
    reminded = treasurer_client.post(reverse("billing:invoice-remind", args=[invoice.pk]), follow=True)
    assert "Betalingspåminnelse for" in " ".join(messages_of(reminded))
    assert len(mail.outbox) == 2 and Transmission.objects.filter(purpose="reminder").count() == 1


@pytest.mark.parametrize(
    "model",
    [
        "billingprofile",
        "contributionrate",
        "invoicenumberseries",
        "basisoverride",
        "invoicerun",
        "invoice",
        "payment",
        "transmission",
    ],
)
def test_admin_lists_billing_records_and_offers_no_way_to_change_issued_ones(client, administrator, issued, model):
    client.force_login(administrator)
    assert client.get(reverse(f"admin:billing_{model}_changelist")).status_code == 200
    if model in ("invoice", "payment", "invoicerun", "transmission", "invoicenumberseries"):
        assert client.get(reverse(f"admin:billing_{model}_add")).status_code == 403
    if model == "invoice":
        url = reverse("admin:billing_invoice_delete", args=[issued["lier_invoice"].pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert Invoice.objects.count() == 3


def test_a_credit_note_page_says_credit_note_and_credit_note_date(treasurer_client, issued, treasurer):
    from lxml import html

    from billing.services import credit_note_issue, invoice_send

    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil innbyggertall")
    invoice_send(invoice=note, actor=treasurer)
    tree = html.fromstring(treasurer_client.get(reverse("billing:invoice-detail", args=[note.pk])).content)
    facts = " ".join(tree.xpath("//main")[0].text_content().split())
    assert f"Kreditnota {note.number}" in facts and "Kreditnotaen" in facts and "Kreditnotadato" in facts
    assert "Kreditnota sendt til" in facts
    assert "Fakturadato" not in facts and "Fakturaen" not in facts and "Faktura sendt" not in facts


def test_the_invoice_change_log_shows_words_not_service_names(treasurer_client, issued, treasurer):
    from billing.services import credit_note_issue

    note = credit_note_issue(invoice=issued["lier_invoice"], actor=treasurer, reason="Feil")
    page = treasurer_client.get(reverse("billing:invoice-detail", args=[note.pk])).content.decode()
    assert "Kreditnota utstedt" in page and "credit_note_issue" not in page
    page = treasurer_client.get(reverse("billing:invoice-detail", args=[issued["lier_invoice"].pk])).content.decode()
    assert "Faktura utstedt i fakturakjøring" in page and "invoice_run_issue" not in page


def test_members_missing_the_same_figure_are_listed_together_with_one_link_to_the_import(treasurer_client, billing):
    from membership.models import Population

    Population.objects.filter(municipality__in=[billing["gol"], billing["drammen"]]).delete()
    items = _blocker_items(treasurer_client.get(reverse("billing:run-preview") + "?year=2018"))
    population = [(text, href) for text, href in items if "mangler innbyggertall" in text]
    assert len(population) == 1
    text, href = population[0]
    assert "Gol: mangler innbyggertall" in text and "Drammen: mangler innbyggertall" in text
    assert href == reverse("membership:population-import") and text.count("kan rettes av") == 1
