import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from districts.lib import thai


def test_fiscal_year_2560_runs_from_october_2016_to_september_2017():
    assert thai.fiscal_year_bounds(2560) == (dt.date(2016, 10, 1), dt.date(2017, 9, 30))


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2016, 9, 30), 2559),
        (dt.date(2016, 10, 1), 2560),
        (dt.date(2017, 5, 27), 2560),
        (dt.date(2017, 9, 30), 2560),
        (dt.date(2017, 10, 1), 2561),
    ],
)
def test_fiscal_year_of_a_day(day, year):
    assert thai.fiscal_year_of(day) == year


def test_dates_are_shown_in_the_buddhist_era():
    assert thai.format_date(dt.date(2017, 5, 27)) == "27 พ.ค. 2560"
    assert thai.format_date(dt.date(2017, 5, 27), long=True) == "27 พฤษภาคม 2560"
    assert thai.format_date(dt.date(2017, 5, 27), lang="en") == "27 May 2560 BE"


def test_a_moment_is_dated_in_bangkok_not_utc():
    from django.template import Context, Template

    evening_utc = dt.datetime(2017, 5, 26, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 27th there
    page = Template("{{ at|bedate }} {{ at|time:'H:i' }}").render(Context({"at": evening_utc}))
    assert page == "27 พ.ค. 2560 01:30"


def test_thai_digits_become_arabic():
    assert thai.to_arabic_digits("อำเภอ ๔๐๑๖") == "อำเภอ 4016"
    assert thai.to_thai_digits("2560") == "๒๕๖๐"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("27/05/2560", dt.date(2017, 5, 27)),
        ("๒๗/๐๕/๒๕๖๐", dt.date(2017, 5, 27)),
        (" 1-10-2559 ", dt.date(2016, 10, 1)),
        ("29/02/2563", dt.date(2020, 2, 29)),
        # what a phone's number pad can type: dots, spaces, or the digits alone
        ("15.9.2560", dt.date(2017, 9, 15)),
        ("15 09 2560", dt.date(2017, 9, 15)),
        ("15092560", dt.date(2017, 9, 15)),
        ("๑๕๐๙๒๕๖๐", dt.date(2017, 9, 15)),
    ],
)
def test_buddhist_era_dates_are_read(text, day):
    assert thai.parse_be_date(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "",
        "27/05/2017",
        "31/02/2560",
        "2560-05-27",
        "abc",
        "27/13/2560",
        "1592560",
        "150925600",
        "15092017",
        "15/092560",
    ],
)
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        thai.parse_be_date(text)


@pytest.mark.parametrize(
    "text", ["31/02/2560", "29/02/2561", "31/04/2560", "27/13/2560", "00052560"]
)
def test_a_well_written_day_the_calendar_lacks_is_told_apart(text):
    with pytest.raises(thai.NoSuchDate):
        thai.parse_be_date(text)


@pytest.mark.parametrize("text", ["27/05/2017", "2560-05-27", "abc", "150925600"])
def test_a_badly_written_day_is_not_called_missing_from_the_calendar(text):
    with pytest.raises(ValueError) as refused:
        thai.parse_be_date(text)
    assert not isinstance(refused.value, thai.NoSuchDate)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2560", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("๓๑/๐๔/๒๕๖๐", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("31-02-60", "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ."),
    ],
)
def test_the_date_field_says_whether_the_day_is_missing_or_the_format_is_wrong(text, message):
    from django import forms
    from django.utils import translation

    from districts.forms import BEDateField

    class Form(forms.Form):
        date = BEDateField()

    with translation.override("th"):
        errors = Form({"date": text}).errors["date"]
    assert len(errors) == 1 and errors[0].startswith(message)
    assert Form({"date": "29/02/2559"}).is_valid()  # 2016 was a leap year


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_a_day_survives_the_round_trip_through_its_input_text(day):
    assert thai.parse_be_date(thai.format_be_input(day)) == day
    assert thai.parse_be_date(thai.to_thai_digits(thai.format_be_input(day))) == day


@given(st.text(max_size=40))
def test_parsing_any_text_returns_a_date_or_raises_value_error(text):
    try:
        result = thai.parse_be_date(text)
    except ValueError:
        return
    assert isinstance(result, dt.date)


def test_baht_is_written_one_way_whole_or_with_satang_when_there_are_some():
    from decimal import Decimal

    from districts.templatetags.thai import baht

    assert baht(Decimal("1234567.50")) == thai.format_baht(1234567.5) == "1,234,568"
    assert baht(2.5) == "3"  # half a baht up, as people round, not to the even
    assert baht(None) == "" and baht(0) == "0"
    assert thai.format_baht("40000.00", satang=True) == "40,000"
    assert thai.format_baht("40000.50", satang=True) == "40,000.50"


def test_a_share_with_nothing_to_share_is_a_dash():
    from districts.templatetags.thai import pct

    assert pct(None) == "—" and pct(0) == "0%" and pct(87) == "87%"


def test_a_month_is_named_in_the_buddhist_era():
    assert thai.format_month(dt.date(2017, 5, 27)) == "พฤษภาคม 2560"
    assert thai.format_month(dt.date(2016, 10, 1), lang="en") == "Oct 2559 BE"
    assert thai.format_month(None) == ""
