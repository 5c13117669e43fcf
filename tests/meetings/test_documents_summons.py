"""The summons PDF: what it says, in which language, and that it is an archival, accessible PDF."""

import io

import pytest
from pypdf import PdfReader

from khs.lib.pdf import pdf_page_count, pdf_text, pdf_xmp
from meetings import documents
from meetings.models import Case
from tests import factories as f
from tests.meetings.summons_world import ADDRESSEE, long_meeting, seed_000_cases, seed_000_meeting, squash


def page_texts(data: bytes) -> list[str]:
    return [squash(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def test_summons_of_the_demo_meeting_carries_what_seed_000_says(coop):
    meeting = seed_000_meeting(coop)
    text = squash(pdf_text(documents.summons_pdf(meeting)))

    assert "Kommunehelsesamarbeidet i Vestre Viken" in text  # letterhead
    assert ADDRESSEE in text
    assert "Innkalling til ordførermøte i Kommunehelsesamarbeidet (KHS)" in text
    assert "Tid: Torsdag 15.06.2017 kl. 10–11" in text
    assert "Sted: Elvebakken gård, Svensfjøsset, Heggeveien 5, 3403 Lier" in text
    assert "Dagsorden:" in text
    for item in ("Valg av møteleder og referent", "Godkjenning av innkalling og dagsorden", "Ordinære saker"):
        assert item in text
    assert "Saker til behandling" in text
    cases = seed_000_cases()
    assert [c["number"] for c in cases] == [1, 2, 3]
    for case in cases:
        assert f"Sak {case['number']}/2017 {case['title']}" in text
        assert f"Forslag til vedtak: {case['proposal']}" in text
        for paragraph in case["background"]:
            assert paragraph in text
    assert "Forslag til kontingent 2018" in text
    assert "Informasjonen tas til orientering." in text
    assert "Påmelding innen 4. juni 2017" in text
    assert "kari@vestregionen.no" in text  # contact


def test_summons_names_the_address_where_invitees_register(coop, settings):
    settings.SITE_URL = "https://khs.example.no"
    meeting = seed_000_meeting(coop)
    text = squash(pdf_text(documents.summons_pdf(meeting)))
    assert "Påmelding innen 4. juni 2017 på https://khs.example.no/login/link/" in text


def test_summons_is_pdf_a_tagged_with_embedded_fonts_in_the_body_language(coop):
    data = documents.summons_pdf(seed_000_meeting(coop))
    xmp = pdf_xmp(data)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nb"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged for screen readers
    assert reader.metadata.title == "Innkalling til ordførermøte i Kommunehelsesamarbeidet (KHS)"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
            assert any(key.startswith("/FontFile") for key in descriptor), f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts and all(name.startswith("Source-Sans-3") for name in fonts), fonts


def test_long_summons_numbers_its_pages_and_repeats_meeting_and_date_on_top(coop):
    meeting = long_meeting(coop, 6, 500)
    data = documents.summons_pdf(meeting)
    pages = page_texts(data)
    total = pdf_page_count(data)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"Side {number} av {total}" in text
    assert "Innkalling · Styremøte · 15.06.2017" not in pages[0]  # the letterhead is enough on page 1
    for text in pages[1:]:
        assert "Innkalling · Styremøte · 15.06.2017" in text


def test_no_case_heading_is_left_alone_at_the_foot_of_a_page(coop):
    meeting = long_meeting(coop, 14, 260)
    pages = page_texts(documents.summons_pdf(meeting))
    assert len(pages) >= 4
    for n in range(1, 15):
        heading = f"Sak {n}/2017 Tittel på sak nummer {n}"
        # The last page naming the case is where its text begins (the agenda on page 1 names it too).
        where = max(i for i, text in enumerate(pages) if heading in text)
        assert f"Begynnelsen{n} av saken." in pages[where], f"heading of case {n} stranded on page {where + 1}"


def test_nynorsk_body_gets_a_nynorsk_summons(coop):
    body = f.make_body(coop, name="Regionrådet", language="nn", addressee="Til kommunane i Hallingdal")
    meeting = f.make_meeting(
        body,
        title="Regionrådsmøte",
        starts_at=f.aware(2011, 10, 27, 9, 30),
        ends_at=f.aware(2011, 10, 27, 15),
        registration_deadline=f.aware(2011, 10, 20, 12),
    )
    f.make_case_row(
        body,
        55,
        year=2011,
        meeting=meeting,
        title="Deltaking i KHS",
        background="<p>Tekst.</p>",
        assessment="<p>Vurdert.</p>",
        proposed_resolution="<p>Vedtak.</p>",
    )
    data = documents.summons_pdf(meeting)
    text = squash(pdf_text(data))
    for word in (
        "Til kommunane i Hallingdal",
        "Innkalling til regionrådsmøte",
        "Stad:",
        "Saksliste:",
        "Val av møteleiar og referent",
        "Godkjenning av innkalling og saksliste",
        "Saker til handsaming",
        "Saksopplysning",
        "Vurdering",
        "Forslag til vedtak:",
        "Påmelding innan 20. oktober 2011",
        "Tid: Torsdag 27.10.2011 kl. 09.30–15",
    ):
        assert word in text, word
    for bokmal in ("Saker til behandling", "Sted:", "Valg av møteleder", "Påmelding innen"):
        assert bokmal not in text
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "nn"


def test_hostile_markup_in_case_texts_never_reaches_the_document(coop):
    body = f.make_body(coop)
    meeting = f.make_meeting(body)
    hostile = (
        '<p>Trygg tekst<script>alert("skript")</script></p><style>p { display: none }</style>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">lenke</a>'
        '<iframe src="file:///etc/passwd">iframeinnhold</iframe><p onclick="alert(3)">klikk</p>'
        '<a href="https://example.no/sak">kilde</a>'
    )
    f.make_case_row(
        body, 1, meeting=meeting, title="Farlig", background=hostile, assessment=hostile, proposed_resolution=hostile
    )
    html = documents.summons_html(meeting)
    for bad in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "iframeinnhold",
        "display: none",
        "<img",
    ):
        assert bad not in html, bad
    text = pdf_text(documents.summons_pdf(meeting))
    assert "Trygg tekst" in text and "lenke" in text and "klikk" in text and "kilde" in text
    for bad in ("alert", "skript", "iframeinnhold", "display"):
        assert bad not in text
    case_text = pdf_text(documents.case_document_pdf(meeting.cases.get()))
    assert "Trygg tekst" in case_text and "alert" not in case_text and "iframeinnhold" not in case_text


def test_plain_text_case_texts_keep_their_paragraphs(coop):
    body = f.make_body(coop)
    meeting = f.make_meeting(body)
    f.make_case_row(
        body, 1, meeting=meeting, title="Ren tekst", background="Kostnad < 5 mill. & mer.\n\nAndre avsnitt."
    )
    html = documents.summons_html(meeting)
    assert "<p>Kostnad &lt; 5 mill. &amp; mer.</p>" in html and "<p>Andre avsnitt.</p>" in html


def test_withdrawn_cases_are_left_out_and_attachments_are_listed(coop):
    body = f.make_body(coop)
    meeting = f.make_meeting(body)
    kept = f.make_case_row(body, 1, meeting=meeting, title="Beholdt sak", proposed_resolution="<p>Ja.</p>")
    f.make_case_row(body, 2, meeting=meeting, title="Trukket sak", status=Case.Status.WITHDRAWN)
    f.make_attachment(kept, title="Budsjett 2018")
    f.make_attachment(kept, title="Brev fra departementet")
    text = squash(pdf_text(documents.summons_pdf(meeting)))
    assert "Sak 1/2017 Beholdt sak" in text
    assert "Trukket sak" not in text
    assert "Vedlegg: Budsjett 2018; Brev fra departementet" in text
    assert "Sak 1/2017: Budsjett 2018" in text and "Sak 1/2017: Brev fra departementet" in text


def test_addressee_and_numbers_follow_the_body(coop):
    body = f.make_body(coop, name="Samarbeidsstyret", case_number_format="{n:02}/{yyyy}")
    meeting = f.make_meeting(
        body,
        title="Møte i samarbeidsstyret",
        starts_at=f.aware(2017, 1, 23, 12, 30),
        ends_at=f.aware(2017, 1, 23, 14),
        registration_deadline=None,
    )
    f.make_case_row(body, 3, meeting=meeting, title="Videre samarbeid")
    text = squash(pdf_text(documents.summons_pdf(meeting)))
    assert "Til medlemmene i samarbeidsstyret" in text  # a one-word body name is lower case mid-sentence
    assert "Innkalling til møte i samarbeidsstyret" in text
    assert "Mandag 23.01.2017 kl. 12.30–14" in text
    assert "Sak 03/2017 Videre samarbeid" in text
    assert "Påmelding innen" not in text  # no deadline, no registration line


def test_a_meeting_without_cases_still_has_its_standard_agenda(coop):
    meeting = f.make_meeting(f.make_body(coop))
    text = squash(pdf_text(documents.summons_pdf(meeting)))
    assert "Valg av møteleder og referent" in text and "Ingen saker er meldt ennå." in text


@pytest.mark.parametrize(
    "name, language, addressee",
    [
        ("Styret", "nb", "Til medlemmene i styret"),
        ("Styret", "nn", "Til medlemene i styret"),
        ("Regionrådet for Hallingdal", "nn", "Til medlemene i Regionrådet for Hallingdal"),  # a proper name
        ("AU", "nb", "Til medlemmene i AU"),
    ],
)
def test_a_body_named_by_its_common_noun_is_lower_case_mid_sentence(coop, name, language, addressee):
    body = f.make_body(coop, name=name, language=language)
    meeting = f.make_meeting(body, title="Møte", starts_at=f.aware(2017, 1, 23, 12, 30), registration_deadline=None)
    text = squash(pdf_text(documents.summons_pdf(meeting)))
    assert addressee in text
