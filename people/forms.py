"""Forms for the programme's people: sages, forums, the network's members, partners."""

from django import forms
from django.utils.translation import gettext_lazy as _

from districts.forms import BEDateField, CrispyModelForm, RecordsField
from districts.models import Officer, Role, by_given_name
from people.models import Forum, Partner, Sage


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
        field_classes = {"sages": RecordsField, "officers": RecordsField}
        widgets = {
            "sages": forms.CheckboxSelectMultiple,
            "officers": forms.CheckboxSelectMultiple,
            "learned": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
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
    members = RecordsField(
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
