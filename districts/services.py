"""Operations on places and people."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction

from districts import changes
from districts.models import (
    ApiToken,
    District,
    Province,
    Role,
    Tambon,
    User,
    Village,
    is_system_admin,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = [
            f"{name}: {self.created[name]} new, {self.updated[name]} changed"
            for name in self.created
        ]
        return "; ".join(parts)


def _rows(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _upsert(
    model: type[models.Model], rows: dict[str, dict], report: LoadReport, prefix: str = ""
) -> None:
    """Create missing rows and update changed ones, in bulk; leaves matching rows alone."""
    fields = list(next(iter(rows.values())).keys()) if rows else []
    existing = {
        values[0]: values[1:]
        for values in model.objects.filter(pk__startswith=prefix)
        .values_list("pk", *fields)
        .iterator(chunk_size=5000)
    }
    to_create, to_update = [], []
    for code, values in rows.items():
        if code not in existing:
            to_create.append(model(pk=code, **values))
        elif existing[code] != tuple(values.values()):
            to_update.append(model(pk=code, **values))
    model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=1000)
    if to_create or to_update:
        changes.record([changes.SITE])  # place names show on the pages of every level
    name = model._meta.model_name
    report.created[name] = len(to_create)
    report.updated[name] = len(to_update)


@transaction.atomic
def load_geography(*, data_dir: Path = DATA_DIR, province: str | None = None) -> LoadReport:
    """Load provinces, districts, tambons and villages from the Interior-ministry CSVs.

    Idempotent: a second run with the same files changes nothing. ``province`` limits the
    load to one province's rows (the other provinces' names are still loaded).
    """

    def wanted(code: str) -> bool:
        return province is None or code.startswith(province)

    report = LoadReport()
    provinces = {
        r["code"]: {
            "name_th": r["name_th"],
            "name_en": r["name_en"],
            "lat": _float(r["lat"]),
            "lon": _float(r["lon"]),
        }
        for r in _rows(data_dir / "provinces.csv")
    }
    _upsert(Province, provinces, report)
    districts = {
        r["code"]: {
            "province_id": r["province_code"],
            "name_th": r["name_th"],
            "name_en": r["name_en"],
            "lat": _float(r["lat"]),
            "lon": _float(r["lon"]),
            "office_lat": _float(r["office_lat"]),
            "office_lon": _float(r["office_lon"]),
        }
        for r in _rows(data_dir / "districts.csv")
        if wanted(r["code"])
    }
    _upsert(District, districts, report, province or "")
    tambons = {
        r["code"]: {
            "district_id": r["district_code"],
            "name_th": r["name_th"],
            "name_en": r["name_en"],
            "lat": _float(r["lat"]),
            "lon": _float(r["lon"]),
        }
        for r in _rows(data_dir / "tambons.csv")
        if wanted(r["code"])
    }
    _upsert(Tambon, tambons, report, province or "")
    villages_file = data_dir / "villages.csv.gz"
    if not villages_file.exists():
        villages_file = data_dir / "villages.csv"
    villages = {}
    for r in _rows(villages_file):
        if not wanted(r["code"]):
            continue
        moo = int(r["moo"])
        # 12 villages of Thanyaburi have no name in the source: the moo number names them.
        villages[r["code"]] = {
            "tambon_id": r["tambon_code"],
            "moo": moo,
            "name_th": r["name_th"] or f"หมู่ที่ {moo}",
            "name_en": r["name_en"] or f"Moo {moo}",
        }
    _upsert(Village, villages, report, province or "")
    if any(report.created.values()):
        refresh_planner_statistics(Province, District, Tambon, Village)
    return report


def refresh_planner_statistics(*models) -> None:
    """ANALYZE the tables a bulk load just filled. Until the database's own autovacuum gets to
    them, the planner would estimate from the empty tables: on PostgreSQL the district page's
    tambon query took 11 ms instead of 0.7 ms straight after loading (docs/performance.md)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def user_language_set(*, user, language: str) -> None:
    """Keep a person's choice of language with their account, so it follows them to another
    browser or phone. update(), not save(): a preference is no change for the audit log."""
    User.objects.filter(pk=user.pk).update(language=language)


@transaction.atomic
def village_households_set(*, village: Village, households: int | None, actor) -> Village:
    """The number of households of a village, from its record: its district's staff (head
    and field officers) and the system admin change it."""
    district_id = village.tambon.district_id
    officer = actor.officer_or_none if actor.is_authenticated else None
    staff = (
        officer is not None
        and officer.is_active
        and officer.role in (Role.HEAD, Role.OFFICER)
        and officer.district_id == district_id
    )
    if not (staff or is_system_admin(actor)):
        raise PermissionDenied
    village.households = households
    village.full_clean()
    village.save(update_fields=["households"])
    return village


# --- API tokens ------------------------------------------------------------------------------

TOKEN_PREFIX = "sc_"  # noqa: S105 (not a secret:) tells a portal token apart in a log or a secrets scanner


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    key: str  # shown once, never kept


@transaction.atomic
def token_create(*, user: User, name: str, expires_at: dt.datetime | None) -> NewToken:
    """A personal access token for ``user``: the key to show once, and its record (hashed)."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_hash=token_hash(key),
        prefix=key[:8],
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, token: ApiToken, user: User, now: dt.datetime) -> ApiToken:
    """The user's own token stops opening the API (kept, with when it was revoked)."""
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
    return token
