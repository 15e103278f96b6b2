from django import template

register = template.Library()


@register.filter
def unread_count(user) -> int:
    """The person's unread notifications: counted when the request loaded them
    (districts.notify.auth), else here, in one query."""
    if not user.is_authenticated:
        return 0
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = user.notifications.filter(read_at__isnull=True).count()
        user.unread_notifications = count
    return count
