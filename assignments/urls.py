from django.urls import path

from assignments import views

app_name = "assignments"
urlpatterns = [
    path("districts/<str:code>/assignments/", views.board, name="board"),
    path("districts/<str:code>/assignments/assign/", views.assign, name="assign"),
    path("districts/<str:code>/assignments/pin/", views.pin, name="pin"),
    path("districts/<str:code>/assignments/tambons/", views.tambons, name="tambons"),
    path("districts/<str:code>/assignments/suggest/", views.suggest, name="suggest"),
    # the district's plan (the page is fieldwork's) and its team meetings
    path("targets/<int:pk>/plan/", views.target_plan, name="target_plan"),
    path("provinces/<str:code>/deadlines/", views.deadlines, name="deadlines"),
    path("districts/<str:code>/meetings/", views.meetings, name="meetings"),
    path("districts/<str:code>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meeting-actions/<int:pk>/done/", views.action_done, name="action_done"),
    path(
        "districts/<str:code>/assignments/followups/start/",
        views.followup_start,
        name="followup_start",
    ),
    path(
        "districts/<str:code>/assignments/followups/move/",
        views.followup_move,
        name="followup_move",
    ),
    path(
        "districts/<str:code>/assignments/followups/end/", views.followup_end, name="followup_end"
    ),
    path("districts/<str:code>/orders/", views.orders, name="orders"),
    path("districts/<str:code>/orders/new/", views.order_new, name="order_new"),
    path("districts/<str:code>/orders/<int:pk>/", views.order_detail, name="order_detail"),
]
