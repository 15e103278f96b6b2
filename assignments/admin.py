from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from assignments.models import (
    AssignmentOrder,
    FiscalYear,
    FollowUp,
    Meeting,
    MeetingAction,
    PlannedDate,
    Stage,
    StageDeadline,
    TargetVillage,
    VillageAssignment,
)
from districts.admin import AdminWritesMixin, SafeExportResource, ScopedAdminMixin, be_column


@admin.register(FiscalYear)
class FiscalYearAdmin(AdminWritesMixin, admin.ModelAdmin):
    list_display = [
        "year",
        be_column(FiscalYear, "start_date", _("first day")),
        be_column(FiscalYear, "end_date", _("last day")),
    ]


@admin.register(Stage)
class StageAdmin(AdminWritesMixin, admin.ModelAdmin):
    list_display = ["order", "code", "name_th", "name_en", "neglect_days"]


class TargetVillageResource(SafeExportResource):
    """Export of target villages, with the Thai headers the target import reads, so that an
    exported sheet can be corrected and imported again (imports go through /imports/:
    checked, previewed, all or nothing, ~11,000 rows/s; import-export's row-by-row import
    measures 20-500 rows/s). Columns the import does not know are left out by it."""

    village = fields.Field("village_id", "รหัสหมู่บ้าน")
    village_name = fields.Field("village__name_th", "ชื่อหมู่บ้าน")
    year = fields.Field("year_id", "ปีงบประมาณ")
    district = fields.Field("district_id", "รหัสอำเภอ")
    budget_allocated = fields.Field("budget_allocated", "งบประมาณ")
    livelihood = fields.Field("livelihood", "อาชีพ")

    class Meta:
        model = TargetVillage
        fields = [
            "village",
            "village_name",
            "year",
            "district",
            "budget_allocated",
            "livelihood",
        ]
        export_order = fields


@admin.register(TargetVillage)
class TargetVillageAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [TargetVillageResource]
    list_display = ["village", "year", "district", "budget_allocated", "stage"]
    list_filter = ["year", "stage"]
    list_select_related = ["village", "year", "district", "stage"]
    search_fields = ["village__code", "village__name_th"]
    raw_id_fields = ["village", "district", "sage"]


@admin.register(VillageAssignment)
class VillageAssignmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "target",
        "officer",
        "pinned",
        be_column(VillageAssignment, "assigned_at"),
        be_column(VillageAssignment, "ended_at"),
        "order",
    ]
    list_filter = ["pinned", "target__year"]
    list_select_related = ["target__village", "officer__user", "order"]
    raw_id_fields = ["target", "officer", "order", "assigned_by", "ended_by"]
    show_full_result_count = False


@admin.register(AssignmentOrder)
class AssignmentOrderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "district", "year", be_column(AssignmentOrder, "date"), "subject"]
    list_filter = ["year"]
    list_select_related = ["district"]
    readonly_fields = ["snapshot"]
    raw_id_fields = ["district", "issued_by"]


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The district head starts, moves and ends follow-ups on the board; here the system
    admin reads them and their history."""

    list_display = [
        "target",
        "officer",
        "from_year",
        be_column(FollowUp, "started_at"),
        be_column(FollowUp, "ended_at"),
    ]
    list_filter = ["from_year", "target__year"]
    list_select_related = ["target__village", "officer__user", "from_year"]
    raw_id_fields = ["target", "officer", "started_by", "ended_by"]
    show_full_result_count = False


# --- The district's plan and its team meetings (assignments/plans.py) -------------------------


@admin.register(StageDeadline)
class StageDeadlineAdmin(AdminWritesMixin, admin.ModelAdmin):
    """The department's deadlines per fiscal year and stage (province empty), and the
    provinces' earlier ones (provincial staff set theirs on /provinces/<code>/deadlines/)."""

    list_display = ["year", "stage", "province", be_column(StageDeadline, "due")]
    list_filter = ["year", "stage", ("province", admin.EmptyFieldListFilter)]
    list_select_related = ["stage", "province"]
    raw_id_fields = ["set_by"]
    readonly_fields = ["set_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PlannedDate)
class PlannedDateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["target", "stage", be_column(PlannedDate, "date"), "set_by"]
    list_filter = ["target__year", "stage"]
    list_select_related = ["target__village", "stage", "set_by"]
    raw_id_fields = ["target", "set_by"]
    show_full_result_count = False


class MeetingActionInline(AdminWritesMixin, admin.TabularInline):
    model = MeetingAction
    extra = 0
    raw_id_fields = ["owner", "done_by"]


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The district heads record meetings in the portal; here they are read by scope."""

    list_display = [be_column(Meeting, "date"), "district", "agenda"]
    list_filter = ["district__province"]
    list_select_related = ["district"]
    raw_id_fields = ["district", "attendees", "created_by"]
    inlines = [MeetingActionInline]


@admin.register(MeetingAction)
class MeetingActionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["text", "owner", be_column(MeetingAction, "due"), "done_at"]
    list_filter = [("done_at", admin.EmptyFieldListFilter)]
    list_select_related = ["owner__user", "meeting"]
    raw_id_fields = ["meeting", "owner", "done_by"]
    show_full_result_count = False
