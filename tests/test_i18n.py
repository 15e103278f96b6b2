"""Thai first: every string the user sees has a Thai translation."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"


def po_entries():
    """(msgid, msgstr, flags) for every entry but the header."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid, msgstr = ("".join(re.findall(r'"(.*)"', part)) for part in match.groups())
        if msgid:
            yield msgid, msgstr, "#, fuzzy" in block


def test_every_message_has_a_thai_translation_and_none_is_fuzzy():
    entries = list(po_entries())
    assert len(entries) > 100
    assert [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy] == []


def test_every_template_loads_i18n():
    missing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "{% load i18n" not in path.read_text(encoding="utf-8")
    ]
    assert missing == []


THAI = re.compile(r"[\u0E00-\u0E7F]")


def test_django_messages_its_own_thai_catalogue_lacks_come_out_in_thai():
    """Newer Django strings that Django's Thai catalogue lacks (locale_django/): the messages
    a field officer meets on a form, the password rules, and time spans."""
    import datetime as dt

    from django import forms
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation
    from django.utils.timesince import timesince

    class Form(forms.Form):
        activity = forms.CharField(max_length=5)
        budget = forms.DecimalField(max_digits=5, decimal_places=2)
        photo = forms.ImageField(required=False)

    with translation.override("th"):
        errors = Form({"activity": "ทอผ้าไหมมัดหมี่", "budget": "123456.789"}).errors
        messages = [str(m) for field in errors.values() for m in field]
        try:
            validate_password("1234567")
        except ValidationError as error:
            messages += error.messages
        messages.append(timesince(dt.datetime(2025, 1, 1)))
    assert len(messages) >= 5
    assert [m for m in messages if not THAI.search(m)] == []


def test_django_messages_its_thai_catalogue_words_wrongly_are_the_portals():
    """Django's own Thai says "ฟิลด์นี้จำเป็น" for an empty required box, and tells a user
    setting a password to type the OLD one again in the confirmation box."""
    from django import forms
    from django.contrib.auth.forms import SetPasswordForm
    from django.utils import translation

    class Form(forms.Form):
        activity = forms.CharField()

    with translation.override("th"):
        assert Form({}).errors["activity"] == ["กรุณากรอกช่องนี้"]
        confirm = str(SetPasswordForm(user=None).fields["new_password2"].help_text)
    assert "ใหม่" in confirm and "เดิม" not in confirm


def test_the_csrf_failure_page_is_the_portals_in_thai(db):
    """An officer whose form outlived its session sees why the save failed, in Thai."""
    from django.test import Client

    page = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "CSRF verification failed" not in text
    assert "ยังไม่ได้บันทึกแบบฟอร์ม" in text  # templates/403_csrf.html


def test_a_missing_page_is_the_portals_in_thai(login, officer_a):
    page = login(officer_a).get("/districts/9999/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "ไม่พบหน้านี้" in text and "The requested resource" not in text
    assert officer_a.user.display_name in text  # the portal's own page, with its menu


def test_the_admin_has_no_english_label_left_on_its_index(admin_user, client):
    client.force_login(admin_user)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    english_labels = [
        "Skip to main content",
        "Toggle theme",
        "Access attempts",
        "Model name",
        "Tasks Database Backend",
        "Task Results",
        ">Axes<",
    ]
    for english in english_labels:
        assert english not in page


def test_the_server_error_page_stands_alone_in_thai():
    """500.html renders with no context, request or database."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("th"):
        page = server_error(RequestFactory().get("/")).content.decode()
    assert "เกิดข้อผิดพลาด" in page and "Server Error" not in page


def test_a_refused_page_is_the_portals_in_thai(admin_user, client):
    client.force_login(admin_user)
    page = client.get("/admin/imports/importbatch/add/")  # imports are made at /imports/
    assert page.status_code == 403
    assert "ไม่มีสิทธิ์เข้าหน้านี้" in page.content.decode()


def test_the_admins_scripts_speak_thai(client, admin_user):
    client.force_login(admin_user)
    script = client.get("/admin/jsi18n/").content.decode()
    catalogue = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), script)
    assert "เลือก %(sel)s จาก %(cnt)s รายการ" in catalogue  # Django's own Thai says "selected"
    assert "เลือก%sทั้งหมด" in catalogue and "อาทิตย์" in catalogue


def test_the_admin_says_none_available_as_nothing_there_not_busy(admin_user, client):
    """Django's Thai says "ไม่ว่าง" (busy, not free) where the admin has no recent action to
    list; locale_django says there is none."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("th"):
        assert gettext("None available") in {"ไม่มีรายการ", "ไม่มี"}
    client.force_login(admin_user)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "ไม่มีรายการ" in page and "ไม่ว่าง" not in page


def test_the_admins_date_filter_says_past_7_days_not_last_week(admin_user, client):
    """Django's Thai turns "Past 7 days" into "สัปดาห์ที่แล้ว" (last week), "No date" into
    "ไม่รวมวันที่" (leaving the date out) and each filter's "By ..." into the "by" of a doer."""
    client.force_login(admin_user)
    page = client.get("/admin/fieldwork/fieldvisit/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "7 วันที่ผ่านมา" in page and "สัปดาห์ที่แล้ว" not in page
    assert "ตามวันที่ลงพื้นที่" in page and "โดย วันที่ลงพื้นที่" not in page


def test_a_form_asks_for_a_valid_date_and_a_whole_number_in_plain_thai():
    """Django's Thai asks for "a day" ("กรุณาใส่วัน") for a wrong date and for "an identifier
    number" ("กรอกหมายเลข") for a wrong count, and says "ไม่รู้" for an unknown yes/no."""
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        when = forms.DateField()
        households = forms.IntegerField()
        budget = forms.DecimalField()
        formed = forms.NullBooleanField()

    with translation.override("th"):
        form = Form({"when": "31/02/2568", "households": "สิบ", "budget": "ห้าพัน"})
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        choices = [str(label) for _, label in form.fields["formed"].widget.choices]
    assert errors == {
        "when": ["กรุณาใส่วันที่ให้ถูกต้อง"],
        "households": ["กรุณากรอกจำนวนเต็ม"],
        "budget": ["กรุณากรอกตัวเลข"],
    }
    assert "ไม่ทราบ" in choices and "ไม่รู้" not in choices


def test_the_admins_action_warnings_are_in_thai(client, admin_user):
    """Django's Thai for the admin's script has these warnings only in their older wording,
    so they came out in English; and it called the "Go" button "ไป"."""
    from django.utils import translation
    from django.utils.translation import gettext

    client.force_login(admin_user)
    script = client.get("/admin/jsi18n/").content.decode()
    catalogue = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), script)
    assert "ท่านน่าจะต้องการกดปุ่ม “ดำเนินการ” มากกว่าปุ่ม “บันทึก”" in catalogue
    with translation.override("th"):
        assert gettext("Go") == "ดำเนินการ"
