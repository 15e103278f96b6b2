from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from districts import changes
        from evaluations.tasks import figures_changed

        changes.committed.connect(figures_changed, dispatch_uid="figures-changed")
