"""Who is told of a forum planned or changed: the district's field staff (the network's
sages are not users of the portal; the officers tell them)."""

import hashlib

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from districts import notify
from districts.lib import thai
from districts.models import Officer, Role
from people.models import Forum


def _date(day):
    """The day in the reader's language (written for each person by notify.send)."""
    return lazy(lambda: thai.format_date(day, lang=(get_language() or "th")[:2]), str)()


def forum_saved(forum: Forum, *, created: bool, actor) -> None:
    """A new forum, or one whose date, place or topic changed (the key names them: saving
    it again unchanged, or recording who came, tells nobody again)."""
    what = f"{forum.date.isoformat()}|{forum.place}|{forum.topic}"
    digest = hashlib.sha256(what.encode()).hexdigest()[:16]
    template = (
        _("A forum of the sage network on {date} at {place}: {topic}")
        if created
        else _("The forum of the sage network is changed: {date} at {place}: {topic}")
    )
    staff = Officer.objects.filter(
        district_id=forum.network.district_id,
        is_active=True,
        role__in=[Role.HEAD, Role.OFFICER],
    ).exclude(user_id=getattr(actor, "pk", None))
    notify.send(
        staff,
        notify.Kind.FORUM,
        format_lazy(template, date=_date(forum.date), place=forum.place, topic=forum.topic),
        reverse("people:forum_detail", args=[forum.pk]),
        key=f"forum:{forum.pk}:{digest}",
        district=forum.network.district_id,
    )
