from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("targets/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("districts/<str:code>/officers/", views.officer_work, name="officer_work"),
    path("country/extracts/", views.extracts, name="extracts"),
    path("country/extracts/<str:pk>/<str:fmt>/", views.extract_download, name="extract_download"),
]
