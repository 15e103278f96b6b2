"""Two app servers behind one address, as at national scale: two gunicorn servers with the
production settings on one PostgreSQL, one Redis and one S3-compatible store (moto's server),
and the background worker as a third process. One person's journey uses both alternately:
what one server wrote, the other serves at once.

It makes its own PostgreSQL database (``TWO_SERVERS_DATABASE``, from a migrated template kept
between runs under the hash of the migrations) and uses Redis database
``TWO_SERVERS_REDIS`` (flushed), so it runs the same in the SQLite and the PostgreSQL runs of
``make test``. Without PostgreSQL or Redis on this machine it is skipped, saying so, except
where ``REQUIRE_SERVICES=1`` (.ci/run) makes that a failure.
"""

import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg2
import pytest
import redis
import requests
from PIL import Image

from districts.lib.thai import fiscal_year_of
from tests.imports.conftest import xlsx
from tests.ops.conftest import new_bucket, storage_env
from tests.ops.seed_two_servers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("TWO_SERVERS_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("TWO_SERVERS_DATABASE", "sammachip_two_servers")
REDIS = os.environ.get("TWO_SERVERS_REDIS", "redis://127.0.0.1:6379/8")
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "sammachip.wsgi",
    "--workers",
    "2",
    "--log-level=warning",
]
WORKER = [
    sys.executable,
    "manage.py",
    "db_worker",
    "--no-reload",
    "--no-startup-delay",
    "--interval=0.2",
]
WAIT = 60  # seconds for a server to start, or the worker to check a file


def unavailable(reason: str):
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set)")
    pytest.skip(f"{reason}: the two-server test needs PostgreSQL and Redis")


def admin_sql(*statements: str) -> list:
    connection = psycopg2.connect(f"{PG}/postgres", connect_timeout=3)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            rows = []
            for statement in statements:
                cursor.execute(statement)
                rows = cursor.fetchall() if cursor.description else rows
            return rows
    finally:
        connection.close()


def migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def server_env(database_url: str, storage: dict, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "AWS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="sammachip.settings",
        PRODUCTION="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CACHE_URL=REDIS,
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        IMPORT_SYNC_UNPACKED="0",  # every file is checked by the worker
        **storage,
        **extra,
    )
    return env


def migrated_database(env: dict) -> str:
    """A fresh database cloned from a template migrated once per set of migrations."""
    template = f"{DATABASE}_tpl_{migrations_digest()}"
    exists = admin_sql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'")
    if not exists:
        for (old,) in admin_sql(
            f"SELECT datname FROM pg_database WHERE datname LIKE '{DATABASE}_tpl_%'"
        ):
            admin_sql(f'DROP DATABASE IF EXISTS "{old}"')
        building = f"{template}_building"
        admin_sql(
            f'DROP DATABASE IF EXISTS "{building}"',
            f'CREATE DATABASE "{building}"',
            f'ALTER DATABASE "{building}" SET synchronous_commit = off',  # a throwaway
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"{PG}/{building}"},
            check=True,
            timeout=300,
        )
        admin_sql(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    admin_sql(
        f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)',
        f'CREATE DATABASE "{DATABASE}" TEMPLATE "{template}"',
    )
    return f"{PG}/{DATABASE}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, seconds: float = WAIT):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def cluster(s3_endpoint, tmp_path_factory):
    try:
        admin_sql("SELECT 1")
    except psycopg2.OperationalError:
        unavailable(f"no PostgreSQL at {PG}")
    try:
        cache = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
        cache.flushdb()
    except redis.exceptions.ConnectionError:
        unavailable(f"no Redis at {REDIS}")
    logs = tmp_path_factory.mktemp("two-servers")
    storage = storage_env(s3_endpoint, new_bucket(s3_endpoint))
    env = server_env("", storage)
    env["DATABASE_URL"] = migrated_database(env)
    subprocess.run(
        [sys.executable, "-m", "tests.ops.seed_two_servers"], cwd=ROOT, env=env, check=True
    )
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # make test's setup made it
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    processes, servers = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
            processes.append(
                subprocess.Popen(
                    [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    # a disk of its own: a file kept on it could not be read by the other
                    env={**env, "MEDIA_ROOT": str(logs / f"media-{name}")},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            servers.append(f"http://127.0.0.1:{port}")
        worker_log = open(logs / "worker.log", "wb")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                WORKER,
                cwd=ROOT,
                env={**env, "MEDIA_ROOT": str(logs / "media-worker")},
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        )
        for name, server, process in zip("ab", servers, processes, strict=False):

            def up(name=name, server=server, process=process):
                assert process.poll() is None, (logs / f"{name}.log").read_text()[-3000:]
                try:
                    return requests.get(f"{server}/healthz", timeout=10).status_code == 200
                except requests.RequestException:  # not listening yet, or still loading
                    return False

            wait_until(up, f"{server} to start")
        yield {"servers": servers, "logs": logs, "database": env["DATABASE_URL"]}
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; the worker stops
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


class Browser:
    """One person's browser in front of the load balancer: its cookies go to either server.

    The balancer ends TLS and says so in X-Forwarded-Proto, which the production settings
    trust (docs/deploy.md): the requests are secure to Django, so its Secure cookies and its
    CSRF origin check work as in production, over plain HTTP on loopback. (A cookie jar would
    keep Secure cookies from http:// addresses, so the cookies are kept here by hand.)
    """

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method, server, path, **kwargs):
        origin = "https://" + urlsplit(server).netloc
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + "/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = requests.request(
            method, server + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        for cookie in response.cookies:
            if cookie.value and not cookie.is_expired():
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        assert response.status_code < 500, response.text[-2000:]
        return response

    def get(self, server, path):
        return self.request("GET", server, path)

    def post(self, server, path, data, files=None):
        return self.request("POST", server, path, data=data, files=files)

    def token(self, response) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)

    def log_in(self, first, then, username):
        form = self.get(first, "/accounts/login/")
        response = self.post(
            then,
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.token(form)},
        )
        assert response.status_code == 302, response.text[-1000:]
        assert "sessionid" in self.cookies


def jpeg(size=(320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "JPEG")
    return out.getvalue()


def rows(database_url: str, sql: str) -> list:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        connection.close()


def test_two_servers_serve_one_portal(cluster):
    a, b = cluster["servers"]
    today = dt.datetime.now(ZoneInfo("Asia/Bangkok")).date()
    year = fiscal_year_of(today)

    # Both servers reach the database, the cache and the store
    for server in (a, b):
        health = requests.get(f"{server}/healthz", timeout=5)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        assert {health.json()[k] for k in ("database", "cache", "store")} == {"ok"}

    # Logged in on one server, the officer carries on on the other
    officer = Browser()
    officer.log_in(a, b, "officer1")
    home = officer.get(a, "/")
    assert home.status_code == 200
    assert "officer1" in home.text or "ภูเวียง" in home.text
    villages = re.findall(r"/targets/(\d+)/", home.text)
    assert len(set(villages)) == 2, "officer1 works two villages"

    # A visit with a photo, the form from one server, sent to the other
    form = officer.get(b, "/visits/new/")
    assert form.status_code == 200
    submission = re.search(r'name="submission" value="([0-9a-f-]{36})"', form.text).group(1)
    stage = re.search(r'name="stage"[^>]*>.*?<option value="(\d+)"', form.text, re.S).group(1)
    sent = officer.post(
        a,
        "/visits/new/",
        {
            "csrfmiddlewaretoken": officer.token(form),
            "submission": submission,
            "target": villages[0],
            "date": f"{today:%d/%m}/{today.year + 543}",
            "stage": stage,
            "activity": "ถ่ายทอดความรู้การทอผ้า",
            "support_team_count": "4",
            "household_count": "0",
        },
        files={"photos": ("IMG_0001.jpg", jpeg(), "image/jpeg")},
    )
    assert sent.status_code == 302, sent.text[-2000:]
    visit_page = officer.get(b, sent.headers["Location"])
    photo = re.search(r"/visits/photos/(\d+)/display/", visit_page.text).group(0)
    for server in (b, a):  # read from the store by each server, never from its own disk
        served = officer.get(server, photo)
        assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(served.content)).size == (320, 240)

    # The head moves a village on one server; the other shows it at once, from either cache
    head = Browser()
    head.log_in(b, a, "head")
    board_path = f"/districts/4016/assignments/?year={year}"
    target = villages[1]
    second = rows(
        cluster["database"],
        "SELECT o.id FROM districts_officer o JOIN districts_user u ON u.id = o.user_id "
        "WHERE u.username = 'officer2'",
    )[0][0]
    for server in (a, b):  # each server renders, and keeps, what it shows before the change
        assert head.get(server, board_path).status_code == 200
        assert len(set(re.findall(r"/targets/(\d+)/", officer.get(server, "/").text))) == 2
    board = head.get(a, board_path)
    moved = head.post(
        b,
        f"/districts/4016/assignments/assign/?year={year}",
        {
            "csrfmiddlewaretoken": head.token(board),
            "year": str(year),
            "target": target,
            "officer": str(second),
            f"expected-{target}": re.search(
                rf'name="expected-{target}" value="(\d*)"', board.text
            ).group(1),
        },
    )
    assert moved.status_code in (200, 302)
    assert rows(
        cluster["database"],
        f"SELECT officer_id FROM assignments_villageassignment WHERE target_id = {target} "
        "AND ended_at IS NULL",
    ) == [(second,)]
    for server in (a, b):
        assert set(re.findall(r"/targets/(\d+)/", officer.get(server, "/").text)) == {villages[0]}
    row = head.get(a, board_path).text.split(f'id="target-{target}"')[1].split("</tr>")[0]
    assert "officer2" in row or re.search(rf'value="{second}"[^>]*selected', row)

    # An import uploaded on one server is checked by the worker and applied on the other
    staff = Browser()
    staff.log_in(a, b, "province")
    page = staff.get(b, "/imports/")
    codes = [c for (c,) in rows(cluster["database"], "SELECT code FROM districts_village")]
    uploaded = staff.post(
        a,
        "/imports/",
        {"csrfmiddlewaretoken": staff.token(page), "kind": "targets", "year": str(year + 1)},
        files={"file": ("targets.xlsx", xlsx([["code", "budget"]] + [[c, 100] for c in codes]))},
    )
    assert uploaded.status_code == 302, uploaded.text[-1000:]
    preview_path = uploaded.headers["Location"]
    checked = wait_until(
        lambda: (p := staff.get(b, preview_path)) and 'http-equiv="refresh"' not in p.text and p,
        "the worker to check the file",
    )
    batch = re.search(r"/imports/(\d+)/", preview_path).group(1)
    status = f"SELECT status FROM assignments_importbatch WHERE id = {batch}"
    assert rows(cluster["database"], status) == [("preview",)]
    applied = staff.post(
        b, f"/imports/{batch}/apply/", {"csrfmiddlewaretoken": staff.token(checked)}
    )
    assert applied.status_code == 302
    assert rows(
        cluster["database"],
        f"SELECT count(*) FROM assignments_targetvillage WHERE year_id = {year + 1}",
    ) == [(len(codes),)]

    # Each server logged one JSON line per request, with its id, user, path, status, time
    lines = [
        json.loads(line)
        for name in ("a", "b")
        for line in (cluster["logs"] / f"{name}.log").read_text().splitlines()
        if line.startswith("{")
    ]
    requests_logged = [line for line in lines if line["logger"] == "sammachip.requests"]
    assert {"/accounts/login/", "/visits/new/", photo} <= {line["path"] for line in requests_logged}
    login = next(
        line
        for line in requests_logged
        if line["path"] == "/accounts/login/" and line["status"] == 302
    )
    assert set(login) >= {"request_id", "user_id", "status", "duration_ms"}
    assert all(line["level"] != "ERROR" for line in lines), lines
