from django.contrib import admin
from django.db.models import DateTimeField

from districts.admin import ScopedAdminMixin, be_column
from imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The record of every import: who, when, which file, how many rows."""

    list_display = [
        "filename",
        "kind",
        "status",
        "uploaded_by",
        be_column(ImportBatch, "uploaded_at"),
        "created_count",
        "changed_count",
        "refused_count",
    ]
    list_filter = ["kind", "status"]
    # a record, never changed: every field read-only, its moments in the Buddhist era
    readonly_fields = [
        be_column(ImportBatch, f.name) if isinstance(f, DateTimeField) else f.name
        for f in ImportBatch._meta.fields
    ]
    exclude = [f.name for f in ImportBatch._meta.fields if isinstance(f, DateTimeField)]

    def has_add_permission(self, request):
        return False
