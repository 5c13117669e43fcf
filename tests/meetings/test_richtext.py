"""Case texts are stored as sanitised HTML: an allowlist, nothing that runs."""

import pytest

from meetings.richtext import clean_html, is_blank
from tests.meetings.conftest import register

HOSTILE = [
    '<p>Hei<script>alert("x")</script></p>',
    '<p onclick="alert(1)" onmouseover="alert(2)">Hei</p>',
    '<a href="javascript:alert(1)">Hei</a>',
    '<a href=" JaVaScRiPt:alert(1)">Hei</a>',
    '<a href="java&#x09;script:alert(1)">Hei</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Hei</a>',
    '<iframe src="https://evil.example/"></iframe><p>Hei</p>',
    "<style>body{display:none}</style><p>Hei</p>",
    '<img src="x" onerror="alert(1)"><p>Hei</p>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg><p>Hei</p>',
    '<object data="evil.swf"></object><embed src="evil.swf"><p>Hei</p>',
    '<p style="background:url(javascript:alert(1))">Hei</p>',
    '<form action="https://evil.example"><input name="x"><button>Send</button></form><p>Hei</p>',
    "<!-- <script>alert(1)</script> --><p>Hei</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
]
DANGER = [
    "<script",
    "onclick",
    "onmouseover",
    "onerror",
    "onload",
    "javascript:",
    "<iframe",
    "<style",
    "<img",
    "<svg",
    "<object",
    "<embed",
    "data:",
    "style=",
    "<form",
    "<input",
    "<!--",
    "alert(",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_that_runs_survives_cleaning(text):
    cleaned = clean_html(text).lower()
    assert not [d for d in DANGER if d in cleaned], cleaned


def test_the_allowed_formatting_survives():
    text = (
        '<div>Avsnitt med <strong>fet</strong>, <em>kursiv</em> og <a href="https://www.vestregionen.no">lenke'
        "</a>.</div><ul><li>punkt</li></ul><ol><li>nummer</li></ol><blockquote>sitat</blockquote><h2>Overskrift"
        "</h2><p>a<br>b</p>"
    )
    cleaned = clean_html(text)
    for part in [
        "<strong>fet</strong>",
        "<em>kursiv</em>",
        '<a href="https://www.vestregionen.no" rel="noopener">',
        "<ul><li>punkt</li></ul>",
        "<ol><li>nummer</li></ol>",
        "<blockquote>sitat</blockquote>",
        "<h2>Overskrift</h2>",
        "<p>a<br>b</p>",
    ]:
        assert part in cleaned


def test_only_absolute_web_and_mail_links_are_kept():
    assert 'href="mailto:kari@vestregionen.no"' in clean_html('<a href="mailto:kari@vestregionen.no">x</a>')
    assert "href" not in clean_html('<a href="/admin/">x</a>')
    assert "href" not in clean_html('<a href="ftp://example.no/">x</a>')


def test_an_empty_editor_is_blank():
    assert is_blank("<div><br></div>") and is_blank("") and is_blank("<p>&nbsp;</p>")
    assert not is_blank("<div>Tekst</div>")


def test_the_services_store_cleaned_text(mayors_body, clerk):
    case = register(mayors_body, clerk, background=HOSTILE[0], assessment=HOSTILE[2], proposed_resolution=HOSTILE[1])
    case.refresh_from_db()
    assert (case.background, case.assessment, case.proposed_resolution) == (
        "<p>Hei</p>",
        '<a rel="noopener">Hei</a>',
        "<p>Hei</p>",
    )
