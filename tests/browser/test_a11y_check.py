"""The accessibility check the journeys rely on finds what a screen-reader or low-vision user would trip on."""

import pytest

from tests.browser.conftest import check_a11y


def _failure_of(page, head: str, body: str) -> str:
    """What the check says of a page with this head and body (it must fail)."""
    page.set_content(f"<html lang='nb'><head><title>Prøve</title>{head}</head><body><main>{body}</main></body></html>")
    with pytest.raises(AssertionError) as failure:
        check_a11y(page)
    return str(failure.value)


def test_the_check_names_a_missing_alt_text_and_too_little_contrast(page):
    failure = _failure_of(page, "", "<img src='data:,'><p style='color:#eee;background:#fff'>Lys tekst</p>")
    assert "image-alt" in failure
    assert "color-contrast" in failure


def test_the_check_passes_a_plain_page(page):
    page.set_content("<html lang='nb'><head><title>Prøve</title></head><body><main><h1>Hei</h1></main></body></html>")
    check_a11y(page)


def test_a_stylesheet_that_locks_the_orientation_is_caught_after_other_pages_were_checked(page):
    # The CSS rule is run once per set of stylesheets (see _run_axe): a page with new CSS is still read.
    test_the_check_passes_a_plain_page(page)
    locked = "<style>@media screen and (orientation: landscape) { html { transform: rotate(90deg); } }</style>"
    assert "css-orientation-lock" in _failure_of(page, locked, "<h1>Hei</h1>")
