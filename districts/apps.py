from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("Places and people")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from districts import changes
        from districts.signals import record_last_login

        changes.connect()  # here, when every app's models are loaded

        # Django's update_last_login saved the user, and the user's history made a record of
        # each login: a row in the audit log per login that changed nothing it shows.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="update_last_login")
