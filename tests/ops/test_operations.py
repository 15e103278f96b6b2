"""What the load balancer and the operators rely on: /healthz, the request id and the JSON
log line, the settings that pick the shared cache and the object store."""

import json
import logging
import os
import subprocess
import sys

import pytest
import redis
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from sammachip import health
from sammachip.logs import JsonFormatter
from sammachip.settings import file_storage

TEST_REDIS = os.environ.get("OPS_TEST_REDIS", "redis://127.0.0.1:6379/7")


@pytest.fixture(autouse=True)
def _fresh_health(settings):
    settings.HEALTHZ_SECONDS = 0
    health._last = None
    yield
    health._last = None


def test_healthz_says_every_service_is_reachable_in_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert {k: report[k] for k in ("status", "database", "cache", "store")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "store": "ok",
    }


def test_healthz_is_503_naming_the_failed_service_without_its_secrets(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:hunter2-secret@127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "failed" and response.json()["database"] == "ok"
    assert (
        "hunter2" not in response.content.decode() and "127.0.0.1" not in response.content.decode()
    )


def test_healthz_is_503_when_the_bucket_is_gone(client, db, s3_bucket):
    s3, bucket = s3_bucket
    assert client.get("/healthz").json()["store"] == "ok"
    health._last = None
    s3.delete_bucket(Bucket=bucket)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["store"] == "failed"


def test_healthz_keeps_its_answer_a_moment_so_polling_costs_nothing(
    client, db, settings, django_assert_num_queries
):
    settings.HEALTHZ_SECONDS = 60
    client.get("/healthz")
    with django_assert_num_queries(0):  # anonymous: no session read, no check run again
        assert client.get("/healthz").status_code == 200


def test_a_request_keeps_the_balancers_id_or_gets_one(client, db):
    given = client.get("/healthz", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert given["X-Request-ID"] == "lb-0123456789abcdef"
    made = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "<script>"


def test_each_request_is_one_json_log_line(client, login, officer_a, caplog):
    caplog.set_level(logging.INFO, logger="sammachip.requests")
    login(officer_a).get("/healthz", headers={"X-Request-ID": "lb-0123456789abcdef"})
    (record,) = [r for r in caplog.records if r.name == "sammachip.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "lb-0123456789abcdef"
    assert line["user_id"] == officer_a.user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert "\n" not in JsonFormatter().format(record)


def settings_in_a_process(code: str, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_SETTINGS_MODULE="sammachip.settings", **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_production_settings_pick_redis_and_the_store_and_let_the_balancer_check_over_http():
    printed = settings_in_a_process(
        "print(settings.CACHES['default']['BACKEND']);"
        " print(settings.STORAGES['default']['BACKEND']);"
        " print(settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT);"
        " print(settings.SESSION_ENGINE)",
        PRODUCTION="true",
        DEBUG="false",
        SECRET_KEY="x" * 60,
        CACHE_URL="redis://127.0.0.1:6379/7",
        STORAGE_URL="s3://sammachip-photos",
    )
    assert printed.splitlines() == [
        "django.core.cache.backends.redis.RedisCache",
        "storages.backends.s3.S3Storage",
        "True ['^healthz$']",
        "django.contrib.sessions.backends.db",
    ]


def test_storage_is_the_local_disk_unless_a_bucket_is_named(monkeypatch):
    assert file_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.go.th")
    monkeypatch.setenv("AWS_S3_ADDRESSING_STYLE", "path")
    s3 = file_storage("s3://sammachip-photos")
    assert s3["OPTIONS"]["bucket_name"] == "sammachip-photos"
    assert s3["OPTIONS"]["endpoint_url"] == "https://s3.example.go.th"
    assert s3["OPTIONS"]["default_acl"] == "private"
    assert s3["OPTIONS"]["client_config"].s3 == {"addressing_style": "path"}
    for wrong in ("https://sammachip-photos", "s3://", "s3://a/b"):
        with pytest.raises(ImproperlyConfigured):
            file_storage(wrong)


@pytest.fixture
def shared_redis(settings):
    try:
        redis.Redis.from_url(TEST_REDIS, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"no Redis at {TEST_REDIS} (REQUIRE_SERVICES is set)")
        pytest.skip(f"no Redis at {TEST_REDIS}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS,
        }
    }
    yield redis.Redis.from_url(TEST_REDIS)
    caches["default"].clear()


def test_a_kept_page_part_lives_in_redis_and_a_write_is_seen_at_once(
    shared_redis, login, officer_a, area_a, django_assert_num_queries
):
    from assignments.models import VillageAssignment

    client = login(officer_a)
    target = area_a.targets[0]
    assert target.village.name_th not in client.get("/").content.decode()
    assert shared_redis.dbsize() >= 1  # the officer's home body, kept in Redis
    VillageAssignment.objects.create(target=target, officer=officer_a)
    assert target.village.name_th in client.get("/").content.decode()
