"""Case texts from Word: tables and headings survive the cleaner and the PDF; a .docx is imported with mammoth."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from meetings import documents, services
from meetings.richtext import clean_html


def _word_document() -> bytes:
    document = docx.Document()
    document.add_heading("Bakgrunn for saken", level=1)
    document.add_paragraph("Kontingenten har stått stille siden 2012.")
    document.add_heading("Tall per kommune", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, (name, count) in zip(
        table.rows, [("Kommune", "Innbyggere"), ("Lier", "27 000"), ("Gol", "4 600")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = name, count
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_cleaner_keeps_tables_and_headings_but_not_their_tricks():
    html = (
        '<h2 onclick="x()">Tittel</h2><table style="width:900px" onmouseover="x()"><tr>'
        '<th scope="col" colspan="2">Kommune</th><td rowspan="javascript:1">Lier</td></tr></table>'
    )
    assert clean_html(html) == (
        '<h2>Tittel</h2><table><tbody><tr><th scope="col" colspan="2">Kommune</th><td>Lier</td></tr></tbody></table>'
    )


def test_the_clerk_imports_a_word_document_into_the_case_text(clerk_client, clerk, mayors_body, meeting):
    case = services.case_draft(body=mayors_body, meeting=meeting, actor=clerk, title="Kontingent")
    upload = SimpleUploadedFile("saksframlegg.docx", _word_document())
    response = clerk_client.post(
        reverse("meetings:case_text_import", args=[case.pk]), {"docx-file": upload, "docx-field": "background"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert "<h2>Bakgrunn for saken</h2>" in case.background and "<h3>Tall per kommune</h3>" in case.background
    assert "<table>" in case.background and "<td><p>27 000</p></td>" in case.background
    assert AuditEntry.objects.filter(verb="case_update", object_id=str(case.pk)).exists()
    text = pdf_text(documents.case_document_pdf(case))
    assert "Tall per kommune" in text and "27 000" in text and "Gol" in text


def test_a_file_that_is_not_word_is_refused_beside_the_import_field(clerk_client, clerk, mayors_body, meeting):
    case = services.case_draft(body=mayors_body, meeting=meeting, actor=clerk, title="Kontingent")
    upload = SimpleUploadedFile("tall.docx", b"%PDF-1.4 not word")
    response = clerk_client.post(
        reverse("meetings:case_text_import", args=[case.pk]), {"docx-file": upload, "docx-field": "background"}
    )
    assert response.status_code == 400
    assert response.text.count("Filen er ikke et Word-dokument (.docx).") == 1
    case.refresh_from_db()
    assert case.background == ""
