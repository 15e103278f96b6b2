"""Forms for the work in the target villages: visits and photos, advice, households, the
support team, partner support."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Stage
from districts.forms import BEDateField, BootstrapWidgets, CrispyModelForm
from districts.lib import photos
from fieldwork.models import FieldVisit, Household, PartnerSupport, SupportTeamMember, TeamRole
from people.models import Partner, Sage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by its content, not its name."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


PHOTO_ERRORS = {
    "too_large": _("“%(name)s” is larger than %(mb)s MB. Choose a smaller photo."),
    "empty": _("“%(name)s” is empty."),
    "not_image": _("“%(name)s” is not a photo (JPEG, PNG or WebP)."),
    "too_many_pixels": _(
        "“%(name)s” has more than %(mp)d megapixels, more than a phone camera makes. "
        "Choose a smaller photo."
    ),
}


class VisitForm(BootstrapWidgets, forms.ModelForm):
    date = BEDateField(
        label=_("Visit date"),
        help_text=_("Day/month/Buddhist-era year, e.g. 15/06/2560; on a number pad 15062560."),
    )
    photos = PhotosField(label=_("Photos"), required=False)
    keep_location = forms.BooleanField(
        label=_("Keep the photos' GPS position"),
        required=False,
        help_text=_(
            "Off by default: a photo's position can show where villagers live. "
            "Kept, the photos are sent at full size rather than made smaller first."
        ),
    )
    # A new token with each empty form, sent back with it: a second send of the same form is
    # recognised (services.visit_log).
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = FieldVisit
        fields = [
            "target",
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
        ]
        widgets = {
            "lat": forms.HiddenInput,
            "lon": forms.HiddenInput,
            "accuracy_m": forms.HiddenInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "support_team_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "household_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, targets, year=None, followups=frozenset(), officer=None, **kwargs):
        super().__init__(*args, **kwargs)
        # who logs it: a visit in a later year than its village's is theirs only if they hold
        # the village's follow-up (FieldVisit.clean, which the form's validation runs)
        self.instance.officer = officer
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda t: self._target_label(t, year, followups)
        self.fields["stage"].queryset = Stage.objects.order_by("order")
        self.fields["stage"].label_from_instance = lambda s: s.name

    @staticmethod
    def _target_label(target, year, followups) -> str:
        """A village whose follow-up the officer holds says so, with its own fiscal year."""
        label = (
            f"{target.village.name} {_('Moo')} {target.village.moo} · "
            f"{_('Tambon')} {target.village.tambon.name}"
        )
        if target.pk in followups:
            label += " · " + _("follow-up of fiscal year %(year)s") % {"year": target.year_id}
        return label

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return day

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > settings.PHOTO_MAX_COUNT:
            raise forms.ValidationError(
                _("At most %(n)d photos per visit.") % {"n": settings.PHOTO_MAX_COUNT}
            )
        # weighed from their headers before any is decoded: decoding is what takes the
        # seconds and the memory (150 MB for each 50 MP), not the file's size
        pixels = sum(photos.pixel_count(upload) for upload in files)
        if pixels > settings.PHOTO_MAX_VISIT_PIXELS:
            raise forms.ValidationError(
                _(
                    "These photos have %(mp)d megapixels together; a visit takes at most "
                    "%(max)d. Send fewer photos, or smaller ones."
                )
                % {"mp": pixels // 1_000_000, "max": settings.PHOTO_MAX_VISIT_PIXELS // 1_000_000}
            )
        processed, errors = [], []
        keep = bool(self.data.get("keep_location"))
        for upload in files:
            if upload.size > settings.PHOTO_MAX_BYTES:
                code = "too_large"
            else:
                try:
                    processed.append(
                        photos.process(
                            upload.read(),
                            keep_location=keep,
                            max_bytes=settings.PHOTO_MAX_BYTES,
                            max_pixels=settings.PHOTO_MAX_PIXELS,
                        )
                    )
                    continue
                except photos.PhotoRejected as exc:
                    code = exc.code
            errors.append(
                PHOTO_ERRORS[code]
                % {
                    "name": upload.name,
                    "mb": settings.PHOTO_MAX_BYTES // (1024 * 1024),
                    "mp": settings.PHOTO_MAX_PIXELS // 1_000_000,
                }
            )
        if errors:
            raise forms.ValidationError(errors)
        return processed

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            cleaned["lat"] = cleaned["lon"] = cleaned["accuracy_m"] = None
        return cleaned


class AdviceForm(forms.Form):
    text = forms.CharField(label=_("Advice"), widget=forms.Textarea(attrs={"rows": 3}))
    needs_more = forms.BooleanField(label=_("Needs more work"), required=False)
    needs_more_reason = forms.CharField(label=_("What more is needed"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs_more") and not cleaned.get("needs_more_reason", "").strip():
            self.add_error("needs_more_reason", _("Say what more is needed."))
        return cleaned


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
