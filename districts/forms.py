"""Form pieces every app uses: a date field in the Buddhist era."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from districts import thai


class BEDateInput(forms.TextInput):
    """Shows a date as 27/05/2560; typed on a phone with the numeric keyboard."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("dd/mm/yyyy (BE)"), "inputmode": "numeric"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai.format_be_input(value)
        return value


class BEDateField(forms.DateField):
    """A date typed day/month/Buddhist-era year, Thai or Arabic digits: 27/05/2560."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year in the Buddhist era, e.g. 27/05/2560."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return thai.parse_be_date(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
