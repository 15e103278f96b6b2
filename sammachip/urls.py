from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from sammachip import views

admin.site.site_header = _("Sammachip portal administration")
admin.site.site_title = _("Sammachip portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("districts/<str:code>/", views.district_detail, name="district_detail"),
    path("provinces/<str:code>/", views.province_detail, name="province_detail"),
    path("", include("assignments.urls")),
    path("admin/", admin.site.urls),
]
