"""The health check's work (/healthz): one quick look at each service the server needs."""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_last: tuple[float, dict] | None = None


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    caches["default"].get("healthz")  # a miss is fine: the server answered


def _store() -> None:
    storage = storages["default"]
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:  # the S3 store: the bucket is there and the keys may reach it
        bucket.meta.client.head_bucket(Bucket=bucket.name)
    else:  # the local disk (one server): a look that fails if the volume is gone
        storage.exists("healthz")


CHECKS = {"database": _database, "cache": _cache, "store": _store}


def _run() -> dict:
    report = {"status": "ok"}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # any failure is a 503 for the balancer; the log says what it was
            logger.exception("healthz: the %s check failed", name)
            report[name] = "failed"
            report["status"] = "failed"
        else:
            report[name] = "ok"
        report[f"{name}_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return report


def report() -> dict:
    """The checks' answer, kept ``HEALTHZ_SECONDS`` in this process."""
    global _last
    now = time.monotonic()
    kept = _last
    if kept is not None and now - kept[0] < settings.HEALTHZ_SECONDS:
        return kept[1]
    with _lock:  # one thread of the process checks; the others wait for its answer
        if _last is not None and time.monotonic() - _last[0] < settings.HEALTHZ_SECONDS:
            return _last[1]
        result = _run()
        _last = (time.monotonic(), result)
        return result
