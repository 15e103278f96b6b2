from django.contrib import admin
from import_export import resources
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from assignments.models import (
    AssignmentOrder,
    FieldVisit,
    FiscalYear,
    Household,
    ImportBatch,
    Stage,
    TargetVillage,
    VillageAssignment,
)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start_date", "end_date"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name_th", "name_en", "neglect_days"]


class TargetVillageResource(resources.ModelResource):
    """Export of target villages (imports go through /imports/: checked, previewed, all or
    nothing, ~11,000 rows/s; import-export's row-by-row import measures 20-500 rows/s)."""

    class Meta:
        model = TargetVillage
        fields = [
            "village",
            "village__name_th",
            "year",
            "district",
            "budget_allocated",
            "budget_spent",
            "livelihood",
        ]
        export_order = fields


@admin.register(TargetVillage)
class TargetVillageAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [TargetVillageResource]
    list_display = ["village", "year", "district", "budget_allocated", "budget_spent", "stage"]
    list_filter = ["year", "stage"]
    list_select_related = ["village", "district", "stage"]
    search_fields = ["village__code", "village__name_th"]
    raw_id_fields = ["village", "district"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(VillageAssignment)
class VillageAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["target", "officer", "pinned", "assigned_at", "ended_at", "order"]
    list_filter = ["pinned", "target__year"]
    list_select_related = ["target__village", "officer__user", "order"]
    raw_id_fields = ["target", "officer", "order", "assigned_by", "ended_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(AssignmentOrder)
class AssignmentOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "district", "year", "date", "subject"]
    list_filter = ["year"]
    list_select_related = ["district"]
    readonly_fields = ["snapshot"]
    raw_id_fields = ["district", "issued_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["head_name", "target", "livelihood", "baseline_income", "followup_income"]
    list_filter = ["is_neighbour", "still_practising"]
    list_select_related = ["target__village"]
    raw_id_fields = ["target"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(FieldVisit)
class FieldVisitAdmin(admin.ModelAdmin):
    list_display = ["target", "date", "officer", "stage", "needs_more", "far_from_village"]
    list_filter = ["stage", "needs_more", "far_from_village"]
    list_select_related = ["target__village", "officer__user", "stage"]
    raw_id_fields = ["target", "officer"]
    date_hierarchy = "date"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """The record of every import: who, when, which file, how many rows."""

    list_display = [
        "filename",
        "kind",
        "status",
        "uploaded_by",
        "uploaded_at",
        "created_count",
        "changed_count",
        "refused_count",
    ]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False
