"""Forms of the villages' money: a disbursement, an advance's clearance, the advance period."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from districts.forms import BEDateField, BootstrapWidgets
from districts.lib import photos
from districts.lib.thai import format_date
from fieldwork.budget import BudgetLine, DisbursementKind
from fieldwork.templatetags.money import bemonth

AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
AMOUNT_MESSAGES = {
    "max_decimal_places": _("Baht with at most two digits of satang, e.g. 1250.50."),
    "min_value": _("The amount cannot be negative."),
}


class ReceiptField(forms.FileField):
    """A receipt: a photo (made smaller, its GPS position dropped, as visit photos) or a PDF
    scan. Checked by its content, not its name; cleaned to a file ready to store."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > settings.PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("The receipt is larger than %(mb)s MB.")
                % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)}
            )
        data = upload.read()
        if data.startswith(b"%PDF-"):
            return ContentFile(data, name="receipt.pdf")
        try:
            processed = photos.process(
                data,
                max_bytes=settings.PHOTO_MAX_BYTES,
                max_pixels=settings.PHOTO_MAX_PIXELS,
            )
        except photos.PhotoRejected:
            raise forms.ValidationError(
                _("The receipt must be a photo (JPEG, PNG or WebP) or a PDF scan.")
            ) from None
        return ContentFile(processed.display, name="receipt.jpg")


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, line: BudgetLine) -> str:
        return f"{line.category.name} ({bemonth(line.planned_month)})"


class DisbursementForm(BootstrapWidgets, forms.Form):
    line = LineChoiceField(queryset=BudgetLine.objects.none(), label=_("Budget line"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=DisbursementKind.choices,
        initial=DisbursementKind.EXPENSE,
        help_text=_("An advance (ยืมเงิน) is cleared later with its receipts."),
    )
    date = BEDateField(label=_("Date"))
    amount = forms.DecimalField(label=_("Amount (baht)"), error_messages=AMOUNT_MESSAGES, **AMOUNT)
    purpose = forms.CharField(label=_("What for"), max_length=300)
    visit = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Visit or activity"), empty_label="—"
    )
    receipt = ReceiptField(label=_("Receipt (photo or scan)"), required=False)
    approve_over = forms.BooleanField(
        label=_("I approve spending over the line's plan"), required=False
    )
    over_reason = forms.CharField(
        label=_("Why the overspend is approved"), max_length=300, required=False
    )

    def __init__(self, *args, target, visits, lines, can_approve: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["visit"].queryset = visits
        self.fields["amount"].widget.attrs.update(inputmode="decimal")
        self.fields["visit"].label_from_instance = lambda v: f"{format_date(v.date)} {v.activity}"
        if not can_approve:
            del self.fields["approve_over"]
            del self.fields["over_reason"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class ClearanceForm(BootstrapWidgets, forms.Form):
    cleared_on = BEDateField(label=_("Cleared on"))
    cleared_amount = forms.DecimalField(
        label=_("Receipts add up to (baht)"), error_messages=AMOUNT_MESSAGES, **AMOUNT
    )
    receipt = ReceiptField(label=_("Receipt (photo or scan)"), required=False)


class AdvanceDaysForm(BootstrapWidgets, forms.Form):
    days = forms.IntegerField(label=_("Days to clear an advance"), min_value=1, max_value=365)
