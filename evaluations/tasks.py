"""Background work of the dashboards: summary rows made current soon after a write."""

from django_tasks import task

from evaluations.models import DistrictFigures
from evaluations.services import refresh_figures


@task()
def refresh_district_figures(year: int | None = None, district_ids: list[str] | None = None):
    """These districts' rows (None: every district's) of ``year`` (None: of every year that
    has rows for them) made current."""
    if year is not None:
        years = [year]
    else:
        rows = DistrictFigures.objects.all()
        if district_ids is not None:
            rows = rows.filter(district_id__in=district_ids)
        years = sorted(set(rows.values_list("year_id", flat=True)))
    for y in years:
        refresh_figures(y, district_ids)


def figures_changed(sender, districts, **kwargs):
    """Receiver of districts.changes.committed: the rows of the districts just written."""
    from districts.changes import SITE

    district_ids = None if SITE in districts else sorted(districts)
    refresh_district_figures.enqueue(district_ids=district_ids)


@task()
def build_national_extract(extract_id: int):
    """The department's national extract of a year, written as CSV and .xlsx."""
    from django.utils import timezone

    from evaluations.models import ExtractStatus, NationalExtract
    from evaluations.services import extract_build

    extract = NationalExtract.objects.filter(pk=extract_id).first()
    if extract is None:
        return
    try:
        extract_build(extract=extract)
    except Exception:
        NationalExtract.objects.filter(pk=extract_id).update(
            status=ExtractStatus.FAILED, finished_at=timezone.now()
        )
        raise
