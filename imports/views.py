"""/imports/: upload a sheet, see every row's fate, confirm; all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import years as years
from assignments.models import FiscalYear
from imports import services as imports
from imports import tasks
from imports.models import ImportBatch, ImportKind, ImportStatus
from lib.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from lib.thai import fiscal_year_of


def _require_importer(user):
    try:
        imports.allowed_province(user)
    except PermissionError:
        raise PermissionDenied from None


def import_home(request):
    _require_importer(request.user)
    default_year = fiscal_year_of(timezone.localdate())
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        raw_year = request.POST.get("year", "")
        if kind not in ImportKind.values or upload is None:
            messages.error(request, _("Choose what to import and a file."))
            return redirect("imports:import_home")
        year = None
        if kind == ImportKind.TARGETS:
            year_number = years.year_of(raw_year)
            if year_number is None:
                messages.error(request, _("Give the fiscal year (BE) of the target list."))
                return redirect("imports:import_home")
            year, _created = FiscalYear.objects.get_or_create(year=year_number)
        batch = ImportBatch(
            kind=kind, year=year, filename=upload.name[:255], uploaded_by=request.user
        )
        batch.file.save(upload.name, upload, save=False)
        if upload.size <= settings.IMPORT_SYNC_BYTES:
            batch.save()
            imports.run_check(batch)
        else:  # a large file is checked by the worker while the page shows progress
            batch.status = ImportStatus.CHECKING
            batch.save()
            transaction.on_commit(lambda: tasks.check_import.enqueue(batch.pk))
        return redirect("imports:import_preview", pk=batch.pk)
    return render(
        request,
        "imports/home.html",
        {
            "kinds": ImportKind.choices,
            "default_year": default_year,
            "batches": list(ImportBatch.objects.visible_to(request.user)[:20]),
        },
    )


def import_preview(request, pk):
    _require_importer(request.user)
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "imports/preview.html",
        {
            "batch": batch,
            "report": imports.labelled(batch.report),
            "working": batch.status in (ImportStatus.CHECKING, ImportStatus.APPLYING),
            "limit": imports.REPORT_ROWS,
            # a report kept before "readable" was recorded offers the link, as it did then
            "checked_file": batch.report.get("readable", True),
        },
    )


@require_POST
def import_apply(request, pk):
    _require_importer(request.user)
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if batch.status != ImportStatus.PREVIEW:
        messages.error(request, _("This file was already applied or refused."))
        return redirect("imports:import_preview", pk=batch.pk)
    if batch.rows > settings.IMPORT_SYNC_ROWS:
        batch.status = ImportStatus.APPLYING
        batch.save(update_fields=["status"])
        transaction.on_commit(lambda: tasks.apply_import.enqueue(batch.pk))
        return redirect("imports:import_preview", pk=batch.pk)
    if not imports.run_apply(batch, request.user):
        messages.error(request, _("Some rows are refused now: nothing was written."))
        return redirect("imports:import_preview", pk=batch.pk)
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
    _require_importer(request.user)
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    table, result = imports.check_file(batch)
    if table is None:
        raise Http404
    reasons = {r.number: "; ".join(r.reasons) for r in result.rows}
    rows = ([*cells, reasons.get(i + 2, result.error)] for i, cells in enumerate(table.rows))
    content = xlsx_bytes(_("Checked"), [*table.headers, _("Problems found")], rows)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stem = batch.filename.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}-checked.xlsx"'
    return response


def import_template(request, kind):
    _require_importer(request.user)
    if kind not in ImportKind.values:
        raise Http404
    headers, example = imports.template_rows(kind)
    sheet = ImportKind(kind).label  # the sheet is named in the reader's language
    response = HttpResponse(xlsx_bytes(sheet, headers, [example]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="template-{kind}.xlsx"'
    return response
