"""The accessibility check the journeys rely on finds what a screen-reader or low-vision user would trip on."""

import pytest

from tests.browser.conftest import check_a11y


def test_the_check_names_a_missing_alt_text_and_too_little_contrast(page):
    page.set_content(
        "<html lang='nb'><head><title>Prøve</title></head><body><main>"
        "<img src='data:,'><p style='color:#eee;background:#fff'>Lys tekst</p></main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        check_a11y(page)
    assert "image-alt" in str(failure.value)
    assert "color-contrast" in str(failure.value)


def test_the_check_passes_a_plain_page(page):
    page.set_content("<html lang='nb'><head><title>Prøve</title></head><body><main><h1>Hei</h1></main></body></html>")
    check_a11y(page)


def test_a_stylesheet_that_locks_the_orientation_is_caught_after_other_pages_were_checked(page):
    # The CSS rule is run once per set of stylesheets (see _run_axe): a page with new CSS is still read.
    test_the_check_passes_a_plain_page(page)
    page.set_content(
        "<html lang='nb'><head><title>Prøve</title><style>@media screen and (orientation: landscape) "
        "{ html { transform: rotate(90deg); } }</style></head><body><main><h1>Hei</h1></main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        check_a11y(page)
    assert "css-orientation-lock" in str(failure.value)
