from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from districts.forms import PasswordChangeForm
from evaluations import views as dashboards
from sammachip import views

admin.site.site_header = _("Sammachip portal administration")
admin.site.site_title = _("Sammachip portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            form_class=PasswordChangeForm, success_url=reverse_lazy("password_change_done")
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/tokens/", views.api_tokens, name="api_tokens"),
    path("accounts/tokens/<str:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("districts/<str:code>/", dashboards.district_dashboard, name="district_detail"),
    path("provinces/<str:code>/", dashboards.province_dashboard, name="province_detail"),
    path("country/", dashboards.country_dashboard, name="country"),
    path("audit/", views.audit_log, name="audit_log"),
    path("", include("people.urls")),
    path("", include("assignments.urls")),
    path("", include("fieldwork.urls")),
    path("", include("evaluations.urls")),
    path("", include("imports.urls")),
    path("", include("districts.notify.urls")),
    path("api/v1/", include("sammachip.api.urls")),
    path("admin/", admin.site.urls),
]
