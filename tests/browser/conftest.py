"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a journey visits goes through `check_a11y(page)`: axe-core (vendored from the npm
registry in tests/a11y/) must find no WCAG 2.1 A/AA violation.
"""

import os
import shutil
import time
from pathlib import Path

import pytest

# Debian's Chromium in its headless shell (package chromium-headless-shell: the same build as the chromium package,
# in the old headless mode that Playwright itself runs headless tests in). It renders the same pages with a third
# less CPU than the full browser started headless (tests/browser on 3 workers: 123 against 195 CPU-seconds); the
# full browser is used where the shell is not installed.
CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium") or "/usr/bin/chromium"
A11Y = Path(__file__).resolve().parent.parent / "a11y"  # axe-core, vendored

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_generate_tests(metafunc):
    """Journeys marked `both_widths` run twice: on a desktop and on a 390 px wide phone."""
    if metafunc.definition.get_closest_marker("both_widths") and "page" in metafunc.fixturenames:
        metafunc.parametrize("viewport", list(VIEWPORTS), indirect=True)


@pytest.fixture
def viewport(request):
    return getattr(request, "param", "desktop")


@pytest.fixture(autouse=True)
def _axe_served_by_the_live_server():
    # The journeys' pages load axe-core from the live server, as a script of their own origin, which the
    # Content-Security-Policy allows. Sent through Playwright into each page instead (0.5 MB each time), the journeys
    # took about 7 % more CPU (37 against 35 CPU-seconds for three files). For the journeys only: the app's static
    # files, and the other tests' view of them, do not include it.
    from django.conf import settings
    from django.test import override_settings

    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, ("tests-a11y", str(A11Y))]):
        yield


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a browser context of its own (no cookie shared): the journey's `page`, and a page for
    someone else (a mayor with a link from a mail, a signer on a phone), all watched alike. `viewport` is a name of VIEWPORTS or
    a size. Contexts still open when the test ends are closed."""
    contexts = []

    def new_page(viewport="desktop"):
        size = VIEWPORTS[viewport] if isinstance(viewport, str) else viewport
        context = browser.new_context(locale="nb-NO", base_url=live_server.url, viewport=size)
        context.set_default_timeout(15_000)
        contexts.append(context)
        pg = context.new_page()
        pg.base_url = live_server.url
        # The Content-Security-Policy is enforced in these journeys: anything of ours it blocks is a failure.
        pg.csp_violations = []
        pg.on("console", lambda m: "Content Security Policy" in m.text and pg.csp_violations.append(m.text))
        _track_navigation(pg)
        return pg

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page, viewport):
    return open_page(viewport)


def _track_navigation(pg):
    """Note when the page has started loading another document and not finished: a click on a link
    returns once the request is sent, and a check run then would test the old page, or crash on a
    document that is being replaced."""
    pg.navigating = False

    def started(request):
        try:
            if request.is_navigation_request() and request.frame == pg.main_frame:
                pg.navigating = True
        except Exception:  # a request without a frame (a service worker's) is not a navigation
            pass

    def finished(*_args):
        pg.navigating = False

    pg.on("request", started)
    pg.on("load", finished)
    pg.on("download", finished)
    pg.on("requestfailed", lambda r: r.is_navigation_request() and finished())

    # A click on a link or a submit button returns once the next document has started to arrive, and its
    # HTML read then is empty or cut short: the page's HTML is read once it has loaded.
    read_html = pg.content

    def content():
        _settle(pg)
        return read_html()

    pg.content = content


def _settle(page, timeout=15.0):
    deadline = time.monotonic() + timeout
    while getattr(page, "navigating", False) and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    page.wait_for_load_state("load")


# The stylesheets (and width) whose CSS axe has read for the one rule that reads CSS: css-orientation-lock
# (WCAG 2.1 1.3.4 Orientation, AA), which axe marks experimental and leaves out unless asked. Fetching and
# parsing the stylesheets is a third of a check and every page uses the same few, so a page is checked with
# that rule when its set of stylesheets has not been read at its width before, and without it otherwise.
_CSS_CHECKED = set()

_AXE_RUN = """async (readCss) => (await axe.run(document, {
     runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
     resultTypes: ['violations'],
     iframes: document.querySelector('iframe, frame') !== null,
     preload: readCss ? true : {assets: ['media']},
     rules: {'css-orientation-lock': {enabled: readCss}}})).violations.map(v => ({id: v.id,
     impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target,
     failureSummary: n.failureSummary}))}))"""

_STYLESHEETS = """() => [...document.styleSheets].map(s => s.href || 'inline ' + s.ownerNode.textContent)"""


def _run_axe(page):
    from django.templatetags.static import static

    for attempt in range(4):
        _settle(page)
        try:
            if not page.evaluate("typeof axe !== 'undefined'"):
                page.add_script_tag(url=page.base_url + static("tests-a11y/axe.min.js"))
            css = (page.viewport_size["width"] if page.viewport_size else 0, tuple(page.evaluate(_STYLESHEETS)))
            # Only the violations are worked out in full and sent back: the passes of a long page are
            # most of axe's work and of the answer, and nothing here reads them.
            violations = page.evaluate(_AXE_RUN, css not in _CSS_CHECKED)
            _CSS_CHECKED.add(css)
            return violations
        except Exception as error:  # the document was replaced under axe: check the new one
            text = str(error)
            navigated = "context was destroyed" in text or "documentElement" in text or "axe is not" in text
            if not navigated or attempt == 3:
                raise


def check_a11y(page):
    """Run axe-core on the current page, once it has finished loading; fail with every WCAG 2.1 A/AA
    violation listed, and with anything the Content-Security-Policy blocked. axe comes as a script of the
    page's own origin, not inline, which the policy rightly refuses."""
    result = _run_axe(page)
    violations = getattr(page, "csp_violations", [])
    assert not violations, f"Blocked by the Content-Security-Policy on {page.url}:\n" + "\n".join(violations)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(
            f"{n['target'][0]} [{n.get('failureSummary', '').splitlines()[-1].strip()}]" for n in v["nodes"][:5]
        )
        for v in result
    ]
    assert not problems, f"Accessibility violations on {page.url}:\n" + "\n".join(problems)


def assert_fits_a_phone(page):
    """No sideways scrolling of the page itself at the current (phone) width."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w && !e.closest('.table-responsive'))
                .slice(0, 6).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + e.id)""",
            width,
        )
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide on a {width} px screen: {wide}"


def click_nav(page, name):
    """Follow a link of the navigation bar, opening the collapsed menu first on a phone."""
    link = page.get_by_role("link", name=name, exact=True).first
    if not link.is_visible():
        page.locator(".navbar-toggler").click()
        link.wait_for(state="visible")
    link.click()


def sign_in_with_password(page, username, password="correct horse battery"):
    """The sign-in form, as a member of staff uses it (the journeys of test_sign_in_journeys)."""
    page.goto("/login/")
    check_a11y(page)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def login(page, username):
    """Signed in as `username`, on the dashboard where the sign-in form leads. The browser is given the session
    cookie that signing in would set (as the test client's force_login does): the form is tested once, in
    test_sign_in_journeys, and the other journeys start from the page it leads to. `page` is the fixture's (it
    knows the live server's address)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.shortcuts import resolve_url
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base_url}])
    page.goto(page.base_url + resolve_url(settings.LOGIN_REDIRECT_URL))
