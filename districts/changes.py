"""The one way a write says "this changed": the change counts of the districts it touched.

Pages and figures are kept against a district's change count (``count``): the number of
writes, ever, to the records its pages show, plus those to records no single district holds
(``SITE``: stages, fiscal years, provinces). The count only grows, so anything kept under an
older count is never used again.

Each model says how to find its district, on itself (no module lists the project's models):

- ``change_district = "target__district_id"``: a path from the model to a district's code
  (a field of its own, or through its foreign keys); a record whose path leads to no
  district (a province officer) is a site-wide change;
- ``change_district = None``: records no single district holds, a site-wide change;
- ``change_quiet = True``: writes that change nothing a page shows (the change rows
  themselves, the summary rows computed from other records, import batches);
- ``change_quiet_fields``: a save naming only these fields records nothing (``last_login``).

A model that declares nothing records a site-wide change: a model added later is safe before
anyone declares it. Third-party models that no page shows are named in
``settings.CHANGES_QUIET_MODELS`` (an app label or ``app_label.Model``).

One receiver, connected for every model that is not quiet, records the district of a record
as saved (or deleted) and, when a save moved it, as it was. Bulk writes send no signals and
call ``record`` themselves. Committed changes are announced by the ``committed`` signal (the
figures of the evaluations app are refreshed in the background on it).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal

from districts.models import Change, ChangeCount

SITE = "*"

# Sent once per committed transaction that recorded changes, with ``districts``: a set of
# district codes, ``SITE`` among them when every district's pages may have changed.
committed = Signal()


def record(districts: Iterable[str | None]) -> None:
    """These districts' records changed (``None`` or ``SITE``: records every page may show).

    Rows are added in the writer's transaction: a reader sees the new count only once the
    change itself is committed, and no writer waits for another."""
    codes = sorted({code or SITE for code in districts})
    if not codes:
        return
    Change.objects.bulk_create(Change(district=code) for code in codes)
    _announce(codes)


def _announce(codes) -> None:
    """One ``committed`` signal per transaction, whatever the number of writes in it."""
    pending = getattr(connection, "_changes_pending", None)
    # the set is still waiting while its callback is queued (a rollback drops both)
    if pending is not None and any(f is pending[1] for _s, f, _r in connection.run_on_commit):
        pending[0].update(codes)
        return
    districts = set(codes)

    def send():
        committed.send(sender=Change, districts=frozenset(districts))

    connection._changes_pending = (districts, send)
    transaction.on_commit(send)


def _where(districts, province) -> tuple[str, list]:
    if districts is not None:
        codes = [SITE, *districts]
        return f"district IN ({', '.join(['%s'] * len(codes))})", codes
    if province is not None:
        return "district = %s OR district LIKE %s", [SITE, f"{province}%"]
    return "1 = 1", []


def count(*, districts=None, province: str | None = None) -> int:
    """The number of changes to the records a page shows: these districts' (or one
    province's, or with neither, every district's) and the site's. One statement, so one
    snapshot."""
    where, params = _where(districts, province)
    folded = connection.ops.quote_name(ChangeCount._meta.db_table)
    changes = connection.ops.quote_name(Change._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COALESCE(SUM(count), 0) FROM {folded} WHERE {where})"  # noqa: S608 (no values)
            f" + (SELECT COUNT(*) FROM {changes} WHERE {where})",
            params * 2,
        )
        return cursor.fetchone()[0]


def counts(districts=None, *, province: str | None = None) -> dict[str, int]:
    """Each district's count (with the site's in it), for these districts (or one
    province's, or with neither, every district's); a district missing from the answer never
    changed and has the site's count, under ``SITE``. One statement."""
    where, params = _where(None if districts is None else list(districts), province)
    folded = connection.ops.quote_name(ChangeCount._meta.db_table)
    changes = connection.ops.quote_name(Change._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT district, SUM(n) FROM ("  # noqa: S608 (no values)
            f"SELECT district, count AS n FROM {folded} WHERE {where} UNION ALL "
            f"SELECT district, COUNT(*) AS n FROM {changes} WHERE {where} GROUP BY district"
            ") AS both_tables GROUP BY district",
            params * 2,
        )
        own = {code: int(n) for code, n in cursor.fetchall()}
    site = own.pop(SITE, 0)
    found = dict.fromkeys(districts or (), site)
    found.update((code, n + site) for code, n in own.items())
    found[SITE] = site
    return found


def total(counts: dict[str, int]) -> int:
    """What ``count`` gives for the districts of ``counts`` (the site's counted once)."""
    site = counts[SITE]
    return site + sum(n - site for code, n in counts.items() if code != SITE)


def compact() -> int:
    """Fold the changes into the districts' counts, leaving every sum as it was, and return
    how many were folded. On PostgreSQL one statement deletes the rows and adds what it
    deleted; SQLite has one writer at a time, so its statements in a transaction see the
    same rows."""
    folded = connection.ops.quote_name(ChangeCount._meta.db_table)
    changes = connection.ops.quote_name(Change._meta.db_table)
    upsert = f"ON CONFLICT (district) DO UPDATE SET count = {folded}.count + EXCLUDED.count"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {changes} RETURNING district), "  # noqa: S608 (no values)
                f"added AS (INSERT INTO {folded} (district, count) "
                f"SELECT district, COUNT(*) FROM gone GROUP BY district {upsert}) "
                "SELECT COUNT(*) FROM gone"
            )
            return cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) FROM {changes}")  # noqa: S608 (no values)
        folded_now = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {folded} (district, count) "  # noqa: S608 (no values)
            f"SELECT district, COUNT(*) FROM {changes} WHERE true GROUP BY district {upsert}"
        )
        cursor.execute(f"DELETE FROM {changes}")  # noqa: S608 (no values)
        return folded_now


# --- The receiver ----------------------------------------------------------------------------


def _first_field(model, path: str):
    """The model's own field the path starts with, or None when it starts with a reverse
    relation (a user's officer)."""
    first = path.split("__", 1)[0]
    field = model._meta._forward_fields_map.get(first)
    return field if field is not None and field.concrete else None


def districts_of(model, instances, using=None) -> set[str]:
    """The district codes of these records of ``model``, as the database has them now
    (``SITE`` for a record whose path leads to no district, or to nothing any more)."""
    path = model.change_district if hasattr(model, "change_district") else None
    if path is None:
        return {SITE}
    field = _first_field(model, path)
    rest = path.split("__", 1)[1] if "__" in path else ""
    if field is None:  # a reverse relation: read through the record's own row
        keys = {i.pk for i in instances}
        rows = dict(model._base_manager.using(using).filter(pk__in=keys).values_list("pk", path))
    else:
        keys = {getattr(i, field.attname) for i in instances}
        if not rest:
            rows = {k: k for k in keys}
        else:
            target = field.related_model._base_manager.using(using)
            rows = dict(target.filter(pk__in=keys - {None}).values_list("pk", rest))
    return {rows.get(k) or SITE for k in keys}


def _moving(sender, instance, update_fields) -> bool:
    """Whether this save may move a record to another district (its first hop changes)."""
    field = _first_field(sender, getattr(sender, "change_district", None) or "")
    if field is None or instance._state.adding or instance.pk is None:
        return False
    return update_fields is None or bool({field.name, field.attname} & set(update_fields))


def remember_place(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    """Before a save: the district the record is in, in case the save moves it."""
    instance._change_was = None
    if raw or not _moving(sender, instance, update_fields):
        return
    field = _first_field(sender, sender.change_district)
    was = sender._base_manager.using(using).filter(pk=instance.pk).values_list(field.attname)
    row = was.first()
    if row is not None and row[0] != getattr(instance, field.attname):
        instance._change_was = districts_of(sender, [_Placed(field.attname, row[0])], using)


class _Placed:
    """A stand-in record with only the field a path starts from (where a record was)."""

    def __init__(self, attname, value):
        setattr(self, attname, value)


def saved(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    quiet = getattr(sender, "change_quiet_fields", frozenset())
    if update_fields is not None and set(update_fields) <= quiet:
        return
    if raw:  # loaddata: where the records lead may not be loaded yet
        _loaded(using)
        return
    codes = districts_of(sender, [instance], using)
    record(codes | (getattr(instance, "_change_was", None) or set()))


def _loaded(using) -> None:
    """A record restored by loaddata: a site-wide change, added once the load commits. Change
    rows restored with their ids are inserted past the table's sequence, which loaddata sets
    only at its end; a row added during the load could take one of those ids."""
    conn = connections[using or "default"]
    pending = getattr(conn, "_changes_loaded", None)
    if pending is not None and any(f is pending[1] for _s, f, _r in conn.run_on_commit):
        pending[0][0] += 1
        return
    loaded = [1]

    def add():
        rows = (Change(district=SITE) for _ in range(loaded[0]))
        Change.objects.using(conn.alias).bulk_create(rows, batch_size=5000)
        _announce([SITE])

    conn._changes_loaded = (loaded, add)
    transaction.on_commit(add, using=conn.alias)


def deleted(sender, instance, using=None, **kwargs):
    record(districts_of(sender, [instance], using))


def m2m(sender, instance, action, model, pk_set, using=None, **kwargs):
    """Members added to or taken from a record: the districts of both sides."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    codes = districts_of(type(instance), [instance], using)
    if pk_set:
        others = model._base_manager.using(using).filter(pk__in=pk_set)
        codes |= districts_of(model, list(others), using)
    elif action == "post_clear":
        codes.add(SITE)  # what was cleared is gone: which districts it was in is unknown
    record(codes)


def is_quiet(model) -> bool:
    named = set(getattr(settings, "CHANGES_QUIET_MODELS", ()))
    return (
        getattr(model, "change_quiet", False)
        or model._meta.app_label in named
        or model._meta.label in named
        # a history record is written with the change it records
        or getattr(model, "instance_type", None) is not None
    )


def connect() -> None:
    """The receivers for every model that is not quiet: a quiet model has none, and keeps
    Django's fast delete."""
    for model in apps.get_models(include_auto_created=True):
        if is_quiet(model) or model._meta.auto_created:
            continue  # an m2m table's rows are told by m2m_changed
        uid = f"changes-{model._meta.label}"
        pre_save.connect(remember_place, sender=model, dispatch_uid=uid)
        post_save.connect(saved, sender=model, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, dispatch_uid=uid)
    m2m_changed.connect(m2m, dispatch_uid="changes-m2m")
