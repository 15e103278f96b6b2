import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories import FiscalYearFactory


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)  # as Excel writes it: quoted where a cell has a comma
    return out.getvalue().encode(encoding)


@pytest.fixture
def importer(area_a, area_a2, area_b, province_staff_a, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    FiscalYearFactory(year=2561)
    client.force_login(province_staff_a.user)
    return client


def upload(client, data, name="targets.xlsx", kind="targets", year="2561"):
    response = client.post(
        "/imports/", {"kind": kind, "year": year, "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"])
