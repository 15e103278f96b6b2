from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_home, name="import_home"),
    path("imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/<int:pk>/checked.xlsx", views.import_annotated, name="import_annotated"),
    path("imports/template/<str:kind>.xlsx", views.import_template, name="import_template"),
]
