"""The security review's import findings (docs/security.md F3, F5, F7, F14): an import is
never left half-checked or stuck, applied twice, or handed back under a broken name."""

import datetime as dt
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assignments.models import TargetVillage
from districts.lib.sheets import SheetError, read_table, unpacked_size
from imports import services
from imports.models import ImportBatch
from tests.imports.conftest import upload, xlsx

LIMITS = {"max_bytes": 1_000_000, "max_rows": 1000, "max_uncompressed": 50_000_000}


def test_a_small_file_that_unpacks_large_is_checked_by_the_worker_not_the_request(
    importer, area_a, settings, django_capture_on_commit_callbacks
):
    """F3: decided by what reading costs. A file of repeated cells compresses to little; the
    request would read all of it."""
    rows = [["code", "budget", "livelihood"]] + [[v.code, 100, "ก" * 200] for v in area_a.villages]
    rows += [["", "", "ข" * 30000] for _ in range(40)]
    data = xlsx(rows)
    assert len(data) < 20_000 < unpacked_size(data)
    settings.IMPORT_SYNC_UNPACKED = 20_000
    with django_capture_on_commit_callbacks(execute=False) as queued:
        importer.post(
            "/imports/",
            {"kind": "targets", "year": "2561", "file": SimpleUploadedFile("small.xlsx", data)},
        )
    assert ImportBatch.objects.get().status == "checking" and len(queued) == 1


def test_a_sheet_with_hundreds_of_columns_is_refused_at_once():
    """F3: 400 columns are no list of the import's; refused at the first wide row."""
    data = xlsx([[f"c{i}" for i in range(400)], list(range(400))])
    with pytest.raises(SheetError) as refused:
        read_table(data, "wide.xlsx", **LIMITS, max_columns=100)
    assert refused.value.code == "too_many_columns"
    with pytest.raises(SheetError):
        read_table(",".join(["x"] * 150).encode() + b"\n1\n", "wide.csv", **LIMITS, max_columns=100)


def test_a_wide_file_gets_a_thai_message_and_no_confirm_button(importer, settings):
    settings.IMPORT_MAX_COLUMNS = 10
    page = upload(importer, xlsx([[f"c{i}" for i in range(20)], list(range(20))]))
    text = page.content.decode()
    assert "คอลัมน์" in text and "/apply/" not in text
    assert ImportBatch.objects.get().status == "refused"


def test_a_check_that_dies_in_the_request_leaves_no_batch(importer, area_a, monkeypatch):
    """F3: the batch and its check commit together; a request killed mid-check (a worker
    timeout) left a '0 new / 0 refused' batch with a Confirm button."""

    def dies(*, batch):
        raise TimeoutError("the server killed the request")

    monkeypatch.setattr(services, "run_check", dies)
    data = xlsx([["code", "budget"], [area_a.villages[0].code, 100]])
    with pytest.raises(TimeoutError):
        importer.post(
            "/imports/",
            {"kind": "targets", "year": "2561", "file": SimpleUploadedFile("t.xlsx", data)},
        )
    assert ImportBatch.objects.count() == 0


def _stuck_batch(importer, area_a, settings, capture):
    settings.IMPORT_SYNC_ROWS = 0
    upload(importer, xlsx([["code", "budget"]] + [[v.code, 100] for v in area_a.villages]))
    batch = ImportBatch.objects.get()
    with capture(execute=True):
        importer.post(f"/imports/{batch.pk}/apply/")
    batch.refresh_from_db()
    assert batch.status == "applying" and batch.task_id
    return batch


def test_an_apply_whose_worker_died_can_be_applied_again(
    importer, area_a, settings, django_capture_on_commit_callbacks
):
    """F5: kill -9 of the worker mid-apply wrote nothing but left the batch 'applying' and its
    task RUNNING for ever; a second apply was refused as already applied."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = _stuck_batch(importer, area_a, settings, django_capture_on_commit_callbacks)
    # the worker claimed the task and died in its transaction: nothing written, still RUNNING
    DBTaskResult.objects.filter(pk=batch.task_id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(hours=1)
    )
    page = importer.get(f"/imports/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == "preview" and not batch.task_id
    assert DBTaskResult.objects.get().status == "FAILED"
    assert "/apply/" in page.content.decode()
    settings.IMPORT_SYNC_ROWS = 1000
    importer.post(f"/imports/{batch.pk}/apply/")
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert TargetVillage.objects.filter(year_id=2561).count() == len(area_a.villages)


def test_a_worker_at_work_is_not_taken_for_dead(
    importer, area_a, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = _stuck_batch(importer, area_a, settings, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(pk=batch.task_id).update(
        status="RUNNING", started_at=timezone.now()
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the row lock decides (the next test)")
    importer.get(f"/imports/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == "applying"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_worker_holding_the_batch_is_alive_and_one_gone_is_not(
    area_a, province_staff_a, settings, tmp_path
):
    """The worker applies in one transaction that locks the batch's row: while it holds the
    lock it is at work, however long; once its connection is gone, the row is free."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite waits on the clock instead")
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = ImportBatch.objects.create(
        kind="targets", filename="t.xlsx", status="applying", uploaded_by=province_staff_a.user
    )
    task = DBTaskResult.objects.create(
        status="RUNNING",
        started_at=timezone.now(),
        args_kwargs={"args": [batch.pk], "kwargs": {}},
        task_path="imports.tasks.apply_import",
        backend_name="default",
        run_after=timezone.now(),
    )
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(task.pk))
    batch.refresh_from_db()
    locked, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                ImportBatch.objects.select_for_update().get(pk=batch.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    locked.wait(10)
    try:
        assert services.batch_recover(batch=batch) is False
        assert ImportBatch.objects.get(pk=batch.pk).status == "applying"
    finally:
        release.set()
        thread.join()
    assert services.batch_recover(batch=batch) is True
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview"
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"


def test_a_second_confirm_is_told_the_file_was_applied(importer, area_a):
    """F7: the second click of a double Confirm was a 500 (IntegrityError)."""
    upload(importer, xlsx([["code", "budget"], [area_a.villages[0].code, 100]]))
    batch = ImportBatch.objects.get()
    first = importer.post(f"/imports/{batch.pk}/apply/")
    second = importer.post(f"/imports/{batch.pk}/apply/", follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "ไฟล์นี้นำเข้าแล้วหรือถูกปฏิเสธแล้ว" in second.content.decode()
    assert TargetVillage.objects.filter(year_id=2561).count() == 1


def test_a_checked_file_with_a_thai_name_downloads_under_that_name(importer, area_a):
    """F14: the name was sent as one encoded word that browsers did not read."""
    upload(importer, xlsx([["code", "budget"], ["99999999", 100]]), name="เป้าหมาย ปี 2561.xlsx")
    batch = ImportBatch.objects.get()
    response = importer.get(f"/imports/{batch.pk}/checked.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=utf-8''" in disposition
    assert unquote(disposition.split("''", 1)[1]) == "เป้าหมาย ปี 2561-checked.xlsx"
    assert response["Cache-Control"] == "no-store"


def test_a_utf16_unicode_text_file_from_excel_is_read():
    """F14: Excel's "Unicode text" is UTF-16 with tabs; it was called 'not a spreadsheet'."""
    text = "รหัสหมู่บ้าน\tงบประมาณ\r\n40160101\t๕๐,๐๐๐\r\n"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        data = text.encode(encoding)
        if encoding != "utf-16":
            data = ("\ufeff" + text).encode(encoding)
        table = read_table(data, "list.txt", **LIMITS)
        assert table.headers == ["รหัสหมู่บ้าน", "งบประมาณ"]
        assert table.rows == [["40160101", "50,000"]]


def test_a_broken_utf16_file_gets_the_encoding_message():
    with pytest.raises(SheetError) as refused:
        read_table(b"\xff\xfe" + b"\x00\xd8" * 3, "list.csv", **LIMITS)
    assert refused.value.code == "encoding"


@pytest.mark.parametrize("pk", ["abc", "-1", "99999999999999999999999"])
def test_an_odd_batch_number_is_not_found(importer, pk):
    assert importer.get(f"/imports/{pk}/").status_code == 404


def test_the_preview_names_each_target_village_and_its_budget(importer, area_a):
    """A person checks a row by the village's name and the money, not by its 8-digit code."""
    village = area_a.villages[0]
    page = upload(importer, xlsx([["code", "budget"], [village.code, "150000.5"]]))
    row = page.content.decode().split('data-row="2"', 1)[1].split("</tr>", 1)[0]
    assert village.name_th in row and "150,000.50" in row
    assert f"หมู่ที่ {village.moo}" in row or f"หมู่ {village.moo}" in row
