from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from districts import changes
        from districts.files import delete_with_record
        from evaluations.tasks import figures_changed

        delete_with_record(self.get_model("NationalExtract"), "csv", "xlsx")
        changes.committed.connect(figures_changed, dispatch_uid="figures-changed")
