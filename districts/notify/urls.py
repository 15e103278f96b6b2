from django.urls import path

from districts.notify import views

app_name = "notify"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read-all/", views.notifications_read_all, name="read_all"),
    path("notifications/settings/", views.notification_settings, name="settings"),
    path("notifications/line/code/", views.line_code, name="line_code"),
    path("notifications/line/unlink/", views.line_unlink, name="line_unlink"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("line/webhook/", views.line_webhook, name="line_webhook"),
]
