"""Signal receivers of the districts app (connected in DistrictsConfig.ready)."""

from django.utils import timezone


def record_last_login(sender, user, **kwargs):
    """Django's ``update_last_login`` without a history record: ``last_login`` is not kept in
    the user's history, so the record would say nothing but "changed"."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving
