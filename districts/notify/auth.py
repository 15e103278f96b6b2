"""Django's ModelBackend, loading the person with their unread notifications counted."""

from django.contrib.auth import backends
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from districts.notify.models import Notification


def unread_count_subquery():
    return Coalesce(
        Subquery(
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


class ModelBackend(backends.ModelBackend):
    """The user of each request comes with ``unread_notifications`` (the navigation bar's
    badge), counted in the same query (the partial index districts_notification_unread)."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            user = User._default_manager.annotate(unread_notifications=unread_count_subquery()).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
