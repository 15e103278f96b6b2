"""The department's national extract: the worker writes a year's CSV and .xlsx of every
target village; households leave as counts and sums only; only the country's readers ask."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import VillageAssignment
from districts.models import Officer, Role
from evaluations.models import ExtractStatus, NationalExtract
from evaluations.services import extract_request
from fieldwork.models import Household, IncomeRound
from tests.factories import UserFactory


@pytest.fixture
def department(db):
    return Officer.objects.create(user=UserFactory(username="dept"), role=Role.DEPARTMENT)


@pytest.fixture
def recorded(area_a, area_b, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    household = Household.objects.create(target=target, head_name="นางสมศรี ลับมาก", livelihood="x")
    IncomeRound.objects.create(
        household=household, kind="baseline", date=dt.date(2016, 11, 1), income=3000
    )
    IncomeRound.objects.create(
        household=household, kind="followup", date=dt.date(2017, 5, 1), income=4500
    )
    return target


def test_the_worker_writes_every_target_of_the_country(
    login, department, recorded, area_a, area_b, django_capture_on_commit_callbacks
):
    client = login(department)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:extracts"), {"year": "2560"})
    assert response.status_code == 302
    extract = NationalExtract.objects.get()
    assert extract.status == ExtractStatus.READY
    assert extract.rows == len(area_a.targets) + len(area_b.targets)
    download = client.get(reverse("evaluations:extract_download", args=[extract.pk, "csv"]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "ลับมาก" not in text  # a household's name never leaves the district
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows if r[0] == recorded.village_id)
    assert row[12] == "1"  # target households, a count
    assert row[16:18] == ["3000.00", "4500.00"]  # incomes as totals
    book = client.get(reverse("evaluations:extract_download", args=[extract.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(book.streaming_content))).active
    assert sheet.max_row == len(rows)


def test_only_the_countrys_readers_ask_for_an_extract(area_a, head_a, province_staff_a):
    for who in (head_a, province_staff_a):
        with pytest.raises(PermissionDenied):
            extract_request(year=2560, user=who.user)
    assert NationalExtract.objects.count() == 0


def test_a_year_without_targets_is_refused_with_a_message(login, department):
    response = login(department).post(reverse("evaluations:extracts"), {"year": "2599"})
    assert response.status_code == 400
    assert NationalExtract.objects.count() == 0
