"""The house PDF: real PDF/A from WeasyPrint, read back as text."""

import pytest
from django.template import engines
from django.utils import translation

from khs.lib.pdf import html_to_pdf, merge_pdfs, pdf_page_count, pdf_text, pdf_xmp


def _doc(cooperation, body_html, lang="nb"):
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block title %}Prøve{% endblock %}'
        "{% block running_header %}Prøvedokument{% endblock %}{% block content %}" + body_html + "{% endblock %}"
    )
    with translation.override(lang):  # as khs.lib.pdf.render_html does: the document's own language
        return template.render({"cooperation": cooperation, "lang": lang})


def test_document_is_pdf_a_with_letterhead_and_page_numbers(coop):
    data = html_to_pdf(_doc(coop, "<h1>Innkalling</h1>" + "<p>Æ ø å – tekst.</p>" * 120))
    assert data.startswith(b"%PDF-")
    xmp = pdf_xmp(data)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    text = pdf_text(data)
    assert "Helsesamarbeidet" in text
    assert "Æ ø å – tekst." in text
    pages = pdf_page_count(data)
    assert pages >= 2
    assert f"Side 1 av {pages}" in text and f"Side {pages} av {pages}" in text
    assert "Prøvedokument" in text  # running header from page 2


def test_page_words_follow_the_document_language(coop):
    assert "Page 1 of 1" in pdf_text(html_to_pdf(_doc(coop, "<p>x</p>", lang="en")))


def test_pdf_rendering_never_fetches_from_the_network(coop):
    data = html_to_pdf(_doc(coop, '<img src="https://example.com/x.png" alt="x"><p>Tekst</p>'))
    assert "Tekst" in pdf_text(data)  # the remote image is refused, the document still renders


def test_merged_pdf_holds_every_page(coop):
    one = html_to_pdf(_doc(coop, "<p>Første</p>"))
    two = html_to_pdf(_doc(coop, "<p>Andre</p>"))
    merged = merge_pdfs([one, two])
    assert pdf_page_count(merged) == 2
    assert "Første" in pdf_text(merged) and "Andre" in pdf_text(merged)


def test_running_header_shows_special_characters_as_written(coop):
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block running_header %}{{ title }}{% endblock %}'
        "{% block content %}" + "<p>Linje</p>" * 90 + "{% endblock %}"
    )
    html = template.render(
        {
            "cooperation": coop,
            "lang": "nb",
            "title": 'Møte "A & B" </style><script>x</script>',
        }
    )
    text = pdf_text(html_to_pdf(html))
    assert 'Møte "A & B" </style><script>x</script>' in text


def test_the_pdf_file_fetcher_resolves_the_path_before_comparing(settings):
    from khs.lib.pdf import is_readable_file

    static = settings.BASE_DIR / "static"
    assert is_readable_file(f"file://{static}/vendor/bootstrap/bootstrap.bundle.min.js")
    assert not is_readable_file(f"file://{static}/../../etc/hostname")
    assert not is_readable_file(f"file://{static}/%2e%2e/%2e%2e/etc/passwd")
    assert not is_readable_file("file:///etc/hostname")


def test_a_pdf_rendered_inside_a_transaction_fails_the_test(db):
    """The guard of tests/conftest.py: no code path may hold a transaction (and its row locks) while WeasyPrint runs."""
    from django.db import transaction

    with pytest.raises(AssertionError, match="PDF rendered inside a transaction"):
        with transaction.atomic():
            html_to_pdf("<p>Innkalling</p>")
    assert "Innkalling" in pdf_text(html_to_pdf("<p>Innkalling</p>"))  # outside one it renders
