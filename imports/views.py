"""/imports/: upload a sheet, see every row's fate, confirm; all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.years import year_of
from districts.downloads import xlsx_response
from districts.lib.spreadsheets import xlsx_bytes
from districts.lib.thai import fiscal_year_of
from imports import services
from imports.access import get_batch_for_user, importer_province
from imports.models import YEAR_KINDS, ImportBatch, ImportKind, ImportStatus


def import_home(request):
    importer_province(request.user)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in ImportKind.values or upload is None:
            messages.error(request, _("Choose what to import and a file."))
            return redirect("imports:import_home")
        year = None
        if kind in YEAR_KINDS:
            year = year_of(request.POST.get("year", ""))
            if year is None:
                messages.error(request, _("Give the fiscal year (BE) of the target list."))
                return redirect("imports:import_home")
        batch = services.batch_upload(kind=kind, year=year, upload=upload, user=request.user)
        return redirect("imports:import_preview", pk=batch.pk)
    return render(
        request,
        "imports/home.html",
        {
            "kinds": ImportKind.choices,
            "default_year": fiscal_year_of(timezone.localdate()),
            "batches": list(ImportBatch.objects.visible_to(request.user)[:20]),
        },
    )


def import_preview(request, pk):
    batch = get_batch_for_user(request.user, pk)
    if services.batch_recover(batch=batch):
        messages.warning(
            request,
            _(
                "The background worker stopped before it finished this file; nothing of it "
                "was written. It can be applied again."
            )
            if batch.status == ImportStatus.PREVIEW
            else _("The background worker stopped before it finished; the file is checked again."),
        )
    return render(
        request,
        "imports/preview.html",
        {
            "batch": batch,
            "report": services.labelled(batch.report),
            "working": batch.status in (ImportStatus.CHECKING, ImportStatus.APPLYING),
            "limit": services.REPORT_ROWS,
            # a report kept before "readable" was recorded offers the link, as it did then
            "checked_file": batch.report.get("readable", True),
        },
    )


@require_POST
def import_apply(request, pk):
    batch = get_batch_for_user(request.user, pk)
    try:
        batch = services.batch_apply(batch=batch, user=request.user)
    except services.AlreadyApplied:
        messages.info(request, _("This file was already applied or refused."))
        return redirect("imports:import_preview", pk=batch.pk)
    if batch.status == ImportStatus.REFUSED:
        messages.error(request, _("Some rows are refused now: nothing was written."))
    elif batch.status == ImportStatus.APPLIED:
        messages.success(
            request,
            _("Imported: %(new)s new, %(changed)s changed, %(same)s unchanged.")
            % {
                "new": batch.created_count,
                "changed": batch.changed_count,
                "same": batch.unchanged_count,
            },
        )
    return redirect("imports:import_preview", pk=batch.pk)


def import_annotated(request, pk):
    """The uploaded rows back, with a column saying what is wrong with each."""
    batch = get_batch_for_user(request.user, pk)
    table, result = services.check_file(batch)
    if table is None:
        raise Http404
    reasons = {r.number: "; ".join(r.reasons) for r in result.rows}
    rows = ([*cells, reasons.get(i + 2, result.error)] for i, cells in enumerate(table.rows))
    content = xlsx_bytes(_("Checked"), [*table.headers, _("Problems found")], rows)
    stem = batch.filename.rsplit(".", 1)[0]
    return xlsx_response(content, f"{stem}-checked.xlsx")


def import_template(request, kind):
    importer_province(request.user)
    if kind not in ImportKind.values:
        raise Http404
    headers, example = services.template_rows(kind)
    sheet = ImportKind(kind).label  # the sheet is named in the reader's language
    return xlsx_response(xlsx_bytes(sheet, headers, [example]), f"template-{kind}.xlsx")
