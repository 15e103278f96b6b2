"""Photos and imported files in an S3-compatible object store (moto's server on loopback):
written there, read back through the scope check only, private, deleted with their record."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from fieldwork.models import FieldVisit, VisitPhoto
from imports.models import ImportBatch
from tests.factories import FiscalYearFactory
from tests.fieldwork.test_visits import jpeg_with_gps, visit_data
from tests.imports.conftest import xlsx
from tests.ops.conftest import keys_in


@pytest.fixture
def visit_with_photo(s3_bucket, area_a, officer_a, login):
    ensure_default_stages(Stage)
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    data = visit_data(target, Stage.objects.order_by("order").first())
    data["photos"] = [SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps((640, 480)), "image/jpeg")]
    response = login(officer_a).post("/visits/new/?year=2560", data)
    assert response.status_code == 302, response.content[:300]
    return FieldVisit.objects.get().photos.get()


def test_a_visit_photo_is_stored_in_the_bucket_in_its_three_sizes(s3_bucket, visit_with_photo):
    client, bucket = s3_bucket
    photo = visit_with_photo
    names = sorted([photo.image.name, photo.display.name, photo.thumb.name])
    assert keys_in(client, bucket) == names
    assert all(name.startswith("visits/2017/06/") for name in names)
    stored = client.get_object(Bucket=bucket, Key=photo.image.name)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (640, 480)


def test_the_bucket_holds_the_photos_privately(
    s3_bucket, visit_with_photo, s3_endpoint, login, officer_a
):
    client, bucket = s3_bucket
    photo = visit_with_photo
    # no grant to everyone: only the portal's keys read it
    grants = client.get_object_acl(Bucket=bucket, Key=photo.image.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    # an address of the store, if code ever made one, is signed and short-lived
    url = photo.image.url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    # the visit's page links the photo through the app (the scope check), never the store
    page = login(officer_a).get(f"/visits/{photo.visit_id}/").content.decode()
    assert f"/visits/photos/{photo.pk}/" in page
    assert s3_endpoint.split("//")[1] not in page and "X-Amz-" not in page


def test_a_photo_is_read_from_the_store_through_the_scope_check(
    s3_bucket, visit_with_photo, login, officer_a
):
    response = login(officer_a).get(f"/visits/photos/{visit_with_photo.pk}/display/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (640, 480)


def test_another_districts_head_gets_404_for_a_photo_in_the_store(
    s3_bucket, visit_with_photo, login, head_b
):
    client = login(head_b)
    for size in ("image", "display", "thumb"):
        assert client.get(f"/visits/photos/{visit_with_photo.pk}/{size}/").status_code == 404


def test_deleting_the_visit_deletes_its_photos_from_the_bucket(
    s3_bucket, visit_with_photo, django_capture_on_commit_callbacks
):
    client, bucket = s3_bucket
    assert len(keys_in(client, bucket)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        visit_with_photo.visit.delete()
    assert VisitPhoto.objects.count() == 0
    assert keys_in(client, bucket) == []


def test_a_rolled_back_delete_keeps_the_photos(s3_bucket, visit_with_photo):
    """The files go only once the delete has committed (this test's transaction never does)."""
    client, bucket = s3_bucket
    visit_with_photo.visit.delete()
    assert len(keys_in(client, bucket)) == 3


def test_the_worker_reads_an_import_from_the_store_not_a_local_path(
    s3_bucket, area_a, province_staff_a, client, settings, django_capture_on_commit_callbacks
):
    """A large file is checked by the worker, maybe on another host: it reads the bucket."""
    s3, bucket = s3_bucket
    settings.IMPORT_SYNC_UNPACKED = 0
    FiscalYearFactory(year=2561)
    client.force_login(province_staff_a.user)
    data = xlsx([["code", "budget"]] + [[v.code, 100] for v in area_a.villages])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/",
            {"kind": "targets", "year": "2561", "file": SimpleUploadedFile("big.xlsx", data)},
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert keys_in(s3, bucket) == [batch.file.name]
    assert (batch.status, batch.created_count) == ("preview", 6)


def test_a_receipt_goes_to_the_bucket_is_read_in_scope_and_leaves_with_its_payment(
    s3_bucket, area_a, officer_a, head_b, login, django_capture_on_commit_callbacks
):
    from fieldwork.budget import Disbursement
    from tests.fieldwork.test_budget import _named, form, jpeg, line_of

    client, bucket = s3_bucket
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    line = line_of(target, "10000")
    officer = login(officer_a)
    response = officer.post(
        f"/targets/{target.pk}/budget/disbursements/",
        {**form(line, "100"), "receipt": _named(jpeg(), "ใบเสร็จ.jpg")},
    )
    assert response.status_code == 302
    paid = Disbursement.objects.get()
    assert keys_in(client, bucket) == [paid.receipt.name]
    read = officer.get(f"/disbursements/{paid.pk}/receipt/")
    assert read.status_code == 200 and read["Content-Type"] == "image/jpeg"
    assert login(head_b).get(f"/disbursements/{paid.pk}/receipt/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        paid.delete()
    assert keys_in(client, bucket) == []
