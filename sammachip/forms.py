"""Forms of the pages that compose the apps: a personal access token."""

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_DAYS = [
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("One year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("What it is for, e.g. the province's reporting system."),
    )
    expires_in = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=EXPIRY_DAYS,
        coerce=int,
        initial=90,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
