"""Notifications to people: in the portal, on LINE, by email. Every app calls ``send`` at
its event; the worker sends them (``districts.notify.tasks``)."""

from districts.notify.models import Channel, Kind


def send(users, kind, text, url, *, key, district=None, urgent=False):
    """See ``districts.notify.services.send`` (imported late: districts.models imports this
    package's models, and the services need districts.models)."""
    from districts.notify import services

    return services.send(users, kind, text, url, key=key, district=district, urgent=urgent)


__all__ = ["Channel", "Kind", "send"]
