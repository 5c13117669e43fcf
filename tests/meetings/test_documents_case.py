"""The case document (saksframlegg), the supplementary summons and the cancellation letter."""

from khs.lib.pdf import pdf_text, pdf_xmp
from meetings import documents
from meetings.models import CaseReference
from tests import factories as f
from tests.meetings.summons_world import nynorsk_case, squash


def test_case_document_reads_like_seed_004_in_nynorsk(coop):
    case = nynorsk_case(coop)
    hol = f.make_municipality("3044", "Hol")
    aal = f.make_municipality("3043", "Ål")
    nore = f.make_municipality("3338", "Nore og Uvdal", name_nn="Nore og Uvdal")
    for municipality in (hol, aal, nore):
        f.make_invitee(case.meeting, name=f"Ordførar i {municipality.name}", municipality=municipality)
    f.make_attachment(case, title="Brev frå Vestregionen dat. 7.10.2011")

    data = documents.case_document_pdf(case)
    text = squash(pdf_text(data))
    assert "Saksframlegg Sak 55/11 Deltaking i Kommunehelsesamarbeidet i Vestre Viken" in text
    for word in ("Saksopplysning", "Vurdering", "Forslag til vedtak"):
        assert word in text
    assert "vart etablert som eit 2-årig prosjekt" in text
    assert "Regionrådet for Hallingdal rår kommunane i Hallingdal til å vidareføre deltaking" in text
    assert "Ål 22.10.2011 Knut Arne Gurigard Dagleg leiar" in text  # place and date, signer, default title
    assert "Vedlegg: Brev frå Vestregionen dat. 7.10.2011" in text
    assert "Sendt til Ål kommune Hol kommune Nore og Uvdal kommune" in text  # distribution list
    assert 'pdfaid:part="3"' in pdf_xmp(data)


def test_case_document_in_bokmal_with_its_own_signer_title_and_earlier_handling(coop):
    board = f.make_body(coop, name="Styret", case_number_format="{n:02}/{yyyy}", language="nb")
    board_meeting = f.make_meeting(board, title="Styremøte", starts_at=f.aware(2017, 1, 23, 10), ends_at=None)
    earlier = f.make_case_row(board, 3, meeting=board_meeting, title="Videreføring")
    mayors = f.make_body(coop, name="Ordførermøtet")
    case = f.make_case_row(
        mayors,
        1,
        title="Videreføring eller avvikling",
        background="<p>Bakgrunn.</p>",
        assessment="<p>Vurdering av saken.</p>",
        proposed_resolution="<p>Videreføres.</p>",
        signer_name="Kari Nordmann",
        signer_title="Rådgiver",
        document_place="Sandvika",
    )
    CaseReference.objects.create(case=case, earlier_case=earlier)

    text = squash(pdf_text(documents.case_document_pdf(case)))
    assert "Sak 1/2017 Videreføring eller avvikling" in text
    assert "Tidligere behandling: Styret, sak 03/2017 (23.01.2017)" in text
    assert "Sandvika Kari Nordmann Rådgiver" in text
    assert "Dagleg leiar" not in text and "Daglig leder" not in text
    assert "Sendt til" not in text and "Utsendt til" not in text  # no meeting yet, nobody to send to


def test_bokmal_case_document_gives_the_signer_the_bokmal_default_title(coop):
    case = f.make_case_row(
        f.make_body(coop),
        4,
        title="Sak med signatur",
        signer_name="Ola Nordmann",
        document_date=f.aware(2017, 5, 2).date(),
        document_place="Lier",
    )
    text = squash(pdf_text(documents.case_document_pdf(case)))
    assert "Lier 02.05.2017 Ola Nordmann Daglig leder" in text


def test_supplementary_summons_carries_only_the_added_cases(coop):
    body = f.make_body(coop)
    meeting = f.make_meeting(body, title="Ordførermøte")
    f.make_case_row(body, 1, meeting=meeting, title="Gammel sak")
    added = f.make_case_row(
        body, 2, meeting=meeting, title="Ny sak om kontingent", proposed_resolution="<p>Kontingenten økes.</p>"
    )
    text = squash(pdf_text(documents.supplementary_pdf(meeting, [added])))
    assert "Tilleggsinnkalling til ordførermøte" in text
    assert "Tilleggssaker til behandling" in text
    assert "Sak 2/2017 Ny sak om kontingent" in text and "Forslag til vedtak: Kontingenten økes." in text
    assert "Gammel sak" not in text
    assert "Tid: Torsdag 15.06.2017 kl. 10–11" in text


def test_cancellation_letter_says_the_meeting_is_cancelled_and_why(coop):
    body = f.make_body(coop, language="nn")
    meeting = f.make_meeting(body, title="Regionrådsmøte")
    text = squash(pdf_text(documents.cancellation_pdf(meeting, reason="For få kunne kome.")))
    assert "Avlysing: Regionrådsmøte" in text
    assert "Møtet er avlyst." in text
    assert "Grunngjeving For få kunne kome." in text
