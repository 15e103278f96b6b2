from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("sages/", views.sage_list, name="sage_list"),
    path("districts/<str:code>/sages/new/", views.sage_new, name="sage_new"),
    path("sages/<int:pk>/edit/", views.sage_edit, name="sage_edit"),
    path("districts/<str:code>/network/", views.network, name="network"),
    path("districts/<str:code>/forums/new/", views.forum_new, name="forum_new"),
    path("forums/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("forums/<int:pk>/edit/", views.forum_edit, name="forum_edit"),
    path("provinces/<str:code>/networks/", views.province_networks, name="province_networks"),
    path("districts/<str:code>/partners/", views.partner_list, name="partner_list"),
    path("districts/<str:code>/partners/new/", views.partner_edit, name="partner_new"),
    path("districts/<str:code>/partners/<int:pk>/", views.partner_edit, name="partner_edit"),
]
