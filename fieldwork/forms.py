"""Forms for the work in the target villages: visits and photos, advice, households, the
support team, partner support."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Stage
from districts.forms import BEDateField, BootstrapWidgets, CrispyModelForm, RecordsField
from districts.lib import photos
from fieldwork.models import (
    Attendance,
    FieldVisit,
    GroupStatus,
    Household,
    IncomeKind,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
    ProjectStatus,
    SupportTeamMember,
    TeamRole,
)
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
            "saved_on_phone_at",
        ]
        widgets = {
            "lat": forms.HiddenInput,
            "lon": forms.HiddenInput,
            "accuracy_m": forms.HiddenInput,
            "saved_on_phone_at": forms.HiddenInput,
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

    def clean_saved_on_phone_at(self):
        # A phone's clock may be wrong: a time ahead of the server's is the server's time,
        # never a visit saved in the future.
        saved = self.cleaned_data.get("saved_on_phone_at")
        return min(saved, timezone.now()) if saved else None

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
    """A household's own record; a new one gives its baseline income (the first round) too.
    Later rounds are added on the household's page (IncomeRoundForm)."""

    joined_on = BEDateField(label=_("Joined on"), required=False)
    baseline_income = forms.DecimalField(
        label=_("Baseline monthly income (baht)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
    )
    baseline_date = BEDateField(
        label=_("Date of the baseline"),
        help_text=_("When the income was asked. Day/month/Buddhist-era year."),
    )

    class Meta:
        model = Household
        fields = [
            "target",
            "head_name",
            "livelihood",
            "still_practising",
            "is_neighbour",
            "joined_on",
        ]
        widgets = {"still_practising": forms.NullBooleanSelect}

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets.select_related("village")
        self.fields["target"].label_from_instance = lambda t: (
            f"{t.village.name} {_('Moo')} {t.village.moo} ({t.year_id})"
        )
        if self.instance.pk:  # its rounds are kept on its own page
            del self.fields["baseline_income"], self.fields["baseline_date"]
        else:
            self.fields["baseline_date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        joined, target = cleaned.get("joined_on"), cleaned.get("target")
        if joined and target and not (target.year.start_date <= joined):
            self.add_error("joined_on", _("A household joins during or after its target year."))
        day = cleaned.get("baseline_date")
        if day and day > timezone.localdate():
            self.add_error("baseline_date", _("A round cannot be in the future."))
        return cleaned


class IncomeRoundForm(BootstrapWidgets, forms.ModelForm):
    date = BEDateField(
        label=_("Date of the round"),
        help_text=_("Day/month/Buddhist-era year, e.g. 15/06/2561."),
    )

    class Meta:
        model = IncomeRound
        fields = ["date", "kind", "income"]
        widgets = {"income": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0})}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        rounds = IncomeRound.objects.filter(household=self.instance.household)
        if day and day > timezone.localdate():
            self.add_error("date", _("A round cannot be in the future."))
        elif day and rounds.filter(date=day).exists():
            self.add_error("date", _("This household already has a round on that day."))
        baseline = rounds.filter(kind=IncomeKind.BASELINE).first()
        if kind == IncomeKind.BASELINE and baseline is not None:
            self.add_error("kind", _("This household has its baseline already."))
        if kind == IncomeKind.FOLLOWUP and day:
            if baseline is None:
                self.add_error("kind", _("Record the baseline first."))
            elif day <= baseline.date:
                self.add_error("date", _("A follow-up comes after the baseline."))
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
    """A partner's project in the village (or for one of its groups)."""

    submit_label = _("Save the project")
    start_date = BEDateField(label=_("Start date"), required=False)
    end_date = BEDateField(label=_("End date"), required=False)

    class Meta:
        model = PartnerSupport
        fields = [
            "partner",
            "group",
            "project",
            "amount",
            "in_kind",
            "start_date",
            "end_date",
            "status",
            "result",
        ]
        widgets = {
            "amount": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
            "result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.target = target
        self.fields["partner"].queryset = Partner.objects.filter(district_id=target.district_id)
        self.fields["group"].queryset = LivelihoodGroup.objects.filter(target=target)
        self.fields["status"].required = False  # a new project is active unless told

    def clean_status(self):
        return self.cleaned_data.get("status") or ProjectStatus.ACTIVE

    def clean(self):
        cleaned = super().clean()
        same = PartnerSupport.objects.filter(
            target=self.instance.target,
            partner=cleaned.get("partner"),
            project=cleaned.get("project", ""),
        )
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This partner already backs this village for that."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project ends before it starts."))
        return cleaned

    def validate_unique(self):
        pass  # the clean() above says it in the users' words


class LivelihoodGroupForm(BootstrapWidgets, CrispyModelForm):
    submit_label = _("Save the group")
    members = RecordsField(
        label=_("Members"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Households of the village, target or neighbouring."),
    )

    class Meta:
        model = LivelihoodGroup
        fields = [
            "name",
            "livelihood",
            "products",
            "markets",
            "monthly_sales",
            "status",
            "support",
            "members",
        ]
        widgets = {
            "monthly_sales": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
            "support": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.target = target
        self.fields["members"].queryset = Household.objects.filter(target=target)
        self.fields["members"].label_from_instance = lambda h: (
            f"{h.head_name} ({_('neighbour')})" if h.is_neighbour else h.head_name
        )
        self.fields["status"].initial = GroupStatus.FORMING

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        same = LivelihoodGroup.objects.filter(target=self.instance.target, name=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This village already has a group of that name."))
        return name

    def validate_unique(self):
        pass  # clean_name says it in the users' words


class AttendanceForm(forms.Form):
    """Which of the village's households came: the visit's sign-in sheet."""

    households = RecordsField(
        label=_("Households present"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["households"]
        field.queryset = Household.objects.filter(target_id=visit.target_id)
        field.label_from_instance = lambda h: (
            f"{h.head_name} ({_('neighbour')})" if h.is_neighbour else h.head_name
        )
        if not self.is_bound:
            field.initial = list(
                Attendance.objects.filter(visit=visit).values_list("household_id", flat=True)
            )


class VillageHouseholdsForm(forms.Form):
    households = forms.IntegerField(
        label=_("Households in the village"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("From the village record. Empty: not known."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
    )
