"""What each endpoint returns: the records' own fields with the codes and names of what they
point to (read in the list's one query), never a household's name or income."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assignments.models import FiscalYear, Stage, TargetVillage
from districts.models import District, Province, Tambon, Village
from evaluations.models import VillageEvaluation
from fieldwork.budget import BudgetLine, Disbursement
from fieldwork.models import FieldVisit, PartnerSupport, VisitAdvice
from people.models import Forum, Partner, Sage


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_th", "name_en", "lat", "lon"]


class DistrictSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")

    class Meta:
        model = District
        fields = ["code", "province", "name_th", "name_en", "lat", "lon"]


class TambonSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id")

    class Meta:
        model = Tambon
        fields = ["code", "district", "name_th", "name_en", "lat", "lon"]


class VillageSerializer(serializers.ModelSerializer):
    tambon = serializers.CharField(source="tambon_id")

    class Meta:
        model = Village
        fields = ["code", "tambon", "moo", "name_th", "name_en", "households"]


class FiscalYearSerializer(serializers.ModelSerializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()

    class Meta:
        model = FiscalYear
        fields = ["year", "start_date", "end_date"]


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["code", "order", "name_th", "name_en", "neglect_days"]


class OfficerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.display_name")


class TargetSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id")
    village_name = serializers.CharField(source="village.name_th")
    moo = serializers.IntegerField(source="village.moo")
    tambon = serializers.CharField(source="village.tambon_id")
    district = serializers.CharField(source="district_id")
    year = serializers.IntegerField(source="year_id")
    stage = serializers.CharField(source="stage.code", allow_null=True, default=None)
    stage_order = serializers.IntegerField(source="stage.order", allow_null=True, default=None)
    sage = serializers.IntegerField(source="sage_id", allow_null=True)
    officer = serializers.SerializerMethodField(help_text=_("The officer it is assigned to now."))
    budget_spent = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text=_("Spent so far: its disbursements (an advance, until cleared, in full)."),
    )

    class Meta:
        model = TargetVillage
        fields = [
            "id",
            "village",
            "village_name",
            "moo",
            "tambon",
            "district",
            "year",
            "stage",
            "stage_order",
            "livelihood",
            "budget_allocated",
            "budget_spent",
            "sage",
            "officer",
            "updated_at",
        ]

    @extend_schema_field(OfficerRef(allow_null=True))
    def get_officer(self, target):
        active = target.active_assignments
        if not active:
            return None
        officer = active[0].officer  # a plain dict: a serializer a row cost 1 ms (bench/api.py)
        return {"id": officer.pk, "name": officer.user.display_name}


class VisitSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id")
    village = serializers.CharField(source="target.village_id")
    district = serializers.CharField(source="target.district_id")
    stage = serializers.CharField(source="stage.code")
    officer = OfficerRef()
    photos = serializers.IntegerField(source="n_photos", help_text=_("Number of photos."))

    class Meta:
        model = FieldVisit
        fields = [
            "id",
            "target",
            "village",
            "district",
            "officer",
            "date",
            "stage",
            "activity",
            "sage_took_part",
            "support_team_count",
            "household_count",
            "partners",
            "notes",
            "lat",
            "lon",
            "accuracy_m",
            "far_from_village",
            "needs_more",
            "needs_more_reason",
            "photos",
            "created_at",
            "saved_on_phone_at",
            "submission",
            "updated_at",
        ]


class VisitCreateSerializer(serializers.Serializer):
    """A visit as the visit form takes it (the same rules: fieldwork.sync.submit_visit)."""

    submission = serializers.UUIDField(
        help_text=_("The visit's one-time token: the same token sent again stores nothing new.")
    )
    target = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    date = serializers.DateField()
    stage = serializers.SlugRelatedField(slug_field="code", queryset=Stage.objects.all())
    activity = serializers.CharField(max_length=300)
    sage_took_part = serializers.BooleanField(default=False)
    support_team_count = serializers.IntegerField(min_value=0, max_value=99, default=0)
    household_count = serializers.IntegerField(min_value=0, max_value=999, default=0)
    partners = serializers.CharField(max_length=300, allow_blank=True, default="")
    notes = serializers.CharField(allow_blank=True, default="", max_length=10000)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    accuracy_m = serializers.FloatField(min_value=0, max_value=1e6, required=False, allow_null=True)
    saved_on_phone_at = serializers.DateTimeField(required=False, allow_null=True)


class AdviceSerializer(serializers.ModelSerializer):
    visit = serializers.IntegerField(source="visit_id")
    author = serializers.CharField(source="author.display_name")

    class Meta:
        model = VisitAdvice
        fields = ["id", "visit", "author", "text", "created_at", "read_at", "updated_at"]


class SageSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id")
    district = serializers.CharField(source="district_id")

    class Meta:
        model = Sage
        fields = ["id", "name", "village", "district", "expertise", "phone", "updated_at"]


class ForumSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="network.district_id")

    class Meta:
        model = Forum
        fields = [
            "id",
            "district",
            "date",
            "place",
            "topic",
            "status",
            "learned",
            "follow_up",
            "updated_at",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id")

    class Meta:
        model = Partner
        fields = ["id", "district", "name", "contact_name", "phone", "email", "updated_at"]


class ProjectSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id")
    target = serializers.IntegerField(source="target_id")
    district = serializers.CharField(source="target.district_id")

    class Meta:
        model = PartnerSupport
        fields = [
            "id",
            "partner",
            "target",
            "district",
            "project",
            "amount",
            "in_kind",
            "start_date",
            "end_date",
            "status",
            "updated_at",
        ]


class BudgetLineSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id")
    district = serializers.CharField(source="target.district_id")
    year = serializers.IntegerField(source="target.year_id")
    category = serializers.CharField(source="category.name")

    class Meta:
        model = BudgetLine
        fields = ["id", "target", "district", "year", "category", "planned_amount", "planned_month"]


class DisbursementSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(source="line_id")
    target = serializers.IntegerField(source="line.target_id")
    district = serializers.CharField(source="line.target.district_id")
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    has_receipt = serializers.SerializerMethodField(
        help_text=_("A receipt is kept (read it on the portal, by the scope check).")
    )
    overspend_approved = serializers.SerializerMethodField(
        help_text=_("Over what was left on the line, approved by the district head.")
    )

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "line",
            "target",
            "district",
            "kind",
            "date",
            "amount",
            "purpose",
            "visit",
            "has_receipt",
            "cleared_on",
            "cleared_amount",
            "overspend_approved",
            "recorded_at",
        ]

    def get_has_receipt(self, disbursement) -> bool:
        return bool(disbursement.receipt)

    def get_overspend_approved(self, disbursement) -> bool:
        return disbursement.over_approved_by_id is not None


class EvaluationSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id")
    district = serializers.CharField(source="target.district_id")
    year = serializers.IntegerField(source="target.year_id")

    class Meta:
        model = VillageEvaluation
        fields = [
            "id",
            "target",
            "district",
            "year",
            "round",
            "date",
            "status",
            "group_formed",
            "group_name",
            "lessons",
            "households_total",
            "households_practising",
            "households_income_rose",
            "income_change_avg",
            "neighbours_joined",
            "partners_backing",
            "village_households",
            "groups_active",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        ]


class FiguresRow(serializers.Serializer):
    """One district's (or province's) dashboard figures for the year: counts and sums,
    households as numbers only."""

    key = serializers.CharField(help_text=_("District or province code."))
    targets = serializers.IntegerField()
    assigned = serializers.IntegerField()
    visited_recently = serializers.IntegerField()
    budget_allocated = serializers.DecimalField(max_digits=16, decimal_places=2)
    budget_spent = serializers.DecimalField(max_digits=16, decimal_places=2)
    households = serializers.IntegerField()
    practising = serializers.IntegerField()
    income_rose = serializers.IntegerField()
    income_followed = serializers.IntegerField()
    income_change_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    neighbours = serializers.IntegerField()
    evaluations_approved = serializers.IntegerField()
    village_households = serializers.IntegerField()
    spread_households = serializers.IntegerField()
    partner_active = serializers.IntegerField()
    income_latest = serializers.DateField(allow_null=True)
    stages = serializers.DictField(child=serializers.IntegerField())


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    by = serializers.ChoiceField(choices=["district", "province"])
    old_since = serializers.DateTimeField(
        allow_null=True, help_text=_("Rows older than the last writes were computed then.")
    )
    results = FiguresRow(many=True)


class VisitSavedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["saved", "repeated"])
    visit = VisitSerializer()
