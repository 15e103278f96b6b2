"""Notifications in the admin: the system admin's, read only, to see why one did not go out
(a person's notifications are theirs; nobody else's scope reaches them)."""

from django.contrib import admin

from districts.models import is_system_admin
from districts.notify.models import Delivery, LineLink, Notification


class SystemAdminReadsMixin:
    def has_module_permission(self, request):
        return is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if is_system_admin(request.user) else qs.none()


class DeliveryInline(SystemAdminReadsMixin, admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "status", "attempts", "not_before", "sent_at", "last_error"]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(SystemAdminReadsMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__username", "key"]
    raw_id_fields = ["user", "district"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(SystemAdminReadsMixin, admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "not_before", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["notification__user"]
    raw_id_fields = ["notification"]


@admin.register(LineLink)
class LineLinkAdmin(SystemAdminReadsMixin, admin.ModelAdmin):
    list_display = ["user", "linked_at", "blocked"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    search_fields = ["user__username"]
