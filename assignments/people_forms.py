"""Forms for the programme's people: sages, forums, partners, households, support teams."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import Household, PartnerSupport, SupportTeamMember, TeamRole
from districts.forms import BEDateField, BootstrapWidgets
from districts.models import Forum, Officer, Partner, Role, Sage, by_given_name


class CrispyModelForm(forms.ModelForm):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class SageForm(CrispyModelForm):
    class Meta:
        model = Sage
        fields = ["name", "village", "expertise", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.select_related("tambon")
        self.fields["village"].label_from_instance = lambda v: (
            f"{v.name} {_('Moo')} {v.moo} · {_('Tambon')} {v.tambon.name}"
        )


class ForumForm(CrispyModelForm):
    date = BEDateField(label=_("Date"))

    class Meta:
        model = Forum
        fields = ["date", "place", "topic", "status", "sages", "officers", "learned", "follow_up"]
        widgets = {
            "sages": forms.CheckboxSelectMultiple,
            "officers": forms.CheckboxSelectMultiple,
            "learned": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sages"].queryset = network.members.order_by(by_given_name())
        self.fields["officers"].queryset = (
            Officer.objects.filter(district_id=network.district_id, is_active=True)
            .filter(role__in=[Role.HEAD, Role.OFFICER])
            .select_related("user")
            .order_by("role", "user__username")
        )
        self.fields["officers"].label_from_instance = lambda o: o.user.display_name

    def clean(self):
        cleaned = super().clean()
        attended = cleaned.get("sages") or cleaned.get("officers")
        if cleaned.get("status") == "held" and not attended:
            self.add_error("sages", _("A forum that was held needs its attendance."))
        return cleaned


class NetworkMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=Sage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Members"),
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Sage.objects.filter(district=district).select_related(
            "village"
        )
        self.fields["members"].label_from_instance = lambda s: f"{s.name} ({s.expertise})"


class PartnerForm(CrispyModelForm):
    class Meta:
        model = Partner
        fields = ["name", "contact_name", "phone", "email"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Partner.objects.filter(district=self.instance.district, name=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This district already has a partner with this name."))
        return name


class HouseholdForm(CrispyModelForm):
    joined_on = BEDateField(label=_("Joined on"), required=False)

    class Meta:
        model = Household
        fields = [
            "target",
            "head_name",
            "livelihood",
            "baseline_income",
            "still_practising",
            "followup_income",
            "is_neighbour",
            "joined_on",
        ]
        widgets = {
            "baseline_income": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
            "followup_income": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
            "still_practising": forms.NullBooleanSelect,
        }

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets.select_related("village")
        self.fields["target"].label_from_instance = lambda t: (
            f"{t.village.name} {_('Moo')} {t.village.moo} ({t.year_id})"
        )

    def clean(self):
        cleaned = super().clean()
        joined, target = cleaned.get("joined_on"), cleaned.get("target")
        if joined and target and not (target.year.start_date <= joined):
            self.add_error("joined_on", _("A household joins during or after its target year."))
        return cleaned


class TeamMemberForm(BootstrapWidgets, CrispyModelForm):
    submit_label = _("Add to the team")

    class Meta:
        model = SupportTeamMember
        fields = ["name", "role", "sage", "phone"]

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.target = target
        self.fields["sage"].queryset = Sage.objects.filter(district_id=target.district_id)
        self.fields["role"].initial = TeamRole.MEMBER

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == TeamRole.LEADER:
            if not cleaned.get("sage"):
                self.add_error("sage", _("The team leader is the village's sage: choose the sage."))
            leaders = SupportTeamMember.objects.filter(target=self.instance.target, role="leader")
            if leaders.exclude(pk=self.instance.pk).exists():
                self.add_error("role", _("This team already has a leader."))
        return cleaned


class PartnerSupportForm(BootstrapWidgets, CrispyModelForm):
    submit_label = _("Add the partner")

    class Meta:
        model = PartnerSupport
        fields = ["partner", "project"]

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.target = target
        self.fields["partner"].queryset = Partner.objects.filter(district_id=target.district_id)

    def clean(self):
        cleaned = super().clean()
        same = PartnerSupport.objects.filter(
            target=self.instance.target,
            partner=cleaned.get("partner"),
            project=cleaned.get("project", ""),
        )
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This partner already backs this village for that."))
        return cleaned
