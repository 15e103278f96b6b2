"""A record's files leave the store with the record (photos, imported files).

Django deletes no file when its row goes: the object store would keep a deleted visit's
photos for ever, readable by whoever holds the bucket's keys. The files are deleted once the
deleting transaction has committed, so a rolled-back delete keeps them.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete

logger = logging.getLogger(__name__)


def delete_with_record(model, *fields: str) -> None:
    """Connect: when a ``model`` row is deleted, its ``fields``' files are deleted after commit."""

    def deleted(sender, instance, using=None, **kwargs):
        files = [getattr(instance, field) for field in fields]
        kept = [(f.storage, f.name) for f in files if f]

        def delete():
            for storage, name in kept:
                try:
                    storage.delete(name)
                except Exception:  # the row is gone: a file left behind is logged, not raised
                    logger.exception("could not delete %s", name)

        transaction.on_commit(delete, using=using)

    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"files-{model._meta}")
