"""Forms of the district's plan and its team meetings (assignments/plans.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.plans import Meeting, MeetingAction, district_staff
from districts.forms import BEDateField, BootstrapWidgets, RecordsField
from districts.lib.thai import format_be_input


class CheckList(forms.CheckboxSelectMultiple):
    """Checkboxes, one a line: the Bootstrap class on each box, not on the list around them
    (Django's template gives the list the widget's class too, and a list styled as one
    checkbox is a column one letter wide)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        outer = context["widget"]["attrs"]
        context["widget"]["attrs"] = {k: v for k, v in outer.items() if k != "class"}
        return context


class StageDatesForm(BootstrapWidgets, forms.Form):
    """A date per stage, each optional: a village's planned dates, or a year's deadlines."""

    def __init__(self, *args, stages, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = stages
        for stage in stages:
            hint = (hints or {}).get(stage.pk)
            self.fields[stage.code] = BEDateField(
                label=str(stage), required=False, help_text=hint or ""
            )

    def dates(self) -> dict:
        """``{stage: date or None}`` from a valid form."""
        return {stage: self.cleaned_data.get(stage.code) for stage in self.stages}


def deadline_hints(deadlines: dict) -> dict:
    return {
        stage_id: _("Deadline %(date)s") % {"date": format_be_input(day)}
        for stage_id, day in deadlines.items()
    }


class MeetingForm(BootstrapWidgets, forms.ModelForm):
    date = BEDateField(label=_("Meeting date"))
    attendees = RecordsField(
        queryset=None,
        required=False,
        widget=CheckList,
        label=_("Who attended"),
    )

    class Meta:
        model = Meeting
        fields = ["date", "agenda", "attendees", "decisions"]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["attendees"].queryset = (
            district_staff(district.pk).select_related("user").order_by("role", "user__username")
        )
        self.fields["attendees"].label_from_instance = lambda o: o.user.display_name


class ActionForm(BootstrapWidgets, forms.ModelForm):
    """A new follow-up action of a meeting; a row left empty is no action."""

    due = BEDateField(label=_("Due date"))

    class Meta:
        model = MeetingAction
        fields = ["text", "owner", "due"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            district_staff(district.pk).select_related("user").order_by("role", "user__username")
        )
        self.fields["owner"].label_from_instance = lambda o: o.user.display_name
        self.fields["owner"].empty_label = _("— choose —")


class BaseActionFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, queryset=MeetingAction.objects.none(), **kwargs)
        self.district = district

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "district": self.district}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            district=self.district,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def new_actions(self) -> list[MeetingAction]:
        return [
            form.save(commit=False)
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


ActionFormSet = forms.modelformset_factory(
    MeetingAction, form=ActionForm, formset=BaseActionFormSet, extra=2, can_delete=False
)
