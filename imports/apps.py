from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Spreadsheet imports")

    def ready(self):
        from districts.files import delete_with_record

        delete_with_record(self.get_model("ImportBatch"), "file")
