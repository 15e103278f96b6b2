from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from districts.admin import AdminWritesMixin, ScopedAdminMixin, be_column
from fieldwork.budget import AdvanceRule, BudgetLine, Disbursement, QuarterTargets, SpendingCategory
from fieldwork.models import FieldVisit, Household, LivelihoodGroup, PartnerSupport


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["head_name", "target", "livelihood", "is_neighbour", "still_practising"]
    list_filter = ["is_neighbour", "still_practising"]
    list_select_related = ["target__village"]
    raw_id_fields = ["target"]
    # 1.4 million rows at national scale: newest first by primary key, not the model's
    # (is_neighbour, head_name) order, which sorted them all (0.69 s); one COUNT, not two
    ordering = ["-pk"]
    show_full_result_count = False


@admin.register(FieldVisit)
class FieldVisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "target",
        be_column(FieldVisit, "date"),
        "officer",
        "stage",
        "needs_more",
        "far_from_village",
    ]
    # a filter by date, not date_hierarchy: its links need a DISTINCT over every visit's
    # date (0.2 s at 1.4 million visits)
    list_filter = [
        "target__year",
        ("date", admin.DateFieldListFilter),
        "stage",
        "needs_more",
        "far_from_village",
    ]
    list_select_related = ["target__village", "officer__user", "stage"]
    raw_id_fields = ["target", "officer"]
    show_full_result_count = False  # one COUNT, not two


@admin.register(LivelihoodGroup)
class LivelihoodGroupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "target", "livelihood", "status", "monthly_sales"]
    list_filter = ["status", "target__year"]
    list_select_related = ["target__village"]
    search_fields = ["name", "livelihood"]
    raw_id_fields = ["target", "members"]
    show_full_result_count = False


@admin.register(PartnerSupport)
class PartnerSupportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["project", "partner", "target", "status", "amount"]
    list_filter = ["status", "target__year"]
    list_select_related = ["partner", "target__village"]
    raw_id_fields = ["partner", "target", "group"]
    show_full_result_count = False


# --- The villages' money (fieldwork/budget.py) -----------------------------------------------
# Categories and quarterly targets are the admin's per fiscal year; lines come from imports and
# disbursements from the portal's pages (which keep the overspend rule); here they are read
# within scope, and changed by the system admin only (AdminWritesMixin).


@admin.register(SpendingCategory)
class SpendingCategoryAdmin(AdminWritesMixin, admin.ModelAdmin):
    list_display = ["name", "year", "order"]
    list_filter = ["year"]


@admin.register(QuarterTargets)
class QuarterTargetsAdmin(AdminWritesMixin, admin.ModelAdmin):
    list_display = ["year", "q1", "q2", "q3", "q4"]


@admin.register(AdvanceRule)
class AdvanceRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["district", "days"]
    raw_id_fields = ["district"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["target", "category", be_column(BudgetLine, "planned_month"), "planned_amount"]
    list_filter = ["target__year"]
    list_select_related = ["target__village", "category"]
    raw_id_fields = ["target", "category"]
    show_full_result_count = False


@admin.register(Disbursement)
class DisbursementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "line",
        be_column(Disbursement, "date"),
        "kind",
        "amount",
        "purpose",
        be_column(Disbursement, "cleared_on"),
        "over_approved_by",
    ]
    list_filter = ["kind", "line__target__year"]
    list_select_related = ["line__category", "over_approved_by"]
    raw_id_fields = ["line", "visit", "recorded_by", "cleared_by", "over_approved_by"]
    show_full_result_count = False
