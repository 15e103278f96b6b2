"""Backup and restore round-trip the demo with identical record counts (docs/deploy.md)."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "django_tasks_database"]


def counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in ("districts", "people", "assignments", "fieldwork", "evaluations", "imports")
        # loaddata's saves record changes on top of those restored: the counts only grow,
        # so nothing kept under the old ones is shown again
        and model._meta.label != "districts.Change"
    }


@pytest.fixture
def demo(transactional_db):
    call_command("load_geography", province="40", stdout=StringIO())
    call_command("demo", stdout=StringIO())


def test_dumpdata_and_loaddata_round_trip_the_demo(demo, tmp_path):
    before = counts()
    assert before["fieldwork.FieldVisit"] > 1000 and before["fieldwork.Household"] > 10000
    backup = tmp_path / "backup.json.gz"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *[f"--exclude={e}" for e in EXCLUDE],
        output=str(backup),
        stdout=StringIO(),
    )
    call_command("flush", interactive=False, stdout=StringIO())
    assert counts()["fieldwork.FieldVisit"] == 0
    call_command("loaddata", str(backup), stdout=StringIO())
    assert counts() == before


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_and_pg_restore_round_trip_the_demo(demo, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL; the SQLite round trip is the test above")
    before = counts()
    settings = connection.settings_dict
    target = f"{settings['NAME']}_restore"
    common = [
        "-h",
        settings["HOST"] or "127.0.0.1",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"],
    ]
    dump = tmp_path / "backup.dump"
    subprocess.run(["pg_dump", *common, "-Fc", "-f", str(dump), settings["NAME"]], check=True)
    subprocess.run(["dropdb", *common, "--if-exists", "--force", target], check=True)
    subprocess.run(["createdb", *common, target], check=True)
    try:
        subprocess.run(["pg_restore", *common, "-d", target, "--no-owner", str(dump)], check=True)
        import psycopg2

        with (
            psycopg2.connect(dbname=target, host=common[1], port=common[3], user=common[5]) as conn,
            conn.cursor() as cursor,
        ):
            for label, n in before.items():
                model = apps.get_model(label)
                cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
                assert cursor.fetchone()[0] == n, label
    finally:
        subprocess.run(["dropdb", *common, "--if-exists", "--force", target], check=True)
