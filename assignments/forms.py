from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import AssignmentOrder
from districts.forms import BEDateField


class OrderForm(forms.ModelForm):
    date = BEDateField(label=_("Order date"))

    class Meta:
        model = AssignmentOrder
        fields = ["number", "date", "subject", "signer_name", "signer_position"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Issue the order")))

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if AssignmentOrder.objects.filter(district=self.district, number=number).exists():
            raise forms.ValidationError(_("This district already has an order with this number."))
        return number
