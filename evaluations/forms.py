from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Rating, VillageEvaluation


class EvaluationForm(forms.ModelForm):
    """Only what the records cannot know; the rest is computed."""

    class Meta:
        model = VillageEvaluation
        fields = ["group_formed", "group_name", "lessons"]
        widgets = {"lessons": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group_formed") and not cleaned.get("group_name", "").strip():
            self.add_error("group_name", _("Give the group's name."))
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return with a comment"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say why the evaluation is returned."))
        return cleaned


class OfficerReviewForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
