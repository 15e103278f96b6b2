"""Thai conventions with no tie to Django: Buddhist-era dates, fiscal years, Thai digits.

The Thai government counts years in the Buddhist era (BE = CE + 543) and its fiscal year runs
from 1 October to 30 September, named after the BE year in which it ends: FY2560 is
1 Oct 2016 - 30 Sep 2017.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN_ABBR = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


# The titles a Thai name starts with, the longest first (นางสาว before นาง).
TITLES = ("นางสาว", "นาย", "นาง")


def format_baht(amount, *, satang: bool = False) -> str:
    """Baht with thousands separators, whole: 1234567.5 -> '1,234,568'. With ``satang``, the
    satang when there are some ('40,000.50') and none when not ('40,000'): for showing a
    change of a few satang, which whole baht would hide."""
    amount = Decimal(str(amount))
    if satang and amount != amount.to_integral_value():
        return f"{amount:,.2f}"
    return f"{amount.quantize(Decimal(1), ROUND_HALF_UP):,}"


def to_arabic_digits(text: str) -> str:
    """'๔๐๑๖' -> '4016'; other characters are left alone."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def ce_year(year_be: int) -> int:
    return year_be - BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """The BE fiscal year a day falls in: 1 Oct 2016 and 30 Sep 2017 are both in 2560."""
    return be_year(day.year) + (1 if day.month >= 10 else 0)


def fiscal_year_bounds(year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a BE fiscal year."""
    end_ce = ce_year(year_be)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def format_date(day: dt.date | None, *, lang: str = "th", long: bool = False) -> str:
    """'27 พ.ค. 2560' (Thai), '27 พฤษภาคม 2560' (long), or '27 May 2560 BE' (English)."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    year = be_year(day.year)
    if lang.startswith("th"):
        month = (MONTHS_TH if long else MONTHS_TH_ABBR)[day.month - 1]
        return f"{day.day} {month} {year}"
    return f"{day.day} {MONTHS_EN_ABBR[day.month - 1]} {year} BE"


def format_month(day: dt.date | None, *, lang: str = "th") -> str:
    """'พฤษภาคม 2560' (Thai) or 'May 2560 BE' (English): a month of a calendar."""
    if day is None:
        return ""
    if lang.startswith("th"):
        return f"{MONTHS_TH[day.month - 1]} {be_year(day.year)}"
    return f"{MONTHS_EN_ABBR[day.month - 1]} {be_year(day.year)} BE"


# day/month/year with any of / . - or spaces between; or the eight digits alone (15092560),
# which is all a phone's number pad can type on some phones (iOS has no "/" on it)
_DATE_RE = re.compile(
    r"^\s*(?:(\d{1,2})(?:\s*[/.\-]\s*|\s+)(\d{1,2})(?:\s*[/.\-]\s*|\s+)(\d{4})"
    r"|(\d{2})(\d{2})(\d{4}))\s*$"
)


class NoSuchDate(ValueError):
    """A day/month/year the calendar does not have: 31/02/2560, 27/13/2560."""


def parse_be_date(text: str) -> dt.date:
    """Read a day written the Thai way, day/month/BE year ('27/05/2560', '27.5.2560',
    '27 5 2560', '27052560'; Thai digits too).

    Raises ValueError on anything else, including a CE year (a year below 2400 is refused
    rather than silently shifted by 543 years); NoSuchDate, a ValueError, when the text is
    written right but names a day that does not exist.
    """
    match = _DATE_RE.match(to_arabic_digits(text or ""))
    if not match:
        raise ValueError("not a day/month/year date")
    day, month, year = (int(part) for part in match.groups() if part is not None)
    if year < 2400:
        raise ValueError("year is not in the Buddhist era")
    try:
        return dt.date(ce_year(year), month, day)
    except ValueError:
        raise NoSuchDate(f"{day}/{month}/{year} is not in the calendar") from None


def format_be_input(day: dt.date | None) -> str:
    """The value an input field shows for a day: '27/05/2560'."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{be_year(day.year)}"
