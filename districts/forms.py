"""Form pieces every app uses: a date field in the Buddhist era, Bootstrap widgets."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from districts.access import parse_id
from districts.lib import thai


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
        "invalid": _(
            "Enter the date as day/month/year in the Buddhist era, e.g. 27/05/2560 or 27052560."
        ),
        "no_such_date": _("There is no such date in the calendar. Check the day and the month."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return thai.parse_be_date(str(value))
        except thai.NoSuchDate:
            raise forms.ValidationError(
                self.error_messages["no_such_date"], code="no_such_date"
            ) from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records chosen by id; an id that is no number a key can hold is refused as an
    invalid choice, before the database is asked (which would fail on it, not miss it)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for v in value or ():
                if parse_id(v) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": v},
                    )
        return super()._check_values(value)


class BESplitDateTimeWidget(forms.SplitDateTimeWidget):
    """A moment as two boxes, the day in the Buddhist era and the time: 27/05/2560 | 14:30."""

    def __init__(self, attrs=None):
        super().__init__(attrs, time_format="%H:%M")
        self.widgets = [BEDateInput(attrs), self.widgets[1]]


class BESplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date-and-time field, its day read in the Buddhist era like every other."""

    widget = BESplitDateTimeWidget

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = (BEDateField(required=self.required), self.fields[1])


class BootstrapWidgets:
    """Bootstrap 5 classes on a form's widgets, set once in Python, so a page can lay out its
    fields with the small ``forms/field.html`` instead of crispy-forms' templates: the visit
    form, opened on a phone many times a day, renders several times faster this way
    (docs/performance.md). Fields with errors get ``is-invalid``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.option_template_name = "forms/check_option.html"
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class PasswordChangeForm(BootstrapWidgets, auth_forms.PasswordChangeForm):
    """Django's own form (old password, the new one twice, the password rules), laid out like
    the portal's other forms."""


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django's, with its help text in the reader's language: Django joins the translated
    text to an untranslated warning once, at start-up, in the default language."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class CrispyModelForm(forms.ModelForm):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))
