"""The API's endpoints: each reads through the same ``visible_to(user)`` as the pages (a
token reads what its user reads), lists a page at a time by cursor in a fixed order, and
writes only through the portal's own code paths."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from assignments import years
from assignments.models import FiscalYear, Stage, TargetVillage, VillageAssignment
from districts.models import District, Province, Role, Tambon, Village, scope_of
from evaluations import services as figures
from evaluations.models import VillageEvaluation
from fieldwork.budget import BudgetLine, Disbursement, spent_per_target
from fieldwork.models import FieldVisit, PartnerSupport, VisitAdvice
from fieldwork.sync import submit_visit
from people.models import Forum, Partner, Sage
from sammachip.api import filters
from sammachip.api import serializers as s
from sammachip.api.auth import token_of
from sammachip.api.errors import refused

ID = "[0-9]{1,18}"  # a record id a 64-bit key holds: longer names nothing (never a DB error)


class Scoped(viewsets.ReadOnlyModelViewSet):
    """A list and a record of one kind, in the user's scope (out of scope: 404)."""

    cursor_ordering = ("pk",)
    lookup_value_regex = ID

    def scoped(self, user):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped(self.request.user)


class ProvinceViewSet(Scoped):
    serializer_class = s.ProvinceSerializer
    cursor_ordering = ("code",)
    lookup_field = "code"
    lookup_value_regex = "[0-9]{2}"

    def scoped(self, user):
        return Province.objects.visible_to(user)


class DistrictViewSet(Scoped):
    serializer_class = s.DistrictSerializer
    filterset_class = filters.filterset(District, district="", updated=False)
    cursor_ordering = ("code",)
    lookup_field = "code"
    lookup_value_regex = "[0-9]{4}"

    def scoped(self, user):
        return District.objects.visible_to(user)


class TambonViewSet(Scoped):
    serializer_class = s.TambonSerializer
    filterset_class = filters.filterset(Tambon, district="district", updated=False)
    cursor_ordering = ("code",)
    lookup_field = "code"
    lookup_value_regex = "[0-9]{6}"

    def scoped(self, user):
        return Tambon.objects.visible_to(user)


class VillageViewSet(Scoped):
    serializer_class = s.VillageSerializer
    filterset_class = filters.filterset(
        Village, district="tambon__district", tambon="tambon_id", updated=False
    )
    cursor_ordering = ("code",)
    lookup_field = "code"
    lookup_value_regex = "[0-9]{8}"

    def scoped(self, user):
        return Village.objects.visible_to(user)


class FiscalYearViewSet(Scoped):
    """The fiscal years of the programme (every user reads them)."""

    serializer_class = s.FiscalYearSerializer
    cursor_ordering = ("year",)
    lookup_value_regex = "[0-9]{4}"

    def scoped(self, user):
        return FiscalYear.objects.all()


class StageViewSet(Scoped):
    """The programme's stages (every user reads them)."""

    serializer_class = s.StageSerializer
    cursor_ordering = ("order",)
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,30}"

    def scoped(self, user):
        return Stage.objects.all()


class TargetViewSet(Scoped):
    """Target villages with their officer now and their stage."""

    serializer_class = s.TargetSerializer
    filterset_class = filters.targets_filterset(TargetVillage)

    def scoped(self, user):
        return (
            TargetVillage.objects.visible_to(user)
            .select_related("village", "stage")
            .annotate(budget_spent=spent_per_target())
        )

    # The page's officers in one query by the targets' ids: a prefetch by the target objects
    # cost 4 ms of Python per row at national scale (bench/api.py, docs/performance.md)
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_officers(page)

    def get_object(self):
        return with_officers([super().get_object()])[0]


def with_officers(targets: list) -> list:
    """Each target with ``active_assignments`` (0 or 1, with the officer and their user)."""
    active = {
        a.target_id: a
        for a in VillageAssignment.objects.active()
        .filter(target_id__in=[t.pk for t in targets])
        .select_related("officer__user")
    }
    for target in targets:
        target.active_assignments = [active[target.pk]] if target.pk in active else []
    return targets


class VisitViewSet(Scoped):
    """Field visits (a count of their photos; never a photo's own position); POST logs one."""

    serializer_class = s.VisitSerializer
    filterset_class = filters.filterset(
        FieldVisit,
        district="target__district",
        tambon="target__village__tambon_id",
        year="target__year_id",
        stage="stage__code",
    )
    http_method_names = ["get", "post", "head", "options"]

    def scoped(self, user):
        return (
            FieldVisit.objects.visible_to(user)
            .select_related("target", "officer__user", "stage")
            .annotate(n_photos=Count("photos"))
        )

    @extend_schema(
        request=s.VisitCreateSerializer,
        responses={
            201: s.VisitSavedSerializer,
            200: s.VisitSavedSerializer,
            400: OpenApiResponse(description=str(_("Invalid input."))),
            403: OpenApiResponse(description=str(_("The user logs no visits."))),
            404: OpenApiResponse(description=str(_("No such target village in scope."))),
            422: OpenApiResponse(description=str(_("Refused by the visit form's rules."))),
        },
    )
    def create(self, request, *args, **kwargs):
        """Log a visit: the visit form's rules (fieldwork.sync). The same ``submission``
        sent again answers 200 with the visit stored the first time, and stores nothing."""
        sent = s.VisitCreateSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = dict(sent.validated_data)
        data["stage"] = data["stage"].pk
        data = {k: v for k, v in data.items() if v is not None}
        token = token_of(request)
        reason = f"API: {token.name}"[:100] if token else "API"
        result = submit_visit(request.user, data, change_reason=reason)
        if result.reason is not None:
            user = request.user
            if not TargetVillage.objects.visible_to(user).filter(pk=data["target"]).exists():
                raise NotFound
            officer = user.officer_or_none
            if not (officer and officer.is_active and officer.role in (Role.HEAD, Role.OFFICER)):
                raise PermissionDenied
            return refused(result.reason)
        visit = self.scoped(request.user).get(pk=result.visit.pk)
        return Response(
            {
                "status": "repeated" if result.repeated else "saved",
                "visit": s.VisitSerializer(visit).data,
            },
            status=status.HTTP_200_OK if result.repeated else status.HTTP_201_CREATED,
        )


class AdviceViewSet(Scoped):
    """The district heads' advice on visits."""

    serializer_class = s.AdviceSerializer
    filterset_class = filters.filterset(
        VisitAdvice, district="visit__target__district", year="visit__target__year_id"
    )

    def scoped(self, user):
        return VisitAdvice.objects.filter(
            scope_of(user).district_q("visit__target__district")
        ).select_related("author")


class SageViewSet(Scoped):
    serializer_class = s.SageSerializer
    filterset_class = filters.filterset(Sage, district="district")

    def scoped(self, user):
        return Sage.objects.visible_to(user)


class ForumViewSet(Scoped):
    serializer_class = s.ForumSerializer
    filterset_class = filters.filterset(Forum, district="network__district")

    def scoped(self, user):
        return Forum.objects.visible_to(user).select_related("network")


class PartnerViewSet(Scoped):
    serializer_class = s.PartnerSerializer
    filterset_class = filters.filterset(Partner, district="district")

    def scoped(self, user):
        return Partner.objects.visible_to(user)


class ProjectViewSet(Scoped):
    """Partners' projects in target villages."""

    serializer_class = s.ProjectSerializer
    filterset_class = filters.filterset(
        PartnerSupport, district="target__district", year="target__year_id"
    )

    def scoped(self, user):
        return PartnerSupport.objects.visible_to(user).select_related("target")


class BudgetLineViewSet(Scoped):
    """Target villages' budget lines: the allocation by spending category and month."""

    serializer_class = s.BudgetLineSerializer
    filterset_class = filters.filterset(
        BudgetLine, district="target__district", year="target__year_id", updated=False
    )

    def scoped(self, user):
        return BudgetLine.objects.visible_to(user).select_related("target", "category")


class DisbursementViewSet(Scoped):
    """What was spent against the lines: payments, and advances with their clearance."""

    serializer_class = s.DisbursementSerializer
    filterset_class = filters.filterset(
        Disbursement, district="line__target__district", year="line__target__year_id", updated=False
    )

    def scoped(self, user):
        return Disbursement.objects.visible_to(user).select_related("line__target")


class EvaluationViewSet(Scoped):
    serializer_class = s.EvaluationSerializer
    filterset_class = filters.filterset(
        VillageEvaluation, district="target__district", year="target__year_id"
    )

    def scoped(self, user):
        return VillageEvaluation.objects.visible_to(user).select_related("target")


class FiguresQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2500, max_value=2700, required=False)
    by = serializers.ChoiceField(choices=["district", "province"], default="district")


class FiguresView(APIView):
    """The dashboards' figures for a fiscal year, per district or per province, for the
    districts the user may read (households as counts only)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Fiscal year (BE)."),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["district", "province"]),
        ],
        responses={200: s.FiguresSerializer},
    )
    def get(self, request):
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or years.current_year()
        by = query.validated_data["by"]
        scope = scope_of(request.user)
        district_ids = (
            None
            if scope.everything
            else list(District.objects.visible_to(request.user).values_list("code", flat=True))
        )
        if district_ids == []:
            area = figures.AreaFigures({})
        else:
            area = figures.area_figures(
                year, district_ids=district_ids, by=by, compute_at_most=figures.COMPUTED_BY_A_PAGE
            )
        rows = [area.rows[key] for key in sorted(area.rows)]
        for row in rows:
            row.stages = {str(k): v for k, v in row.stages.items()}
        return Response(
            s.FiguresSerializer(
                {"year": year, "by": by, "old_since": area.old_since, "results": rows}
            ).data
        )
