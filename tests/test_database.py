"""The database settings: SQLite writers that meet wait for each other instead of failing."""

import threading
import time

from django.db import connections, transaction

from sammachip.settings import database


def test_two_sqlite_writers_that_read_first_both_commit(tmp_path, django_db_blocker):
    # Each writer reads, then writes, as a visit does (it checks the target, then saves):
    # with SQLite's deferred transactions the second one to write gets "database is locked"
    # at once, whatever the timeout.
    configured = {**connections.settings, "race": database(f"sqlite:///{tmp_path / 'race.db'}")}
    connections.settings["race"] = connections.configure_settings(configured)["race"]
    first_has_read = threading.Event()
    failures = []

    def writer(name, wait_for=None):
        try:
            if wait_for:
                wait_for.wait(5)
            with transaction.atomic(using="race"), connections["race"].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM visit")
                if not wait_for:
                    first_has_read.set()
                    time.sleep(0.3)  # the other writer reads meanwhile
                cursor.execute("INSERT INTO visit (writer) VALUES (%s)", [name])
        except Exception as exc:  # a thread cannot fail the test: it reports what it met
            failures.append(f"{name}: {exc}")
        finally:
            connections["race"].close()

    try:
        with django_db_blocker.unblock():
            with connections["race"].cursor() as cursor:
                cursor.execute("CREATE TABLE visit (writer TEXT)")
            connections["race"].close()
            threads = [
                threading.Thread(target=writer, args=("first",)),
                threading.Thread(target=writer, args=("second", first_has_read)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert failures == []
            with connections["race"].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM visit")
                assert cursor.fetchone() == (2,)
            connections["race"].close()
    finally:
        del connections.settings["race"]
