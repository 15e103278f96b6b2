from django.urls import path

from assignments import field_views, import_views, people_views, views

app_name = "assignments"

urlpatterns = [
    path("districts/<str:code>/assignments/", views.board, name="board"),
    path("districts/<str:code>/assignments/assign/", views.assign, name="assign"),
    path("districts/<str:code>/assignments/pin/", views.pin, name="pin"),
    path("districts/<str:code>/assignments/tambons/", views.tambons, name="tambons"),
    path("districts/<str:code>/assignments/suggest/", views.suggest, name="suggest"),
    path("districts/<str:code>/orders/", views.orders, name="orders"),
    path("districts/<str:code>/orders/new/", views.order_new, name="order_new"),
    path("districts/<str:code>/orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
]

urlpatterns += [
    path("visits/new/", field_views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", field_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/advice/", field_views.visit_advice, name="visit_advice"),
    path("visits/photos/<int:pk>/<str:size>/", field_views.visit_photo, name="visit_photo"),
    path("districts/<str:code>/visits/", field_views.visit_list, name="visit_list"),
    path("districts/<str:code>/visits/export.xlsx", field_views.visit_export, name="visit_export"),
    path("districts/<str:code>/visits/thresholds/", field_views.thresholds, name="thresholds"),
]

urlpatterns += [
    path("sages/", people_views.sage_list, name="sage_list"),
    path("districts/<str:code>/sages/new/", people_views.sage_new, name="sage_new"),
    path("sages/<int:pk>/edit/", people_views.sage_edit, name="sage_edit"),
    path("districts/<str:code>/network/", people_views.network, name="network"),
    path("districts/<str:code>/forums/new/", people_views.forum_new, name="forum_new"),
    path("forums/<int:pk>/", people_views.forum_detail, name="forum_detail"),
    path("forums/<int:pk>/edit/", people_views.forum_edit, name="forum_edit"),
    path(
        "provinces/<str:code>/networks/", people_views.province_networks, name="province_networks"
    ),
    path("districts/<str:code>/partners/", people_views.partner_list, name="partner_list"),
    path("districts/<str:code>/partners/new/", people_views.partner_edit, name="partner_new"),
    path("districts/<str:code>/partners/<int:pk>/", people_views.partner_edit, name="partner_edit"),
    path("targets/<int:pk>/partners/", people_views.support_add, name="support_add"),
    path("targets/<int:pk>/team/", people_views.team_add, name="team_add"),
    path("team/<int:pk>/delete/", people_views.team_remove, name="team_remove"),
    path("districts/<str:code>/households/", people_views.household_list, name="household_list"),
    path("households/new/", people_views.household_edit, name="household_new"),
    path("households/<int:pk>/", people_views.household_edit, name="household_edit"),
]

urlpatterns += [
    path("imports/", import_views.import_home, name="import_home"),
    path("imports/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("imports/<int:pk>/apply/", import_views.import_apply, name="import_apply"),
    path("imports/<int:pk>/checked.xlsx", import_views.import_annotated, name="import_annotated"),
    path("imports/template/<str:kind>.xlsx", import_views.import_template, name="import_template"),
]
