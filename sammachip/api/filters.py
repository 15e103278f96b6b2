"""The list endpoints' filters: by place (codes), fiscal year, stage and ``updated_since``
(exactly the rows changed after the moment given, for systems that sync)."""

from __future__ import annotations

import django_filters as df
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assignments.models import VillageAssignment

CODE = r"^[0-9]+$"


def place_filters(district_path: str) -> dict:
    """province, district and tambon codes, for records whose district is ``district_path``
    ('' for District itself) and whose tambon follows from the village."""
    prefix = f"{district_path}__" if district_path else ""
    return {
        "province": df.CharFilter(
            field_name=f"{prefix}province_id" if district_path else "province_id",
            help_text=_("Province code (2 digits)."),
            max_length=2,
        ),
        "district": df.CharFilter(
            field_name=f"{district_path}_id" if district_path else "code",
            help_text=_("District code (4 digits)."),
            max_length=4,
        ),
    }


def filterset(
    model, *, district: str | None, tambon: str | None = None, year=None, stage=None, updated=True
):
    """A FilterSet class for ``model`` with the filters that apply to it."""
    attrs = {}
    if district is not None:
        attrs |= place_filters(district)
    if tambon is not None:
        attrs["tambon"] = df.CharFilter(
            field_name=tambon, help_text=_("Tambon code (6 digits)."), max_length=6
        )
    if year is not None:
        attrs["year"] = df.NumberFilter(
            field_name=year,
            help_text=_("Fiscal year, Buddhist era (e.g. 2560)."),
            min_value=2500,
            max_value=2700,
        )
    if stage is not None:
        attrs["stage"] = df.CharFilter(field_name=stage, help_text=_("Stage code."), max_length=30)
    if updated:
        attrs["updated_since"] = df.IsoDateTimeFilter(
            field_name="updated_at",
            lookup_expr="gt",
            help_text=_(
                "Only rows changed after this moment (ISO 8601, e.g. 2017-06-01T00:00:00Z)."
            ),
        )
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (df.FilterSet,), attrs)


def targets_filterset(model):
    """Targets change with their assignment too: ``updated_since`` also finds a target whose
    officer was given or taken after the moment."""
    base = filterset(
        model,
        district="district",
        tambon="village__tambon_id",
        year="year_id",
        stage="stage__code",
        updated=False,
    )

    def updated_since(queryset, name, value):
        moved = VillageAssignment.objects.filter(
            Q(assigned_at__gt=value) | Q(ended_at__gt=value), target=OuterRef("pk")
        )
        return queryset.filter(Q(updated_at__gt=value) | Exists(moved))

    attrs = {
        "updated_since": df.IsoDateTimeFilter(
            method=lambda qs, name, value: updated_since(qs, name, value),
            help_text=_(
                "Only targets changed (or given to another officer) after this moment (ISO 8601)."
            ),
        ),
        "Meta": base.Meta,
    }
    return type("TargetFilter", (base,), attrs)
