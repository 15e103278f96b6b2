from django.urls import path

from fieldwork import budget_views, views

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
    # the villages' money (fieldwork/budget*.py)
    path("targets/<int:pk>/budget/", budget_views.target_budget, name="target_budget"),
    path(
        "targets/<int:pk>/budget/disbursements/",
        budget_views.disbursement_new,
        name="disbursement_new",
    ),
    path("disbursements/<int:pk>/clear/", budget_views.advance_clear, name="advance_clear"),
    path("disbursements/<int:pk>/receipt/", budget_views.receipt, name="receipt"),
    path("districts/<str:code>/budget/", budget_views.district_budget, name="district_budget"),
    path(
        "districts/<str:code>/budget/export.xlsx",
        budget_views.district_budget_export,
        name="district_budget_export",
    ),
    path(
        "districts/<str:code>/budget/advance-days/",
        budget_views.advance_days,
        name="advance_days",
    ),
    path("provinces/<str:code>/budget/", budget_views.province_budget, name="province_budget"),
    path(
        "provinces/<str:code>/budget/export.xlsx",
        budget_views.province_budget_export,
        name="province_budget_export",
    ),
    path("country/budget/", budget_views.country_budget, name="country_budget"),
    path(
        "country/budget/export.xlsx",
        budget_views.country_budget_export,
        name="country_budget_export",
    ),
]
