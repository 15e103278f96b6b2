from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = _("Field work")

    def ready(self):
        from districts.files import delete_with_record

        delete_with_record(self.get_model("VisitPhoto"), "image", "display", "thumb")
        delete_with_record(self.get_model("Disbursement"), "receipt")
