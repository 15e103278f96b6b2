from django.contrib import admin

from districts.admin import ScopedAdminMixin, be_column
from people.models import Forum, Partner, Sage, SageNetwork


@admin.register(Sage)
class SageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "expertise", "village", "district", "phone"]
    list_select_related = ["village", "district"]
    search_fields = ["name", "expertise"]
    raw_id_fields = ["village", "district"]


@admin.register(SageNetwork)
class SageNetworkAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "district"]
    list_select_related = ["district"]
    search_fields = ["name"]
    raw_id_fields = ["district"]
    autocomplete_fields = ["members"]


@admin.register(Forum)
class ForumAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["topic", be_column(Forum, "date"), "network", "status"]
    list_filter = ["status"]
    list_select_related = ["network"]
    raw_id_fields = ["network"]
    autocomplete_fields = ["sages", "officers"]


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "district", "contact_name", "phone"]
    search_fields = ["name"]
    raw_id_fields = ["district"]
