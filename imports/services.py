"""Spreadsheet imports: villages, target villages of a year, officers. Checked row by row,
previewed, then applied all or nothing.

The file reader (``districts.lib.sheets``) knows nothing of the models; this module maps the
columns, checks each row against the database in a fixed number of queries, and writes in
bulk. The admin page, ``/imports/`` and ``manage.py import_sheet`` all go through here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assignments.models import FiscalYear, TargetVillage
from districts import changes
from districts.lib import thai
from districts.lib.sheets import (
    SheetError,
    Table,
    normalise_header,
    parse_number,
    read_table,
    unpacked_size,
)
from districts.models import (
    District,
    Officer,
    Role,
    Tambon,
    TambonResponsibility,
    User,
    Village,
)
from fieldwork.budget import DEFAULT_CATEGORIES, BudgetLine, SpendingCategory, ensure_categories
from fieldwork.budget_services import budget_lines_import
from imports import notices
from imports.access import importer_province
from imports.models import ImportBatch, ImportKind, ImportStatus

# Column -> the headers people write for it (Thai and English; compared case-blind).
COLUMNS = {
    ImportKind.VILLAGES: {
        "code": ["code", "village_code", "รหัส", "รหัสหมู่บ้าน"],
        "tambon_code": ["tambon_code", "tambon", "รหัสตำบล"],
        "moo": ["moo", "หมู่ที่", "หมู่"],
        "name_th": ["name_th", "thai name", "ชื่อ", "ชื่อหมู่บ้าน", "ชื่อภาษาไทย"],
        "name_en": ["name_en", "english name", "ชื่อภาษาอังกฤษ"],
    },
    ImportKind.TARGETS: {
        "village_code": ["village_code", "code", "รหัสหมู่บ้าน", "รหัส"],
        "province": ["province", "จังหวัด"],
        "district": ["district", "อำเภอ"],
        "tambon": ["tambon", "ตำบล"],
        "moo": ["moo", "หมู่ที่", "หมู่"],
        "budget": ["budget", "งบประมาณ", "งบประมาณที่ได้รับจัดสรร", "งบประมาณ (บาท)"],
        "livelihood": ["livelihood", "อาชีพ"],
    },
    ImportKind.OFFICERS: {
        "username": ["username", "ชื่อผู้ใช้"],
        "civil_servant_id": ["civil_servant_id", "civil servant id", "เลขประจำตัวข้าราชการ"],
        "name": ["name", "ชื่อ-สกุล", "ชื่อ - สกุล", "ชื่อ"],
        "position": ["position", "ตำแหน่ง"],
        "district_code": ["district_code", "district", "รหัสอำเภอ"],
        "tambons": ["tambons", "ตำบลที่รับผิดชอบ", "ตำบล"],
    },
    ImportKind.BUDGET_LINES: {
        "village_code": ["village_code", "code", "รหัสหมู่บ้าน", "รหัส"],
        "category": ["category", "หมวดรายจ่าย", "หมวด", "รายการ"],
        "month": ["month", "planned_month", "เดือน", "เดือนที่วางแผน", "เดือนตามแผน"],
        "amount": ["amount", "จำนวนเงิน", "จำนวนเงิน (บาท)", "งบประมาณ", "งบประมาณ (บาท)"],
    },
}
REQUIRED = {
    ImportKind.VILLAGES: [["code"], ["tambon_code"], ["moo"], ["name_th"]],
    # a target is named by its village code, or by province, district, tambon and moo
    ImportKind.TARGETS: [["village_code", "tambon"], ["budget"]],
    ImportKind.OFFICERS: [["username", "civil_servant_id"], ["name"], ["district_code"]],
    ImportKind.BUDGET_LINES: [["village_code"], ["category"], ["month"], ["amount"]],
}
EXAMPLES = {
    ImportKind.VILLAGES: ["40160101", "401601", "1", "บ้านเรือ", "Ban Ruea"],
    ImportKind.TARGETS: ["40160101", "ขอนแก่น", "ภูเวียง", "บ้านเรือ", "1", "50000", "ทอผ้าไหม"],
    ImportKind.OFFICERS: [
        "somchai.s",
        "3400100012345",
        "นายสมชาย ใจดี",
        "นักวิชาการพัฒนาชุมชน",
        "4016",
        "401601, 401604",
    ],
    ImportKind.BUDGET_LINES: ["40160101", "ค่าตอบแทนวิทยากร", "11/2559", "15000"],
}
TEMPLATE_HEADERS = {
    ImportKind.VILLAGES: ["รหัสหมู่บ้าน", "รหัสตำบล", "หมู่ที่", "ชื่อหมู่บ้าน", "ชื่อภาษาอังกฤษ"],
    ImportKind.TARGETS: ["รหัสหมู่บ้าน", "จังหวัด", "อำเภอ", "ตำบล", "หมู่ที่", "งบประมาณ", "อาชีพ"],
    ImportKind.OFFICERS: [
        "ชื่อผู้ใช้",
        "เลขประจำตัวข้าราชการ",
        "ชื่อ-สกุล",
        "ตำแหน่ง",
        "รหัสอำเภอ",
        "ตำบลที่รับผิดชอบ",
    ],
    ImportKind.BUDGET_LINES: ["รหัสหมู่บ้าน", "หมวดรายจ่าย", "เดือนตามแผน", "จำนวนเงิน (บาท)"],
}
# What a changed field is called in the check's report (its keys are the fields' names)
CHANGE_LABELS = {
    "tambon_id": gettext_lazy("tambon code"),
    "moo": gettext_lazy("moo"),
    "name_th": gettext_lazy("Thai name"),
    "name_en": gettext_lazy("English name"),
    "budget_allocated": gettext_lazy("budget"),
    "livelihood": gettext_lazy("livelihood"),
    "title": gettext_lazy("title"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "position": gettext_lazy("position"),
    "district_id": gettext_lazy("district code"),
    "tambons": gettext_lazy("tambons in charge"),
    "planned_amount": gettext_lazy("planned amount"),
}
# Changed fields that are sums of money: shown as the portal shows baht, 40,000
MONEY = {"budget_allocated", "planned_amount"}
PLACE_PREFIX = re.compile(r"^(จังหวัด|อำเภอ|ตำบล|จ\.|อ\.|ต\.)\s*")


@dataclass
class Row:
    number: int  # as in the spreadsheet (the header is row 1)
    key: str = ""
    status: str = "new"  # new, changed, unchanged, refused
    reasons: list[str] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # field -> (before, after)
    values: dict = field(default_factory=dict)
    label: str = ""  # what a person checks the row by: the village's or the officer's name
    amount: str = ""  # a target's budget, as the rest of the portal writes baht

    def refuse(self, reason: str) -> None:
        self.status = "refused"
        self.reasons.append(reason)


@dataclass
class Preview:
    kind: str
    rows: list[Row] = field(default_factory=list)
    error: str = ""  # the whole file is refused

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.error and self.count("refused") == 0


def sheet_error_message(exc: SheetError) -> str:
    limit = exc.params.get("limit", 0)
    messages = {
        "too_large": _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
        "too_large_inside": _("The file unpacks to more than %(mb)s MB: it is not a normal sheet.")
        % {"mb": limit // (1024 * 1024)},
        "too_many_rows": _("The file has more than %(n)s rows. Split it into smaller files.")
        % {"n": f"{limit:,}"},
        "empty": _("The file is empty."),
        "no_rows": _("The file has a header but no rows."),
        "too_many_columns": _(
            "The sheet has more than %(n)s columns: it is not one of the import's lists. "
            "Use the template."
        )
        % {"n": limit},
        "not_a_sheet": _("This is not a spreadsheet. Upload an .xlsx file or a .csv file."),
        "encoding": _(
            "The CSV file's characters cannot be read. Save it as UTF-8 or Windows Thai."
        ),
    }
    return messages[exc.code]


def read(data: bytes, filename: str) -> Table:
    return read_table(
        data,
        filename,
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED,
        max_columns=settings.IMPORT_MAX_COLUMNS,
    )


def _column_map(kind: str, headers: list[str]) -> tuple[dict[str, int], list[str]]:
    aliases = {alias: column for column, names in COLUMNS[kind].items() for alias in names}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = aliases.get(normalise_header(header))
        if column and column not in found:
            found[column] = index
    missing = [
        " / ".join(_header_of(kind, column) for column in group)
        for group in REQUIRED[kind]
        if not any(c in found for c in group)
    ]
    return found, missing


def _header_of(kind: str, column: str) -> str:
    """The header the import's template gives a column (Thai), for messages."""
    names = COLUMNS[kind][column]
    return next((n for n in names if n in TEMPLATE_HEADERS[kind]), names[-1])


def preview(kind: str, table: Table, *, user, year: int | None = None) -> Preview:
    province = importer_province(user)
    result = Preview(kind=kind)
    columns, missing = _column_map(kind, table.headers)
    if missing:
        result.error = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        return result
    rows = []
    for i, raw in enumerate(table.rows):
        row = Row(number=i + 2)
        row.values = {name: raw[index] for name, index in columns.items()}
        rows.append(row)
    result.rows = rows
    {
        ImportKind.VILLAGES: _check_villages,
        ImportKind.TARGETS: _check_targets,
        ImportKind.OFFICERS: _check_officers,
        ImportKind.BUDGET_LINES: _check_budget_lines,
    }[kind](rows, province=province, year=year)
    seen: dict[str, int] = {}
    for row in rows:
        if row.key:
            if row.key in seen:
                row.refuse(
                    _("The code %(code)s is repeated (also in row %(row)s).")
                    % {"code": row.key, "row": seen[row.key]}
                )
            else:
                seen[row.key] = row.number
    return result


def _compare(row: Row, existing: dict | None, wanted: dict) -> None:
    if row.status == "refused":
        return
    if existing is None:
        row.status = "new"
        return
    row.changes = {k: (existing[k], v) for k, v in wanted.items() if existing[k] != v}
    row.status = "changed" if row.changes else "unchanged"


def _in_province(row: Row, code: str, province: str | None) -> bool:
    if province and not code.startswith(province):
        row.refuse(_("The village %(code)s is outside your province.") % {"code": code})
        return False
    return True


def _check_villages(rows: list[Row], *, province, year) -> None:
    tambons = set(Tambon.objects.values_list("code", flat=True))
    existing = {
        code: {"tambon_id": t, "moo": moo, "name_th": th, "name_en": en}
        for code, t, moo, th, en in Village.objects.filter(
            pk__startswith=province or ""
        ).values_list("code", "tambon_id", "moo", "name_th", "name_en")
    }
    for row in rows:
        v = row.values
        code, tambon = v.get("code", ""), v.get("tambon_code", "")
        row.key = code
        if not re.fullmatch(r"\d{8}", code):
            row.refuse(_("The village code must be 8 digits."))
            continue
        if not _in_province(row, code, province):
            continue
        if tambon not in tambons:
            row.refuse(_("Unknown tambon code %(code)s.") % {"code": tambon or "-"})
        elif not code.startswith(tambon):
            row.refuse(_("The village code must start with its tambon code."))
        try:
            moo = int(parse_number(v.get("moo", "")))
        except ValueError:
            moo = None
        if moo is None or moo != int(code[6:]):
            row.refuse(_("The moo number must be the last two digits of the code."))
        if not v.get("name_th"):
            row.refuse(_("The Thai name is missing."))
        before = existing.get(code)
        wanted = {
            "tambon_id": tambon,
            "moo": moo,
            "name_th": v.get("name_th", ""),
            # a column the file does not have leaves the stored value alone
            "name_en": v["name_en"] if "name_en" in v else (before or {}).get("name_en", ""),
        }
        row.values = wanted
        row.label = f"{wanted['name_th']} {_('Moo')} {moo}" if wanted["name_th"] else ""
        _compare(row, before, wanted)


def _place_name(text: str) -> str:
    return PLACE_PREFIX.sub("", text.strip())


def _check_targets(rows: list[Row], *, province, year) -> None:
    villages = Village.objects.filter(pk__startswith=province or "")
    by_code = {
        code: f"{name} {_('Moo')} {moo} {_('Tambon')} {tambon}"
        for code, name, moo, tambon in villages.values_list(
            "code", "name_th", "moo", "tambon__name_th"
        )
    }
    by_names = {}
    if any(not r.values.get("village_code") for r in rows):
        for code, p, d, t, moo in villages.values_list(
            "code",
            "tambon__district__province__name_th",
            "tambon__district__name_th",
            "tambon__name_th",
            "moo",
        ):
            by_names[(_place_name(p), _place_name(d), _place_name(t), moo)] = code
    existing = {
        village: {"budget_allocated": budget, "livelihood": livelihood}
        for village, budget, livelihood in TargetVillage.objects.filter(
            year_id=year, **({"district__province_id": province} if province else {})
        ).values_list("village_id", "budget_allocated", "livelihood")
    }
    for row in rows:
        v = row.values
        code = v.get("village_code", "")
        if not code:
            try:
                moo = int(parse_number(v.get("moo", "")))
            except ValueError:
                moo = None
            code = by_names.get(
                (
                    _place_name(v.get("province", "")),
                    _place_name(v.get("district", "")),
                    _place_name(v.get("tambon", "")),
                    moo,
                ),
                "",
            )
            if not code:
                row.refuse(_("No village with that province, district, tambon and moo."))
                continue
        row.key = code
        if not _in_province(row, code, province):
            continue
        if code not in by_code:
            row.refuse(_("Unknown village code %(code)s.") % {"code": code})
            continue
        row.label = by_code[code]
        try:
            budget = Decimal(str(parse_number(v.get("budget", "")))).quantize(Decimal("0.01"))
        except ValueError:
            row.refuse(_("The budget is not a number."))
            continue
        row.amount = thai.format_baht(budget, satang=True)
        if budget < 0:
            row.refuse(_("The budget cannot be negative."))
            continue
        before = existing.get(code)
        livelihood = v["livelihood"] if "livelihood" in v else (before or {}).get("livelihood", "")
        wanted = {"budget_allocated": budget, "livelihood": livelihood}
        row.values = {"village_id": code, **wanted}
        _compare(row, before, wanted)


# a planned month: 11/2559, 11-2559, พ.ย. 2559, พฤศจิกายน 2559, or a day of it (a date cell)
MONTH_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})\s*$")


def parse_month(text: str) -> dt.date:
    """The first day of the month a cell names (Buddhist-era year), else ValueError."""
    text = thai.to_arabic_digits(str(text)).strip()
    match = MONTH_NUMERIC.match(text)
    if match:
        month, year = int(match[1]), int(match[2])
    else:
        try:
            day = thai.parse_be_date(text)
        except ValueError:
            day = None
        if day is not None:
            return day.replace(day=1)
        try:  # a date cell the reader wrote as an ISO day (2016-11-01...)
            day = dt.date.fromisoformat(text[:10])
            return day.replace(day=1)
        except ValueError:
            pass
        name, _space, year_text = text.rpartition(" ")
        names = {n: i for i, n in enumerate(thai.MONTHS_TH, 1)} | {
            n: i for i, n in enumerate(thai.MONTHS_TH_ABBR, 1)
        }
        month = names.get(name.strip())
        if month is None or not year_text.isdigit():
            raise ValueError(text)
        year = int(year_text)
    if not 1 <= month <= 12 or year < 2400:
        raise ValueError(text)
    return dt.date(thai.ce_year(year), month, 1)


def _check_budget_lines(rows: list[Row], *, province, year) -> None:
    """Budget lines of the year's target villages: village, category, month, amount. The
    year's categories, or the default ones a year without any gets when it is applied (a
    check writes nothing)."""
    targets = {
        village: (pk, f"{name} {_('Moo')} {moo} {_('Tambon')} {tambon}")
        for village, pk, name, moo, tambon in TargetVillage.objects.filter(
            year_id=year, **({"district__province_id": province} if province else {})
        ).values_list("village_id", "pk", "village__name_th", "village__moo",
                      "village__tambon__name_th")
    }  # fmt: skip
    categories = list(
        SpendingCategory.objects.filter(year_id=year).values_list("name", flat=True)
    ) or [name for _order, name in DEFAULT_CATEGORIES]
    existing = {
        (t, c, m): a
        for t, c, m, a in BudgetLine.objects.filter(target__year_id=year).values_list(
            "target_id", "category__name", "planned_month", "planned_amount"
        )
    }
    first, last = thai.fiscal_year_bounds(year) if year else (None, None)
    for row in rows:
        v = row.values
        code = v.get("village_code", "")
        row.key = code
        if not _in_province(row, code, province):
            continue
        if code not in targets:
            row.refuse(
                _("The village %(code)s is not a target village of fiscal year %(year)s.")
                % {"code": code or "-", "year": year}
            )
            continue
        target_id, row.label = targets[code]
        category = v.get("category", "").strip()
        if category not in categories:
            row.refuse(
                _("Unknown spending category “%(name)s”: use one of %(names)s.")
                % {"name": v.get("category", ""), "names": ", ".join(categories)}
            )
        try:
            month = parse_month(v.get("month", ""))
        except ValueError:
            row.refuse(_("The month is not a month: write it as 11/2559 or พ.ย. 2559."))
            month = None
        if month is not None and not first <= month <= last:
            row.refuse(_("The month is outside fiscal year %(year)s.") % {"year": year})
        try:
            amount = Decimal(str(parse_number(v.get("amount", "")))).quantize(Decimal("0.01"))
        except (ValueError, InvalidOperation):
            row.refuse(_("The amount is not a number."))
            continue
        row.amount = thai.format_baht(amount, satang=True)
        if amount < 0:
            row.refuse(_("The amount cannot be negative."))
        if row.status == "refused":
            continue
        # one line per village, category and month: the key the repeat check reads
        row.key = f"{code} {category} {month:%m/%Y}"
        before = existing.get((target_id, category, month))
        row.values = {"target_id": target_id, "category": category, "month": month}
        row.values["planned_amount"] = amount
        if before is None:
            row.status = "new"
        elif before != amount:
            row.status = "changed"
            row.changes = {"planned_amount": (before, amount)}
        else:
            row.status = "unchanged"


def _apply_budget_lines(rows: list[Row], year: int, user, reason: str) -> None:
    """Through the budget's own service: each village's allocation becomes its lines' sum."""
    targets = TargetVillage.objects.in_bulk({r.values["target_id"] for r in rows})
    categories = {c.name: c for c in ensure_categories(year)}
    budget_lines_import(
        year_id=year,
        rows=[
            (
                targets[r.values["target_id"]],
                categories[r.values["category"]],
                r.values["month"],
                r.values["planned_amount"],
            )
            for r in rows
        ],
        user=user,
        reason=reason,
    )


def _split_name(name: str) -> dict:
    title = next((t for t in thai.TITLES if name.startswith(t)), "")
    first, _space, last = name[len(title) :].strip().partition(" ")
    return {"title": title, "first_name": first, "last_name": last.strip()}


def _importable(account: tuple, province: str | None) -> bool:
    """An existing account an officers import may update: a field officer's, not a head's,
    a provincial or admin account, or a superuser; for a province's import, only one of
    that province's field officers (an account with no officer profile is the admin's)."""
    superuser, role, district_id = account
    if superuser or role not in (None, Role.OFFICER):
        return False
    return province is None or (role is not None and (district_id or "").startswith(province))


def _check_officers(rows: list[Row], *, province, year) -> None:
    districts = set(
        District.objects.filter(pk__startswith=province or "").values_list("code", flat=True)
    )
    tambons: dict[str, dict[str, str]] = {}
    for code, name, district in Tambon.objects.filter(district_id__in=districts).values_list(
        "code", "name_th", "district_id"
    ):
        tambons.setdefault(district, {})[code] = code
        tambons[district][_place_name(name)] = code
    usernames = [
        r.values.get("username", "").lower() or r.values.get("civil_servant_id", "") for r in rows
    ]
    # Every account a row names, officer or not: the import makes and updates field officers
    # of the uploader's province, and must not touch (or show) anyone else's account.
    accounts = {
        username: (superuser, role, district_id)
        for username, superuser, role, district_id in User.objects.filter(
            username__in=usernames
        ).values_list("username", "is_superuser", "officer__role", "officer__district_id")
    }
    existing = {}
    for o in (
        Officer.objects.filter(user__username__in=usernames)
        .select_related("user")
        .prefetch_related("tambon_responsibilities")
    ):
        existing[o.user.username] = {
            "title": o.user.title,
            "first_name": o.user.first_name,
            "last_name": o.user.last_name,
            "position": o.position,
            "district_id": o.district_id,
            "tambons": sorted(
                r.tambon_id for r in o.tambon_responsibilities.all() if r.end_date is None
            ),
        }
    # A civil-servant id is one person's (the database holds it unique): one row each, and
    # not another account's already; whose it is is not shown.
    ids = [r.values.get("civil_servant_id", "") for r in rows]
    id_holders = dict(
        Officer.objects.filter(civil_servant_id__in=[i for i in ids if i]).values_list(
            "civil_servant_id", "user__username"
        )
    )
    id_rows: dict[str, int] = {}
    for row in rows:
        v = row.values
        username = v.get("username", "").lower() or v.get("civil_servant_id", "")
        row.key = username
        servant_id = v.get("civil_servant_id", "")
        if servant_id and servant_id in id_rows:
            row.refuse(
                _("The civil-servant id %(id)s is repeated (also in row %(row)s).")
                % {"id": servant_id, "row": id_rows[servant_id]}
            )
            continue
        if servant_id:
            id_rows[servant_id] = row.number
        if id_holders.get(servant_id, username) != username:
            row.refuse(
                _("The civil-servant id %(id)s is already another account's.") % {"id": servant_id}
            )
            continue
        if not re.fullmatch(r"[a-z0-9@.+_-]+", username or ""):
            row.refuse(_("The username may use only a-z, digits and @ . + - _."))
            continue
        if username in accounts and not _importable(accounts[username], province):
            row.refuse(
                _("The username %(name)s belongs to an account this import cannot change.")
                % {"name": username}
            )
            continue
        district = v.get("district_code", "")
        if district not in districts:
            row.refuse(
                _("Unknown district code %(code)s, or outside your province.")
                % {"code": district or "-"}
            )
            continue
        wanted_tambons = []
        for part in re.split(r"[,;/]\s*|\s{2,}", v.get("tambons", "")):
            part = _place_name(part)
            if not part:
                continue
            code = tambons.get(district, {}).get(part)
            if code is None:
                row.refuse(
                    _("The tambon %(name)s is not in district %(code)s.")
                    % {"name": part, "code": district}
                )
            else:
                wanted_tambons.append(code)
        if not v.get("name"):
            row.refuse(_("The name is missing."))
        row.label = v.get("name", "")
        wanted = {
            **_split_name(v.get("name", "")),
            "position": v.get("position", ""),
            "district_id": district,
            "tambons": sorted(set(wanted_tambons)),
        }
        row.values = {
            "username": username,
            "civil_servant_id": v.get("civil_servant_id", ""),
            **wanted,
        }
        _compare(row, existing.get(username), wanted)


# --- Applying --------------------------------------------------------------------------------


@transaction.atomic
def apply(*, batch: ImportBatch, result: Preview, user) -> ImportBatch:
    """Write every new and changed row, or nothing: a refused row stops the whole file."""
    if not result.ok:
        raise ValueError("a refused preview cannot be applied")
    todo = [r for r in result.rows if r.status in ("new", "changed")]
    reason = f"import #{batch.pk} {batch.filename}"
    if batch.kind == ImportKind.VILLAGES:
        _apply_villages(todo)
    elif batch.kind == ImportKind.TARGETS:
        _apply_targets(todo, batch.year_id, user, reason)
    elif batch.kind == ImportKind.BUDGET_LINES:
        _apply_budget_lines(todo, batch.year_id, user, reason)
    else:
        _apply_officers(todo)
    batch.status = ImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.created_count = result.count("new")
    batch.changed_count = result.count("changed")
    batch.unchanged_count = result.count("unchanged")
    batch.save()
    return batch


def _apply_villages(rows: list[Row]) -> None:
    new = [Village(code=r.key, **r.values) for r in rows if r.status == "new"]
    changed = [Village(code=r.key, **r.values) for r in rows if r.status == "changed"]
    Village.objects.bulk_create(new, batch_size=2000)
    Village.objects.bulk_update(
        changed, ["tambon_id", "moo", "name_th", "name_en"], batch_size=1000
    )
    # a village's code starts with its tambon's, which starts with its district's: a village
    # moved to another tambon changes the district it was in and the one it is in
    changes.record({v.code[:4] for v in new + changed} | {v.tambon_id[:4] for v in changed})


def _apply_targets(rows: list[Row], year: int, user, reason: str) -> None:
    FiscalYear.objects.get_or_create(year=year)
    new = [
        TargetVillage(year_id=year, district_id=r.key[:4], **r.values)
        for r in rows
        if r.status == "new"
    ]
    bulk_create_with_history(
        new, TargetVillage, batch_size=2000, default_user=user, default_change_reason=reason
    )
    changed = {r.key: r.values for r in rows if r.status == "changed"}
    targets = list(TargetVillage.objects.filter(year_id=year, village_id__in=changed))
    now = timezone.now()
    for target in targets:
        target.updated_at = now
        target.budget_allocated = changed[target.village_id]["budget_allocated"]
        target.livelihood = changed[target.village_id]["livelihood"]
    bulk_update_with_history(
        targets,
        TargetVillage,
        ["budget_allocated", "livelihood", "updated_at"],
        batch_size=1000,
        default_user=user,
        default_change_reason=reason,
    )
    districts = {t.district_id for t in new} | {t.district_id for t in targets}
    changes.record(districts)


def _apply_officers(rows: list[Row]) -> None:
    unusable = make_password(None)  # they set their password through the reset link
    today = timezone.localdate()
    for r in rows:
        v = r.values
        user, _created = User.objects.update_or_create(
            username=v["username"],
            defaults={k: v[k] for k in ("title", "first_name", "last_name")},
            create_defaults={
                **{k: v[k] for k in ("title", "first_name", "last_name")},
                "password": unusable,
            },
        )
        officer, _created = Officer.objects.update_or_create(
            user=user,
            defaults={
                "district_id": v["district_id"],
                "position": v["position"],
                "civil_servant_id": v["civil_servant_id"],
            },
            create_defaults={
                "role": Role.OFFICER,
                "district_id": v["district_id"],
                "position": v["position"],
                "civil_servant_id": v["civil_servant_id"],
            },
        )
        current = {t.tambon_id: t for t in officer.tambon_responsibilities.filter(end_date=None)}
        for tambon_id, responsibility in current.items():
            if tambon_id not in v["tambons"]:
                responsibility.end(today)
        TambonResponsibility.objects.bulk_create(
            TambonResponsibility(officer=officer, tambon_id=t, start_date=today)
            for t in v["tambons"]
            if t not in current
        )
    changes.record({r.values["district_id"] for r in rows})


def template_rows(kind: str) -> tuple[list[str], list[str]]:
    """The headers people see and one example row."""
    return TEMPLATE_HEADERS[kind], EXAMPLES[kind]


# --- Running a batch (in the request for small files, in the worker for large ones) ----------

REPORT_ROWS = 300  # rows kept for the page; every refused row's reasons are kept in full


def check_file(batch: ImportBatch) -> tuple[Table | None, Preview]:
    """The batch's file read (None if it is not a sheet) and checked as its uploader (the
    whole country for an import from the command line)."""
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        table = read(data, batch.filename)
    except SheetError as exc:
        return None, Preview(kind=batch.kind, error=sheet_error_message(exc))
    user = batch.uploaded_by or _CommandUser()
    return table, preview(batch.kind, table, user=user, year=batch.year_id)


IMPORT_REASON = re.compile(r"^import #(\d+) (.*)$", re.S)


def reason_text(reason: str) -> str:
    """A change's recorded reason for people to read: an import's (kept as ``import #<batch>
    <file>`` whatever the uploader's language) in the reader's."""
    match = IMPORT_REASON.match(reason)
    if not match:
        return reason
    return _("import #%(batch)s, file %(file)s") % {"batch": match[1], "file": match[2]}


def _shown(name: str, value: str) -> str:
    """A kept value as people read it: an amount in baht as 40,000 (40,000.50 if it has
    satang), not as kept (40000.00)."""
    if name not in MONEY:
        return value
    try:
        return thai.format_baht(value, satang=True)
    except InvalidOperation:
        return value


def labelled(report: dict) -> dict:
    """A kept report with each change named for people, in the reader's language, and its
    amounts written as the rest of the portal writes them."""
    rows = [
        {
            **r,
            "changes": {
                str(CHANGE_LABELS.get(k, k)): [_shown(k, value) for value in v]
                for k, v in r["changes"].items()
            },
        }
        for r in report.get("rows", [])
    ]
    return {**report, "rows": rows}


def _kept(value) -> str:
    """A changed value as the report keeps it: an officer's tambons as "401601, 401602"
    (none: "—"), not as Python writes a list."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "—"
    return str(value)


@transaction.atomic
def run_check(*, batch: ImportBatch) -> Preview:
    """Check every row and keep the report on the batch; nothing else is written."""
    table, result = check_file(batch)
    batch.rows = len(result.rows)
    batch.created_count = result.count("new")
    batch.changed_count = result.count("changed")
    batch.unchanged_count = result.count("unchanged")
    batch.refused_count = result.count("refused")
    batch.status = ImportStatus.PREVIEW if result.ok else ImportStatus.REFUSED
    batch.report = {
        "error": result.error,
        "readable": table is not None,  # else there is no checked file to give back
        "rows": [
            {
                "number": r.number,
                "key": r.key,
                "status": r.status,
                "reasons": r.reasons,
                "label": r.label,
                "amount": r.amount,
                "changes": {k: [_kept(a), _kept(b)] for k, (a, b) in r.changes.items()},
            }
            for r in [r for r in result.rows if r.status != "unchanged"][:REPORT_ROWS]
        ],
        "reasons": {str(r.number): "; ".join(r.reasons) for r in result.rows if r.reasons},
    }
    batch.save()
    return result


@transaction.atomic
def run_apply(*, batch: ImportBatch, user) -> bool:
    """Check again (the database may have moved on since the preview), then write it all.
    False when a row is refused now: nothing is written, the batch says why."""
    result = run_check(batch=batch)
    if not result.ok:
        return False
    apply(batch=batch, result=result, user=user)
    return True


# --- The pages' and the worker's operations on a batch ---------------------------------------


def _enqueue(batch: ImportBatch, task) -> None:
    """Hand the batch to the worker once this transaction commits, remembering the task."""

    def send():
        result = task.enqueue(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


@transaction.atomic
def batch_upload(*, kind: str, year: int | None, upload, user) -> ImportBatch:
    """Keep an uploaded file as a batch and check it: here for a file that is quick to read,
    by the worker for one that unpacks large (decided by what reading costs, not by the
    upload's size: a 250 KB .xlsx can hold 70 MB of cells)."""
    from imports import tasks  # the task module imports this one

    importer_province(user)
    fiscal_year = FiscalYear.objects.get_or_create(year=year)[0] if year else None
    upload.seek(0)
    data = upload.read()
    # Saved and checked in one transaction: a request that dies while checking (a worker
    # timeout) leaves no half-checked batch behind, only nothing.
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind, year=fiscal_year, filename=upload.name[:255], uploaded_by=user
        )
        batch.file.save(upload.name, ContentFile(data), save=False)
        size = unpacked_size(data)
        # refused before anything unpacks (a zip bomb), or quick to read: done here
        if size <= settings.IMPORT_SYNC_UNPACKED or size > settings.IMPORT_MAX_UNCOMPRESSED:
            batch.save()
            run_check(batch=batch)
        else:
            batch.status = ImportStatus.CHECKING
            batch.save()
            _enqueue(batch, tasks.check_import)
    return batch


class AlreadyApplied(Exception):
    """The batch was applied (or refused) by another request first: a double click."""


@transaction.atomic
def batch_apply(*, batch: ImportBatch, user) -> ImportBatch:
    """Apply a previewed batch: here for a short file, by the worker for a long one. The
    batch's row is locked first, so a second Confirm waits for the first and is told it
    was applied (``AlreadyApplied``) instead of writing the rows twice."""
    from imports import tasks

    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise AlreadyApplied
        if locked.rows > settings.IMPORT_SYNC_ROWS:
            locked.status = ImportStatus.APPLYING
            locked.save(update_fields=["status"])
            _enqueue(locked, tasks.apply_import)
        else:
            run_apply(batch=locked, user=user)
    return locked


@transaction.atomic
def worker_apply(*, batch_id: int) -> None:
    """The worker's apply: in one transaction that holds the batch's row, so that a worker
    that dies leaves nothing written, and the lock says whether one is still at work."""
    batch = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("uploaded_by")
        .get(pk=batch_id)
    )
    if batch.status != ImportStatus.APPLYING:
        return  # applied meanwhile, or given back after its worker died
    applied = run_apply(batch=batch, user=batch.uploaded_by)
    notices.batch_done(batch)
    if applied:
        ImportBatch.objects.filter(pk=batch.pk).update(task_id="")


@transaction.atomic
def worker_check(*, batch_id: int) -> None:
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != ImportStatus.CHECKING:
        return
    run_check(batch=batch)
    notices.batch_done(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id="")


def _worker_gone(batch: ImportBatch) -> bool:
    """Whether the worker that had this batch stopped without finishing it (killed, the
    machine restarted): its task failed, or it was started and either its transaction no
    longer holds the batch's row (PostgreSQL) or it ran longer than any import takes."""
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.filter(pk=batch.task_id).first() if batch.task_id else None
    if task is None or task.status == "FAILED":
        # a task that never reached the queue (the process died before on_commit ran) or
        # raised: nobody is at work on it
        return task is not None or batch.uploaded_at < timezone.now() - settings.IMPORT_STUCK_AFTER
    if task.status != "RUNNING":
        return task.status == "SUCCESSFUL"  # finished, yet the batch still says working
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                ImportBatch.objects.select_for_update(nowait=True).filter(pk=batch.pk).exists()
            return True  # the row is free: the worker's transaction is gone with it
        except OperationalError:
            return False  # held: a worker is applying it now
    return (
        task.started_at is not None
        and task.started_at < timezone.now() - settings.IMPORT_STUCK_AFTER
    )


@transaction.atomic
def batch_recover(*, batch: ImportBatch) -> bool:
    """A batch left "checking" or "applying" by a worker that died is given back: checked
    again by a new task, or offered to apply again (nothing of it was written: the apply is
    one transaction). True when it was stuck."""
    from django_tasks_db.models import DBTaskResult

    from imports import tasks

    if batch.status not in (ImportStatus.CHECKING, ImportStatus.APPLYING) or not _worker_gone(
        batch
    ):
        return False
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in (ImportStatus.CHECKING, ImportStatus.APPLYING):
            return False
        if locked.task_id:  # not left RUNNING for ever in the queue's records
            DBTaskResult.objects.filter(pk=locked.task_id, status="RUNNING").update(
                status="FAILED", finished_at=timezone.now()
            )
        if locked.status == ImportStatus.CHECKING:
            _enqueue(locked, tasks.check_import)
        else:
            locked.status = ImportStatus.PREVIEW
        locked.task_id = ""
        locked.save(update_fields=["status", "task_id"])
    batch.refresh_from_db()
    return True


class _CommandUser:
    """Whoever runs manage.py already holds the database: the whole country's scope."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    officer_or_none = None
