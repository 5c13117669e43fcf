"""The bank-file upload (preview, then confirm) and the members' references ("Deres ref.") on the run,
the invoice PDF and the EHF BuyerReference."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from billing import documents
from billing.models import MemberReference, Payment
from billing.references import member_reference_set
from billing.selectors import run_preview
from billing.services import invoice_run_issue
from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from tests.billing.bank_files import Entry, OcrPayment, Tx, camt054, ocr
from tests.billing.test_views import content, messages_of

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}


@pytest.fixture
def after_due(issued, frozen):
    frozen.move_to("2018-03-10 09:00 +01:00")
    return issued


def upload(client, data: bytes, name="camt054.xml"):
    return client.post(reverse("billing:payment-import"), {"file": SimpleUploadedFile(name, data)})


# --- Payment files ------------------------------------------------------------------------------------------


def test_the_upload_page_shows_the_form(treasurer_client, billing):
    response = treasurer_client.get(reverse("billing:payment-import"))
    assert response.status_code == 200
    assert "Bankfil (camt.054 eller OCR Giro)" in content(response)


def test_the_secretariat_may_not_import_payments(clerk_client, billing):
    assert clerk_client.get(reverse("billing:payment-import")).status_code == 403
    assert clerk_client.post(reverse("billing:payment-import-confirm"), {"sha256": "x"}).status_code == 403


def test_members_may_not_import_payments(mayor_client, billing):
    assert mayor_client.get(reverse("billing:payment-import")).status_code == 403


def test_confirm_is_post_only(treasurer_client, billing):
    assert treasurer_client.get(reverse("billing:payment-import-confirm")).status_code == 405


def test_upload_previews_then_confirm_registers(treasurer_client, after_due, django_assert_max_num_queries):
    issued = after_due
    lier = issued["lier_invoice"]
    data = camt054(
        [
            Entry("E-1", date(2018, 3, 1), [Tx(f"{lier.total:.2f}", lier.kid, "TX-1")]),
            Entry("E-2", date(2018, 3, 1), [Tx("75.00", "", "TX-2", text="Kontingent")]),
        ]
    )
    with django_assert_max_num_queries(20):
        response = upload(treasurer_client, data)
    text = content(response)
    assert "Forhåndsvisning: camt054.xml" in text
    assert f"{lier.number} Lier kommune" in text and "Betalt" in text and "Uten KID" in text
    assert "Registrer 1 innbetaling (kr 64 350,00)" in text
    assert Payment.objects.count() == 0  # the preview writes nothing

    response = treasurer_client.post(
        reverse("billing:payment-import-confirm"), {"sha256": response.context["plan"].sha256}
    )
    assert response.status_code == 200
    assert "1 innbetaling på til sammen kr 64 350,00 er registrert fra camt054.xml." in [
        m.replace("\xa0", " ") for m in messages_of(response)
    ]
    assert "1 innbetaling må føres manuelt; se listen." in messages_of(response)
    (payment,) = Payment.objects.all()
    assert payment.invoice == lier and payment.bank_reference == "TX-1"
    assert AuditEntry.objects.filter(verb="payment_file_import").count() == 1

    again = treasurer_client.post(reverse("billing:payment-import-confirm"), {"sha256": "whatever"})
    assert again.status_code == 302 and Payment.objects.count() == 1


def test_uploading_the_same_file_again_shows_it_is_registered(treasurer_client, after_due):
    lier = after_due["lier_invoice"]
    data = ocr([OcrPayment(f"{lier.total:.2f}", lier.kid, date(2018, 3, 1))])
    first = upload(treasurer_client, data, "OCR.txt")
    treasurer_client.post(reverse("billing:payment-import-confirm"), {"sha256": first.context["plan"].sha256})
    second = upload(treasurer_client, data, "OCR.txt")
    assert "Allerede registrert" in content(second)
    assert "ingen innbetalinger å registrere" in content(second)
    assert Payment.objects.count() == 1


def test_a_bad_file_shows_its_errors_and_changes_nothing(treasurer_client, after_due):
    response = upload(treasurer_client, b"<Document xmlns='urn:example'/>", "x.xml")
    assert response.status_code == 200
    assert "Filen er verken camt.054 (XML) eller OCR Giro." in content(response)
    assert Payment.objects.count() == 0


def test_a_file_that_fails_at_confirm_registers_nothing_and_says_where(treasurer_client, after_due, frozen):
    lier = after_due["lier_invoice"]
    data = camt054([Entry("E-1", date(2018, 3, 9), [Tx("10.00", lier.kid, "TX-1")])])
    preview = upload(treasurer_client, data)
    frozen.move_to("2018-03-08 09:00 +01:00")  # the payment date is now in the future
    response = treasurer_client.post(
        reverse("billing:payment-import-confirm"), {"sha256": preview.context["plan"].sha256}
    )
    assert "post 1" in content(response) and "fram i tid" in content(response)
    assert Payment.objects.count() == 0


def test_no_file_is_an_error_beside_the_form(treasurer_client, billing):
    response = treasurer_client.post(reverse("billing:payment-import"), {})
    assert response.status_code == 200 and "Feltet er påkrevet." in content(response)


# --- Members' references ----------------------------------------------------------------------------------


def test_the_members_reference_goes_on_the_invoice_and_into_the_ehf(billing, treasurer, frozen):
    member_reference_set(
        cooperation=billing["coop"],
        municipality=billing["lier"],
        reference="Ressurs 4711",
        required=True,
        actor=treasurer,
    )
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    lier = run.invoices.get(municipality=billing["lier"])
    assert lier.buyer_reference == "Ressurs 4711"
    root = etree.fromstring(lier.ehf_xml.encode())
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "Ressurs 4711"
    assert "Deres referanse Ressurs 4711" in " ".join(pdf_text(documents.invoice_pdf(lier)).split())
    gol = run.invoices.get(municipality=billing["gol"])
    assert etree.fromstring(gol.ehf_xml.encode()).findtext("cbc:BuyerReference", namespaces=NS) == (
        "Medlemskontingent 2018"
    )


def test_a_required_reference_that_is_missing_blocks_the_run(billing, treasurer, frozen):
    member_reference_set(
        cooperation=billing["coop"], municipality=billing["drammen"], reference="", required=True, actor=treasurer
    )
    preview = run_preview(cooperation=billing["coop"], year=2018, today=date(2018, 2, 15))
    assert "Drammen: krever bestillerreferanse («Deres ref.»), men ingen er registrert" in [
        b.message for b in preview.all_blockers
    ]
    assert not preview.can_issue


def test_the_municipalitys_own_invoice_reference_satisfies_the_requirement(billing, treasurer, frozen):
    billing["drammen"].invoice_reference = "Økonomi v/ Kari"
    billing["drammen"].save()
    member_reference_set(
        cooperation=billing["coop"], municipality=billing["drammen"], reference="", required=True, actor=treasurer
    )
    preview = run_preview(cooperation=billing["coop"], year=2018, today=date(2018, 2, 15))
    assert preview.can_issue
    assert {r.municipality.name: r.buyer_reference for r in preview.rows}["Drammen"] == "Økonomi v/ Kari"


def test_the_preview_page_shows_references_and_the_blocker(treasurer_client, billing, treasurer, frozen):
    member_reference_set(
        cooperation=billing["coop"], municipality=billing["lier"], reference="Ref Lier", required=False, actor=treasurer
    )
    member_reference_set(
        cooperation=billing["coop"], municipality=billing["gol"], reference="", required=True, actor=treasurer
    )
    text = content(treasurer_client.get(reverse("billing:run-preview") + "?year=2018"))
    assert "Ref Lier" in text
    assert "Gol: krever bestillerreferanse" in text and "Mangler (påkrevd)" in text


def test_the_treasurer_sets_a_reference_on_the_page(treasurer_client, billing, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert treasurer_client.get(reverse("billing:references")).status_code == 200
    pk = billing["lier"].pk
    response = treasurer_client.post(
        reverse("billing:reference-set", args=[pk]), {f"m{pk}-reference": "  Bestiller  123 ", f"m{pk}-required": "on"}
    )
    assert response.status_code == 302
    ref = MemberReference.objects.get(municipality=billing["lier"])
    assert (ref.reference, ref.required) == ("Bestiller 123", True)
    entry = AuditEntry.objects.get(verb="member_reference_set")
    assert entry.changes == {"reference": [None, "Bestiller 123"], "required": [None, True]}
    page = content(treasurer_client.get(reverse("billing:references")))
    assert "Bestiller 123" in page and "påkrevd" in page


def test_a_too_long_reference_is_shown_beside_the_form(treasurer_client, billing):
    pk = billing["lier"].pk
    response = treasurer_client.post(reverse("billing:reference-set", args=[pk]), {f"m{pk}-reference": "x" * 101})
    assert response.status_code == 200
    assert MemberReference.objects.count() == 0


def test_references_are_for_members_and_the_treasurer(client, treasurer, clerk, billing, other_coop_invoice):
    other = other_coop_invoice.municipality
    client.force_login(treasurer)
    assert client.post(reverse("billing:reference-set", args=[other.pk]), {}).status_code == 404
    assert client.get(reverse("billing:reference-set", args=[billing["lier"].pk])).status_code == 405
    client.force_login(clerk)
    assert client.post(reverse("billing:reference-set", args=[billing["lier"].pk]), {}).status_code == 403
    assert client.get(reverse("billing:references")).status_code == 200  # the secretariat may read
    assert MemberReference.objects.count() == 0


def test_an_issued_invoice_keeps_its_reference(billing, treasurer, frozen):
    run = invoice_run_issue(cooperation=billing["coop"], year=2018, actor=treasurer)
    member_reference_set(
        cooperation=billing["coop"], municipality=billing["lier"], reference="Ny ref", required=False, actor=treasurer
    )
    assert run.invoices.get(municipality=billing["lier"]).buyer_reference == ""
    assert Decimal(run.total) > 0


# --- The official EHF rules on the issue page ---------------------------------------------------------------


def test_issuing_shows_the_official_warnings_and_issues(treasurer_client, billing, frozen):
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": 2018, "confirmed": "1"}, follow=True)
    shown = messages_of(response)
    assert "3 fakturaer er utstedt for 2018 (kr 246 787,50)." in [m.replace("\xa0", " ") for m in shown]
    (warning,) = [m for m in shown if m.startswith("EHF-advarsel")]
    assert warning.startswith("EHF-advarsel NO-R-002 for HS-1, HS-2, HS-3: For Norwegian suppliers")


def test_a_fatal_official_rule_blocks_issuing_with_its_id_and_text(treasurer_client, billing, frozen, monkeypatch):
    from billing import ehf
    from billing.models import Invoice

    real = ehf.document_to_ubl
    monkeypatch.setattr(
        ehf,
        "document_to_ubl",
        lambda doc: (
            real(doc).replace(b"<cbc:BuyerReference>", b"<cbc:Note>").replace(b"</cbc:BuyerReference>", b"</cbc:Note>")
        ),
    )
    response = treasurer_client.post(reverse("billing:run-issue"), {"year": 2018, "confirmed": "1"}, follow=True)
    (error,) = messages_of(response)
    assert "bryter reglene" in error and "ingenting er utstedt" in error
    assert "PEPPOL-EN16931-R003: A buyer reference or purchase order reference MUST be provided." in error
    assert Invoice.objects.count() == 0


def test_the_invoice_page_shows_the_bank_reference_of_an_imported_payment(treasurer_client, after_due, treasurer):
    from billing.payment_import import payment_file_import

    lier = after_due["lier_invoice"]
    data = camt054([Entry("E-1", date(2018, 3, 1), [Tx("100.00", lier.kid, "TX-4711")])])
    payment_file_import(cooperation=after_due["coop"], data=data, filename="camt.xml", actor=treasurer)
    text = content(treasurer_client.get(reverse("billing:invoice-detail", args=[lier.pk])))
    assert "Innlest fra bankfil camt.xml (post 1) Bankreferanse TX-4711" in text
