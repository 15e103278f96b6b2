import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assignments.models import Stage
from districts.forms import BEDateField, BootstrapWidgets
from districts.models import Officer, Role, Tambon
from fieldwork.models import FieldVisit, VisitAdvice


class BEDateFilter(django_filters.DateFilter):
    field_class = BEDateField


class FilterForm(BootstrapWidgets, forms.Form):
    """Laid out with forms/field.html, like the visit form (docs/performance.md)."""


class VisitFilter(django_filters.FilterSet):
    officer = django_filters.ModelChoiceFilter(
        queryset=Officer.objects.none(), label=_("Officer"), empty_label=_("All")
    )
    tambon = django_filters.ModelChoiceFilter(
        field_name="target__village__tambon",
        queryset=Tambon.objects.none(),
        label=_("Tambon"),
        empty_label=_("All"),
    )
    village = django_filters.CharFilter(method="filter_village", label=_("Village"))
    stage = django_filters.ModelChoiceFilter(
        queryset=Stage.objects.all(), label=_("Stage"), empty_label=_("All")
    )
    date_from = BEDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = BEDateFilter(field_name="date", lookup_expr="lte", label=_("Until"))
    advice = django_filters.ChoiceFilter(
        choices=[("none", _("No advice yet")), ("given", _("Advised"))],
        label=_("Advice"),
        empty_label=_("All"),
        method="filter_advice",
    )
    needs_more = django_filters.BooleanFilter(
        label=_("Needs more"), widget=forms.CheckboxInput, method="filter_needs_more"
    )

    class Meta:
        model = FieldVisit
        fields = []
        form = FilterForm

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        officers = (
            Officer.objects.filter(district=district, role__in=[Role.OFFICER, Role.HEAD])
            .select_related("user")
            .order_by("user__username")
        )
        self.filters["officer"].queryset = officers
        self.filters["officer"].field.label_from_instance = lambda o: o.user.display_name
        self.filters["tambon"].queryset = Tambon.objects.filter(district=district)
        self.filters["tambon"].field.label_from_instance = lambda t: t.name
        self.filters["stage"].field.label_from_instance = lambda s: s.name

    def filter_village(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(target__village__name_th__icontains=value) | Q(target__village__code=value)
        )

    def filter_advice(self, queryset, name, value):
        """The head's queue: visits nobody has advised on yet (newest first, as listed)."""
        advised = VisitAdvice.objects.filter(visit=OuterRef("pk"))
        return queryset.filter(~Exists(advised) if value == "none" else Exists(advised))

    def filter_needs_more(self, queryset, name, value):
        return queryset.filter(needs_more=True) if value else queryset
