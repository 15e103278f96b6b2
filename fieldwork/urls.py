from django.urls import path

from fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/sync/", views.visit_sync, name="visit_sync"),
    path("outbox/", views.outbox, name="outbox"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/advice/", views.visit_advice, name="visit_advice"),
    path("visits/photos/<int:pk>/<str:size>/", views.visit_photo, name="visit_photo"),
    path("districts/<str:code>/visits/", views.visit_list, name="visit_list"),
    path("districts/<str:code>/visits/export.xlsx", views.visit_export, name="visit_export"),
    path("districts/<str:code>/visits/thresholds/", views.thresholds, name="thresholds"),
    path("districts/<str:code>/plan/", views.plan, name="plan"),
    path("targets/<int:pk>/partners/", views.support_add, name="support_add"),
    path("targets/<int:pk>/team/", views.team_add, name="team_add"),
    path("team/<int:pk>/delete/", views.team_remove, name="team_remove"),
    path("districts/<str:code>/households/", views.household_list, name="household_list"),
    path("households/new/", views.household_edit, name="household_new"),
    path("households/<int:pk>/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/rounds/", views.income_round_add, name="income_round_add"),
    path(
        "targets/<int:pk>/village-households/",
        views.village_households,
        name="village_households",
    ),
    path("targets/<int:target_pk>/groups/new/", views.group_edit, name="group_new"),
    path("groups/<int:pk>/", views.group_edit, name="group_edit"),
    path("partner-projects/<int:pk>/", views.support_edit, name="support_edit"),
    path("visits/<int:pk>/attendance/", views.visit_attendance, name="visit_attendance"),
]
