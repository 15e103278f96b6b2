"""Spreadsheet imports: one batch per uploaded file, checked, previewed, applied whole.

The table kept its name (``assignments_importbatch``) when the model moved here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import FiscalYear
from districts.models import scope_of


class ImportKind(models.TextChoices):
    VILLAGES = "villages", _("Villages (master list)")
    TARGETS = "targets", _("Target villages of a fiscal year")
    OFFICERS = "officers", _("Officers and their tambons")
    BUDGET_LINES = "budget", _("Budget lines of target villages (by spending category)")


# the kinds that belong to a fiscal year (the upload names it)
YEAR_KINDS = {ImportKind.TARGETS, ImportKind.BUDGET_LINES}


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    PREVIEW = "preview", _("Preview")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    REFUSED = "refused", _("Refused")


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.admin:
            return self
        if scope.province_id and not scope.district_id:
            return self.filter(uploaded_by=user)
        return self.none()


class ImportBatch(models.Model):
    """One uploaded file: previewed, then applied whole or not at all."""

    change_quiet = True  # no page lists it: what it leads to records its own changes

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("fiscal year")
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        help_text=_("Empty for an import from the command line."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    changed_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    task_id = models.CharField(
        _("background task"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The worker's task checking or applying a large file, while it works."),
    )
    report = models.JSONField(
        _("check report"),
        default=dict,
        editable=False,
        help_text=_("The file error, the rows to show, and every refused row's reasons."),
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        db_table = "assignments_importbatch"
        ordering = ["-uploaded_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"
