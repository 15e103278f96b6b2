"""/api/v1/: the endpoints, the OpenAPI schema and its documentation page (Swagger UI from
drf-spectacular-sidecar, served by the app: no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from sammachip.api import views

app_name = "api"

router = SimpleRouter()
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("tambons", views.TambonViewSet, basename="tambon")
router.register("villages", views.VillageViewSet, basename="village")
router.register("years", views.FiscalYearViewSet, basename="year")
router.register("stages", views.StageViewSet, basename="stage")
router.register("targets", views.TargetViewSet, basename="target")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("advice", views.AdviceViewSet, basename="advice")
router.register("sages", views.SageViewSet, basename="sage")
router.register("forums", views.ForumViewSet, basename="forum")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("budget-lines", views.BudgetLineViewSet, basename="budget_line")
router.register("disbursements", views.DisbursementViewSet, basename="disbursement")

urlpatterns = [
    *router.urls,
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[AllowAny], authentication_classes=[]
        ),
        name="docs",
    ),
]

# The API answers for itself (401 in JSON), not with the portal's login page
for pattern in urlpatterns:
    pattern.callback.login_required = False
