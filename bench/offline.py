"""The field officer's app on a phone: what the officer's home and the visit form cost on a
village's line, and that the form works with no network. Prints figures only.

    .venv/bin/python manage.py collectstatic --noinput -v0   # after `make assets`
    .venv/bin/python bench/offline.py      # the demo (make run's data), as phuwiang-officer1

The app runs in this process with the production settings as bench/pages.py uses them
(DEBUG off, hashed and compressed static files from collectstatic, far-future caching) and
Django's GZipMiddleware in place of nginx's `gzip on` (docs/deploy.md). Debian's Chromium
(Playwright) at 390 × 844 opens each page:

- first load: an empty browser (no cache, no service worker); bytes as received by the page
  (CDP Network.loadingFinished), and then all the server sent until the service worker has
  kept the app shell and the officer's pages (the worker's own requests included);
- repeat load: the same page again in that browser;
- load times (navigation start to the load event) under slow 3G: 400 ms latency and
  400 kbit/s each way (CDP Network.emulateNetworkConditions), first and repeat;
- offline: the browser with no network opens the visit form and keeps a visit in the outbox.
"""

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(24).hex())

import django
from django.conf import settings

django.setup()
# nginx compresses pages in production (docs/deploy.md): here Django does, as nginx would
settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]

from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
NO_LIMIT = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


class Counted:
    """The WSGI app, counting the bytes of every response body it sends."""

    def __init__(self, app):
        self.app, self.sent, self.lock = app, 0, threading.Lock()

    def __call__(self, environ, start_response):
        for chunk in self.app(environ, start_response):
            with self.lock:
                self.sent += len(chunk)
            yield chunk


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    app = Counted(WSGIHandler())
    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, app, f"http://127.0.0.1:{server.server_port}"


def session_cookie(username, base):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return [{"name": k, "value": v.value, "url": base} for k, v in client.cookies.items()]


class Phone:
    def __init__(self, browser, base, cookies, network):
        self.context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="th-TH", service_workers="allow"
        )
        self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60000)
        self.received = 0
        if network is not None:
            self.cdp = self.context.new_cdp_session(self.page)
            self.cdp.send("Network.enable")
            self.cdp.send("Network.emulateNetworkConditions", network)
            self.cdp.on("Network.loadingFinished", self._finished)
        self.base = base

    def _finished(self, event):
        self.received += event["encodedDataLength"]

    def load(self, path):
        """(bytes the page received, seconds from navigation start to the load event)."""
        self.received = 0
        self.page.goto(self.base + path, wait_until="load")
        seconds = self.page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n.loadEventEnd / 1000; }"
        )
        self.page.wait_for_timeout(300)  # the last loadingFinished events
        return self.received, seconds

    def settled(self):
        """The service worker is in control and has kept the app shell and the pages."""
        self.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        self.page.wait_for_function(
            "async () => (await (await caches.open('pages')).keys()).length >= 2"
        )
        self.page.wait_for_timeout(1000)


def main(username="phuwiang-officer1"):
    server, app, base = serve()
    cookies = session_cookie(username, base)
    form_url = None
    kb = lambda n: f"{n / 1024:6.1f} KB"  # noqa: E731
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(
            f"{'page':<28} {'first load':>10} {'+ worker':>10} {'repeat':>10} "
            f"{'slow 3G first':>14} {'slow 3G repeat':>15}"
        )
        for name in ("officer home", "visit form"):
            path = "/" if name == "officer home" else form_url
            # bytes: an empty browser, no throttling
            phone = Phone(browser, base, cookies, NO_LIMIT)
            if name == "visit form":
                phone.load("/")  # how the officer gets there; not counted
                phone.settled()
                phone.context.clear_cookies()
                phone.context.close()
                phone = Phone(browser, base, cookies, NO_LIMIT)
            before = app.sent
            first, _ = phone.load(path)
            if name == "officer home":
                form_url = phone.page.get_attribute('a[href^="/visits/new/"]', "href")
            phone.settled()
            with_worker = app.sent - before
            repeat, _ = phone.load(path)
            phone.context.close()
            # times: slow 3G, an empty browser, then the same page again
            slow = Phone(browser, base, cookies, SLOW_3G)
            _, first_s = slow.load(path)
            slow.settled()
            _, repeat_s = slow.load(path)
            slow.context.close()
            print(
                f"{name + ' ' + path:<28} {kb(first):>10} {kb(with_worker):>10} "
                f"{kb(repeat):>10} {first_s:>12.2f} s {repeat_s:>13.2f} s"
            )

        # no network: the home page opened online once, then the form and a visit
        phone = Phone(browser, base, cookies, None)
        phone.load("/")
        phone.settled()
        phone.context.set_offline(True)
        page = phone.page
        page.goto(base + form_url)
        opened = page.locator("#visit-form").count() == 1
        page.fill("#id_date", page.get_attribute("#visit-form", "data-today") or "15/06/2560")
        page.fill("#id_activity", "bench: no network")
        page.click("#visit-form button[type=submit] >> nth=0")
        page.wait_for_url("**/outbox/")
        kept = page.locator("#outbox-list li[data-state=waiting]").count()
        print(
            f"no network: visit form opened: {'yes' if opened else 'NO'}; "
            f"visit kept in the outbox: {'yes' if kept == 1 else 'NO'}"
        )
        phone.context.close()  # never back online: the bench's visit is not sent
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(*sys.argv[1:])
