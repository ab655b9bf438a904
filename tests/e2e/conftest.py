"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

Chromium comes from the distribution, not from `playwright install` (which downloads a browser build
of its own): `.ci/run` installs the `chromium` package, and TUGI_CHROMIUM names another executable.
Without a browser the tests are skipped on a developer's machine and fail in CI (`need_service`).

The browser starts once per session, and only when a browser test runs; each test gets a fresh
context (no cookies), Estonian first like a visitor from Estonia. A page that logs a JavaScript
error or a Content Security Policy violation to the console fails its test.

TUGI_SCREENSHOTS=1 makes `screenshot(page, name)` write docs/screenshots/<name>.png; otherwise it
does nothing, so an ordinary run never rewrites the committed images.
"""

import os
from pathlib import Path

import pytest

from ..conftest import need_service

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = E2E_DIR.parents[1] / "docs" / "screenshots"
CHROMIUM = os.environ.get("TUGI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium's own background connections crowd out the test's (refused by the dozen).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=et",  # the browser's own texts (file and date inputs) in Estonian, like the pages
]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: a browser test (Playwright driving Chromium against the live server)")


class _Chromium:
    """One Chromium for the run of browser tests, started by the first one and stopped after the last.

    Playwright's sync API leaves its asyncio loop marked as running on the main thread for as long
    as it lives. Django then refuses database calls from that thread ("you cannot call this from an
    async context") and asyncio.run() refuses to start. So the browser tests run after all others
    (see pytest_collection_modifyitems), the browser stops as soon as they are done, and only while
    it lives is Django's check lifted (DJANGO_ALLOW_ASYNC_UNSAFE): the tests themselves are plain
    synchronous code.
    """

    def __init__(self):
        self.playwright = self.browser = self.unavailable = None
        self._saved_env = self._env_lifted = None

    def get(self):
        if self.unavailable:
            need_service("Chromium", self.unavailable)
        if self.browser is None:
            self._start()
        return self.browser

    def _start(self):
        if not os.path.exists(CHROMIUM):
            self.unavailable = f"no browser at {CHROMIUM} (apt-get install chromium, or set TUGI_CHROMIUM)"
            need_service("Chromium", self.unavailable)
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        self._saved_env, self._env_lifted = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"), True
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except (PlaywrightError, OSError) as exc:
            self.stop()
            self.unavailable = f"Playwright could not start {CHROMIUM}: {str(exc).strip().splitlines()[0]}"
            need_service("Chromium", self.unavailable)

    def stop(self):
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None
        if self._env_lifted:
            if self._saved_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._saved_env
            self._env_lifted = False


_chromium = _Chromium()


def _is_e2e(item):
    return item is not None and E2E_DIR in item.path.parents


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the browser tests and move them after all others (stable: pytest-django's order stays)."""
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=_is_e2e)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last browser test of a run of them (its fixtures are torn down by now)."""
    if _is_e2e(item) and not _is_e2e(nextitem):
        _chromium.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    _chromium.stop()  # a run cut short (-x, Ctrl-C) ends here


@pytest.fixture
def browser():
    return _chromium.get()


@pytest.fixture
def console_errors():
    """What the page logged as a console error (CSP violations among them) or threw uncaught, in
    order. Failed loads ("Failed to load resource") are left out: test_assets checks what a page
    loads, and a test asserts the status of the page it opened. A test that means to provoke an
    error empties the list before it ends."""
    return []


# Known faults of the pages, each matched exactly and each with a strict-xfail test of its own that
# turns red once the fault is fixed: then delete the entry here and the xfail marker there.
KNOWN_CONSOLE_ERRORS = {
}


def unexpected(errors):
    return [e for e in errors if not any(known in e for known in KNOWN_CONSOLE_ERRORS)]


@pytest.fixture
def page(browser, live_server, console_errors):
    context = browser.new_context(locale="et-EE", viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(msg):
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            console_errors.append(f"console error on {page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: console_errors.append(f"uncaught error on {page.url}: {exc}"))
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test that passed still fails when its page logged a JS error or a CSP violation."""
    result = yield
    errors = unexpected(item.funcargs.get("console_errors") or []) if "page" in item.funcargs else []
    if errors:
        pytest.fail("the browser logged errors:\n  " + "\n  ".join(errors), pytrace=False)
    return result


@pytest.fixture
def signin(live_server):
    """signin(page, username, password): submit the sign-in form and wait for the next page."""

    def signin(page, username, password):
        page.goto(live_server.url + "/signin/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("main form [type=submit]").click()

    return signin


@pytest.fixture
def screenshot():
    """screenshot(page, name): docs/screenshots/<name>.png, full page, only with TUGI_SCREENSHOTS=1."""

    def screenshot(page, name):
        if os.environ.get("TUGI_SCREENSHOTS") != "1":
            return None
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        return path

    return screenshot


@pytest.fixture(autouse=True)
def _estonian_first(settings):
    """The browser sees Tugi as a visitor does: Estonian until the switch says otherwise."""
    settings.LANGUAGE_CODE = "et"
