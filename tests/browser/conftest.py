"""Playwright driving Debian's Chromium against the live test server, on the demo data."""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The flags this machine's closed network needs: no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("SKIP_BROWSER", "").lower() not in ("", "0", "false", "no"):
        pytest.skip("browser tests skipped on purpose (SKIP_BROWSER is set)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)"
        )
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def demo_server(live_server, transactional_db):
    call_command("load_geography", province="40", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    return live_server


class Session:
    """One person's browser tab, at a phone's width or a desk's."""

    def __init__(self, browser, server, *, width=1280, height=900):
        self.server = server
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="th-TH"
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        # Every page runs under the Content-Security-Policy: a refused script or style is a bug.
        self.policy_violations = []
        self.page.on(
            "console",
            lambda message: (
                self.policy_violations.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def goto(self, path):
        self.page.goto(f"{self.server.url}{path}")
        return self.page

    def login(self, username, password="sammachip-demo"):
        page = self.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def shot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()
        assert self.policy_violations == []


@pytest.fixture
def desk(browser, demo_server):
    session = Session(browser, demo_server)
    yield session
    session.close()


@pytest.fixture
def phone(browser, demo_server):
    session = Session(browser, demo_server, width=390, height=844)
    yield session
    session.close()
