from django.urls import path

from assignments import field_views, views

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
