import datetime as dt

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from districts.forms import (
    AdminPasswordChangeForm,
    BEDateField,
    BEDateInput,
    BESplitDateTimeField,
    BESplitDateTimeWidget,
)
from districts.lib import thai
from districts.lib.spreadsheets import safe_cell
from districts.models import (
    ApiToken,
    District,
    Officer,
    Province,
    Role,
    Tambon,
    TambonResponsibility,
    User,
    Village,
    is_auditor,
    is_system_admin,
)

# Days are typed and shown in the Buddhist era in the admin too: Django's own date box reads
# 30/08/2560 as the year 2560 AD and its calendar and "Today" write Gregorian years.
BE_FORMFIELDS = {
    models.DateField: {"form_class": BEDateField, "widget": BEDateInput},
    models.DateTimeField: {"form_class": BESplitDateTimeField, "widget": BESplitDateTimeWidget},
}


def be_column(model, name: str, label=None):
    """A list column (or read-only field) showing a date or a moment in the Buddhist era,
    Bangkok time: ``list_display = [be_column(FieldVisit, "date")]``."""

    def show(obj):
        value = getattr(obj, name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value)
            return f"{thai.format_date(value, lang=get_language())} {value:%H:%M}"
        return thai.format_date(value, lang=get_language())

    show.__name__ = f"{name}_be"
    show.short_description = label or capfirst(model._meta.get_field(name).verbose_name)
    show.admin_order_field = name
    return show


class AdminWritesMixin:
    """Only the system admin adds, changes, deletes or imports through the admin. It bypasses
    the portal's own rules (who may change which village, a stage never goes back, the reason
    kept with an assignment's history), so every other staff user reads here and changes
    things in the portal, where those rules hold."""

    formfield_overrides = BE_FORMFIELDS

    def has_add_permission(self, request, *args):  # an inline's takes the parent object too
        return is_system_admin(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_system_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_system_admin(request.user) and super().has_delete_permission(request, obj)

    def has_import_permission(self, request):  # django-import-export's admins only
        return is_system_admin(request.user) and super().has_import_permission(request)

    # django-import-export's exports: a Buddhist-era date in the file's name, the records'
    # name on the sheet (not "Tablib Dataset")
    def get_export_filename(self, request, queryset, file_format):
        day = timezone.localdate()
        day = f"{thai.be_year(day.year)}-{day:%m-%d}"
        return f"{self.model.__name__}-{day}.{file_format.get_extension()}"

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        data.title = str(self.model._meta.verbose_name_plural)[:31]
        return data


class ScopedAdminMixin(AdminWritesMixin):
    """Admin lists, record history, and the choices of every related field on their forms, go
    through the same ``visible_to(user)`` as every page and export."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.visible_to(request.user)

    def get_field_queryset(self, db, db_field, request):
        qs = super().get_field_queryset(db, db_field, request)
        if qs is None:
            qs = db_field.remote_field.model._default_manager.using(db)
        return qs.visible_to(request.user) if hasattr(qs, "visible_to") else qs

    # django-simple-history's pages find the record (or, once deleted, its last version)
    # without the admin's queryset: a record out of scope is not there for them either.
    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._in_scope_or_404(request, object_id)
        # the form reverts the record to that version: a change like any other (the library
        # asks only for the permission to view history)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_scope_or_404(self, request, object_id):
        # the system admin also reads the history of deleted records
        obj = self.get_object(request, unquote(object_id))  # scoped; None for a bad id too
        if obj is None and not is_system_admin(request.user):
            raise Http404
        return obj


class SafeExportResource(resources.ModelResource):
    """Exports through the admin written as the portal's own are: a cell that Excel or
    LibreOffice would run as a formula (=, +, -, @ ...; django-import-export's own setting
    escapes only =) is written as text, in .xlsx and in .csv alike."""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))


class ProvinceResource(SafeExportResource):
    class Meta:
        model = Province
        import_id_fields = ["code"]
        fields = ["code", "name_th", "name_en", "lat", "lon"]
        clean_model_instances = True
        skip_unchanged = True


class DistrictResource(SafeExportResource):
    province = fields.Field("province", "province_code", widget=ForeignKeyWidget(Province, "code"))

    class Meta:
        model = District
        import_id_fields = ["code"]
        fields = [
            "code",
            "province",
            "name_th",
            "name_en",
            "lat",
            "lon",
            "office_lat",
            "office_lon",
        ]
        clean_model_instances = True
        skip_unchanged = True


class TambonResource(SafeExportResource):
    district = fields.Field("district", "district_code", widget=ForeignKeyWidget(District, "code"))

    class Meta:
        model = Tambon
        import_id_fields = ["code"]
        fields = ["code", "district", "name_th", "name_en", "lat", "lon"]
        clean_model_instances = True
        skip_unchanged = True


class VillageResource(SafeExportResource):
    tambon = fields.Field("tambon", "tambon_code", widget=ForeignKeyWidget(Tambon, "code"))

    class Meta:
        model = Village
        import_id_fields = ["code"]
        fields = ["code", "tambon", "moo", "name_th", "name_en"]
        clean_model_instances = True
        skip_unchanged = True


@admin.register(Province)
class ProvinceAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [ProvinceResource]
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [DistrictResource]
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Tambon)
class TambonAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [TambonResource]
    list_display = ["code", "name_th", "name_en", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["district"]


@admin.register(Village)
class VillageAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [VillageResource]
    list_display = ["code", "name_th", "moo", "tambon"]
    list_select_related = ["tambon"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["tambon"]
    show_full_result_count = False  # 75,206 rows: skip the second COUNT(*)


class AccountsAdminMixin:
    """Accounts are kept by the auditors: the system admin and the support role. The support
    role cannot make a system admin or another support account, grant admin rights, or change
    an account that has them (its own included; its password it changes on the portal's own
    page). It does set other staff's passwords and roles, which is what it is for, so it is
    trusted with their access: its changes are in the audit log."""

    protected_roles = {Role.ADMIN, Role.SUPPORT, Role.DEPARTMENT}
    formfield_overrides = BE_FORMFIELDS

    def has_module_permission(self, request):
        return is_auditor(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_auditor(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_auditor(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return (
            is_auditor(request.user)
            and super().has_change_permission(request, obj)
            and not self._out_of_reach(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            is_auditor(request.user)
            and super().has_delete_permission(request, obj)
            and not self._out_of_reach(request, obj)
        )

    def _out_of_reach(self, request, obj) -> bool:
        if obj is None or is_system_admin(request.user):
            return False
        user = obj if isinstance(obj, User) else obj.user
        officer = user.officer_or_none
        return user.is_superuser or bool(officer and officer.role in self.protected_roles)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not is_system_admin(request.user):
            kwargs["choices"] = [c for c in Role.choices if c[0] not in self.protected_roles]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not is_system_admin(request.user):
            kwargs["queryset"] = User.objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OfficerInline(AccountsAdminMixin, admin.StackedInline):
    model = Officer
    can_delete = False
    raw_id_fields = ["province", "district"]


@admin.register(User)
class PortalUserAdmin(AccountsAdminMixin, UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("Thai name"), {"fields": ["title"]}))
    list_display = ["username", "title", "first_name", "last_name", "is_active"]
    inlines = [OfficerInline]
    change_password_form = AdminPasswordChangeForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_system_admin(request.user):  # admin rights are the system admin's to give
            fields += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return fields


class TambonResponsibilityInline(AccountsAdminMixin, admin.TabularInline):
    model = TambonResponsibility
    extra = 0
    raw_id_fields = ["tambon"]


@admin.register(Officer)
class OfficerAdmin(AccountsAdminMixin, admin.ModelAdmin):
    list_display = [
        "user",
        "role",
        "district",
        "province",
        "position",
        "capacity_weight",
        "is_active",
    ]
    list_filter = ["role", "is_active", "province"]
    list_select_related = ["user", "district", "province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "civil_servant_id"]
    raw_id_fields = ["user", "province", "district"]
    inlines = [TambonResponsibilityInline]

    def get_queryset(self, request):
        # an officer's name (its __str__) is the user's, in the list and in autocomplete; the
        # changelist skips list_select_related once a queryset has select_related, so all here
        return super().get_queryset(request).select_related(*self.list_select_related)


# Sages and officers are searched for, never listed: the country has tens of thousands of
# sages and 7,000 officers, and a select of them all made these forms 3 MB and 6-13 s
# (bench/admin.py).


@admin.register(ApiToken)
class ApiTokenAdmin(AdminWritesMixin, admin.ModelAdmin):
    """Personal access tokens: the system admin sees who holds which (never a key: only its
    hash is kept) and may revoke one by setting its revoke time; the holder manages their own
    on their account's page."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if is_system_admin(request.user) else qs.none()

    def has_add_permission(self, request, *args):
        return False  # made by their holder, who alone sees the key


from districts.notify import admin as notify_admin  # noqa: E402, F401  (registers its admins)
