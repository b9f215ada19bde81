"""Playwright for Python driving Debian's chromium: the pages, the screenshots and the axe check of the browser flows.

The browser itself is the session's `browser` fixture of tests/conftest.py, which the journey (tests/test_journey.py)
shares: one Playwright per process.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture(params=list(WIDTHS))
def page(request, browser, live_server):
    # Reduced motion turns Bootstrap's transitions off: axe then checks the contrast of what stays on screen, not a
    # button halfway through the hover transition of the click just made (a flaky color-contrast finding).
    context = browser.new_context(
        viewport=WIDTHS[request.param], locale="nl-NL", base_url=live_server.url, reduced_motion="reduce"
    )
    page = context.new_page()
    # Generous: CI shares two cores with the database, the worker and the browser.
    page.set_default_timeout(30_000)
    page.width_name = request.param
    yield page
    if getattr(request.node, "call_failed", False):
        # A flow that fails on a loaded machine only: what the user saw then is all there is to go on.
        print(f"The page at the failure: {page.url}\n{page.locator('body').inner_text(timeout=5_000)}")
    context.close()


class Looker:
    """Takes the screenshot and runs the accessibility check of each page a flow passes."""

    def __init__(self, test_name):
        self.folder = ARTIFACTS / test_name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.violations = []

    def __call__(self, page, name):
        # A field that keeps the focus through the full-page screenshot is scrolled back into view a moment after
        # the viewport is restored (as on a phone whose keyboard closes): a click just after it lands beside its
        # button. The user has left the field to look at the page.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        # What htmx is still fetching is part of the page; "networkidle" would wait half a second on every page.
        page.wait_for_load_state("load")
        page.wait_for_function("!document.querySelector('.htmx-request')")
        page.screenshot(path=self.folder / f"{name}-{page.width_name}.png", full_page=True)
        results = Axe().run(page, options=WCAG_21_AA)
        for violation in results.response["violations"]:
            self.violations.append(f"{name} ({page.width_name}): {violation['id']}: {violation['help']}")
        # A page wider than the phone scrolls sideways as a whole: the user loses the left edge of every line.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.violations.append(f"{name} ({page.width_name}): de pagina is {overflow}px breder dan het scherm")


@pytest.fixture
def look(request):
    looker = Looker(request.node.name.replace("[", "-").rstrip("]"))
    yield looker
    assert looker.violations == [], "\n".join(looker.violations)
