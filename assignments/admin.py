from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assignments.models import FiscalYear, Stage, TargetVillage


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start_date", "end_date"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name_th", "name_en", "neglect_days"]


@admin.register(TargetVillage)
class TargetVillageAdmin(SimpleHistoryAdmin):
    list_display = ["village", "year", "district", "budget_allocated", "budget_spent", "stage"]
    list_filter = ["year", "stage"]
    list_select_related = ["village", "district", "stage"]
    search_fields = ["village__code", "village__name_th"]
    raw_id_fields = ["village", "district"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
