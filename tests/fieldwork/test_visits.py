"""Field visits: logging from a phone, photos, scope, follow-up, neglect, export."""

import datetime as dt
import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook
from PIL import Image

from assignments import services
from assignments.models import Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts.models import Role
from fieldwork import access as field_access
from fieldwork import selectors as field_selectors
from fieldwork import services as field_services
from fieldwork.models import FieldVisit, NeglectThreshold, VisitAdvice, VisitPhoto
from tests.factories import FiscalYearFactory, OfficerFactory, UserFactory

GPS = 0x8825


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif[GPS] = {1: "N", 2: (16.0, 40.0, 0.0), 3: "E", 4: (102.0, 22.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_claiming(width, height) -> bytes:
    """A small PNG whose header says ``width`` × ``height``: what a decompression bomb or a
    huge flat picture looks like before it is decoded, without the seconds to make one."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    start = data.index(b"IHDR")
    data[start + 4 : start + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[start : start + 17]))
    data[start + 17 : start + 21] = struct.pack(">I", crc)
    return bytes(data)


def upload(name, data, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def field(area_a, officer_a, head_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_default_stages(Stage)  # a transactional test before this one may have flushed them
    stages = list(Stage.objects.order_by("order"))
    mine = area_a.targets[:2]
    for target in mine:
        VillageAssignment.objects.create(target=target, officer=officer_a)
    return {"mine": mine, "other": area_a.targets[2], "stages": stages}


def visit_data(target, stage, **extra):
    data = {
        "target": target.pk,
        "date": "15/06/2560",
        "stage": stage.pk,
        "activity": "ถ่ายทอดความรู้การทอผ้า",
        "sage_took_part": "on",
        "support_team_count": "4",
        "household_count": "18",
        "partners": "อบต.",
        "notes": "ครัวเรือนสนใจมาก",
    }
    data.update(extra)
    return data


def test_officer_logs_a_visit_with_a_photo_and_location_is_stripped(login, field):
    client = login(field["mine"][0].assignments.get().officer)
    data = visit_data(
        field["mine"][0], field["stages"][2], lat="16.60", lon="102.40", accuracy_m="12"
    )
    data["photos"] = [upload("IMG_0001.jpg", jpeg_with_gps())]
    response = client.post("/visits/new/?year=2560", data)
    visit = FieldVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/"
    assert visit.date == dt.date(2017, 6, 15)
    assert (visit.support_team_count, visit.household_count, visit.sage_took_part) == (4, 18, True)
    photo = visit.photos.get()
    stored = Image.open(photo.image.path)
    assert stored.getexif().get(GPS) is None
    assert stored.getexif().get(0x010F) == "TestCam"
    assert Image.open(photo.display.path).size == (64, 48)
    page = client.get(response["Location"])
    assert "บันทึกการลงพื้นที่" in page.content.decode()
    assert "15 มิ.ย. 2560" in page.content.decode()  # the message dates as every page does


def test_a_form_sent_twice_saves_one_visit_and_says_so(login, field, officer_a):
    """A double tap, or a phone retrying the POST on a bad line, sends the same form twice."""
    client = login(officer_a)
    form = client.get("/visits/new/?year=2560").content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', form).group(1)
    data = visit_data(field["mine"][0], field["stages"][1], submission=token)
    first = client.post(
        "/visits/new/?year=2560", {**data, "photos": [upload("a.jpg", jpeg_with_gps())]}
    )
    again = client.post(
        "/visits/new/?year=2560",
        {**data, "photos": [upload("a.jpg", jpeg_with_gps())]},
        follow=True,
    )
    visit = FieldVisit.objects.get()
    assert first["Location"] == f"/visits/{visit.pk}/"
    assert again.redirect_chain == [(f"/visits/{visit.pk}/", 302)]
    assert "บันทึกไว้แล้ว" in again.content.decode()
    assert VisitPhoto.objects.count() == 1
    # a new form is a new visit, even with the same content
    other = client.get("/visits/new/?year=2560").content.decode()
    assert token not in other
    data["submission"] = re.search(r'name="submission" value="([0-9a-f-]{36})"', other).group(1)
    client.post("/visits/new/?year=2560", data)
    assert FieldVisit.objects.count() == 2


def test_a_photo_keeps_its_own_cache_header_and_the_visit_page_is_not_stored(
    login, field, officer_a
):
    client = login(officer_a)
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("IMG_0001.jpg", jpeg_with_gps())]
    client.post("/visits/new/?year=2560", data)
    photo = FieldVisit.objects.get().photos.get()
    page = client.get(f"/visits/{photo.visit_id}/")
    assert page.headers["Cache-Control"] == "no-store"
    # the thumbnails of a visit list load from this browser's cache, and only from its own
    served = client.get(f"/visits/photos/{photo.pk}/thumb/")
    assert served.headers["Cache-Control"] == "private, max-age=86400"


def test_the_officer_can_keep_the_photo_location_on_purpose(login, field, officer_a):
    data = visit_data(field["mine"][0], field["stages"][0], keep_location="on")
    data["photos"] = [upload("a.jpg", jpeg_with_gps())]
    login(officer_a).post("/visits/new/?year=2560", data)
    photo = VisitPhoto.objects.get()
    assert photo.kept_location
    assert Image.open(photo.image.path).getexif().get_ifd(GPS)


def test_a_visit_moves_the_village_to_a_later_stage_never_back(login, field, officer_a):
    target = field["mine"][0]
    client = login(officer_a)
    client.post("/visits/new/?year=2560", visit_data(target, field["stages"][3]))
    target.refresh_from_db()
    assert target.stage == field["stages"][3]
    client.post("/visits/new/?year=2560", visit_data(target, field["stages"][1], date="01/03/2560"))
    target.refresh_from_db()
    assert target.stage == field["stages"][3]
    assert FieldVisit.objects.count() == 2


def test_a_non_image_is_refused_in_thai_and_nothing_is_saved(login, field, officer_a):
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("report.jpg", b"%PDF-1.4 not a photo at all")]
    response = login(officer_a).post("/visits/new/?year=2560", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "ไม่ใช่รูปภาพ" in text
    assert "ถ่ายทอดความรู้การทอผ้า" in text  # what was typed is still there
    assert "ครัวเรือนสนใจมาก" in text
    assert not FieldVisit.objects.exists() and not VisitPhoto.objects.exists()


def test_an_oversized_photo_is_refused_and_nothing_is_saved(login, field, officer_a, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("big.jpg", jpeg_with_gps() + b"\0" * (1024 * 1024))]
    response = login(officer_a).post("/visits/new/?year=2560", data)
    assert "ใหญ่เกิน 1 MB" in response.content.decode()
    assert not FieldVisit.objects.exists()


def test_a_photo_larger_than_a_phone_camera_makes_is_refused_in_thai(login, field, officer_a):
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("huge.png", png_claiming(8000, 7000), "image/png")]  # 56 MP
    response = login(officer_a).post("/visits/new/?year=2560", data)
    assert "มีเกิน 50 ล้านพิกเซล" in response.content.decode()
    assert not FieldVisit.objects.exists()


def test_a_visits_photos_together_are_held_to_200_megapixels_before_any_is_decoded(
    login, field, officer_a
):
    # five photos of 49 MP, each under the cap on its own: their headers are all that is
    # read (they hold no picture; decoded, each would be refused as no photo at all)
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload(f"{n}.png", png_claiming(7000, 7000), "image/png") for n in range(5)]
    response = login(officer_a).post("/visits/new/?year=2560", data)
    text = response.content.decode()
    assert "รวมกันมี 245 ล้านพิกเซล" in text and "รวมไม่เกิน 200 ล้านพิกเซล" in text
    assert "ไม่ใช่รูปภาพ" not in text
    assert not FieldVisit.objects.exists()


def test_no_comment_xmp_or_text_is_kept_in_any_stored_size_of_a_photo(login, field, officer_a):
    image = Image.new("RGB", (1600, 1200), "green")
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif[0x010E] = "บ้านนางสมศรี"  # ImageDescription
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0Location: 16.678900, 102.345600"  # UserComment
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'photoshop:City="Phu Wiang"/></rdf:RDF></x:xmpmeta>'
    )
    out = io.BytesIO()
    image.save(
        out, "JPEG", exif=exif.tobytes(), xmp=xmp, comment=b"Location: 16.678900, 102.345600"
    )
    assert b"16.678900" in out.getvalue() and b"Phu Wiang" in out.getvalue()
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("IMG_0002.jpg", out.getvalue())]
    login(officer_a).post("/visits/new/?year=2560", data)
    photo = VisitPhoto.objects.get()
    for stored in (photo.image, photo.display, photo.thumb):
        raw = stored.read()
        for text in (b"16.678900", b"Phu Wiang", b"xmpmeta", "สมศรี".encode()):
            assert text not in raw, (stored.name, text)
        with Image.open(stored.path) as kept:
            assert "comment" not in kept.info and "xmp" not in kept.info
    # the camera's own record stays with the original
    assert Image.open(photo.image.path).getexif().get(0x010F) == "TestCam"


def test_a_phone_jpeg_with_a_second_picture_mpo_is_kept_as_a_jpeg(login, field, officer_a):
    out = io.BytesIO()
    first, depth = Image.new("RGB", (800, 600), "green"), Image.new("RGB", (200, 150), "gray")
    first.save(out, "MPO", save_all=True, append_images=[depth])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("IMG_0003.jpg", out.getvalue())]
    response = login(officer_a).post("/visits/new/?year=2560", data)
    assert response.status_code == 302
    photo = VisitPhoto.objects.get()
    for stored, size in ((photo.image, (800, 600)), (photo.display, (800, 600))):
        with Image.open(stored.path) as kept:
            assert (kept.format, kept.size) == ("JPEG", size)
            assert getattr(kept, "n_frames", 1) == 1


def test_a_png_named_jpg_is_judged_by_its_content(login, field, officer_a):
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 128)).save(out, "PNG")
    data = visit_data(field["mine"][0], field["stages"][0])
    data["photos"] = [upload("odd-name.txt", out.getvalue(), "text/plain")]
    assert login(officer_a).post("/visits/new/?year=2560", data).status_code == 302
    assert VisitPhoto.objects.count() == 1


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("15/06/2017", "พ.ศ."),
        ("15/06/2559", "นอกปีงบประมาณ 2560"),
        ("15/06/2561", "หลังปีงบประมาณ 2560"),
        ("15/06/2600", "อนาคต"),
    ],
)
def test_bad_dates_are_told_in_thai(login, field, officer_a, date, message):
    response = login(officer_a).post(
        "/visits/new/?year=2560", visit_data(field["mine"][0], field["stages"][0], date=date)
    )
    assert message in response.content.decode()
    assert not FieldVisit.objects.exists()
    # the field is marked, and what was typed is kept
    page = response.content.decode()
    assert 'class="form-control is-invalid"' in page
    # a screen reader is led from the field to its message
    assert re.search(r'aria-describedby="[^"]*\bid_date_error\b', page)
    assert 'id="id_date_error"' in page
    assert f'value="{date}"' in page


def test_counts_of_people_present_are_held_to_what_can_be(login, field, officer_a):
    from fieldwork.models import Household

    target, stage = field["mine"][0], field["stages"][0]
    client = login(officer_a)
    slip = client.post("/visits/new/?year=2560", visit_data(target, stage, household_count="99999"))
    assert "99999" in slip.content.decode() and not FieldVisit.objects.exists()
    team = client.post(
        "/visits/new/?year=2560", visit_data(target, stage, support_team_count="400")
    )
    assert "ต้องน้อยกว่าหรือเท่ากับ 99" in team.content.decode()
    for name in ("นายหนึ่ง", "นางสอง"):
        Household.objects.create(target=target, head_name=name, livelihood="ทอผ้า")
    Household.objects.create(  # a neighbour who joined is not a target household
        target=target, head_name="นายสาม", livelihood="ทอผ้า", is_neighbour=True
    )
    more = client.post("/visits/new/?year=2560", visit_data(target, stage, household_count="3"))
    assert "มีครัวเรือนเป้าหมายที่บันทึกไว้ 2 ครัวเรือน" in more.content.decode()
    assert not FieldVisit.objects.exists()
    data = visit_data(target, stage, household_count="2")
    assert client.post("/visits/new/?year=2560", data).status_code == 302
    assert FieldVisit.objects.get().household_count == 2


def test_the_visit_rules_hold_for_the_service_too_not_only_the_form(field, officer_a):
    """visit_log validates the visit itself: another caller (an import, the admin) meets the
    same fiscal-year and households rules as the officer's form."""
    from django.core.exceptions import ValidationError

    from fieldwork.models import Household

    target, stage = field["mine"][0], field["stages"][0]
    Household.objects.create(target=target, head_name="นายหนึ่ง", livelihood="x")
    common = {"user": officer_a.user, "target": target, "stage": stage, "activity": "ประชุม"}
    with pytest.raises(ValidationError) as refused:
        field_services.visit_log(**common, date=dt.date(2017, 6, 15), household_count=2)
    assert set(refused.value.message_dict) == {"household_count"}
    with pytest.raises(ValidationError) as refused:
        field_services.visit_log(**common, date=dt.date(2018, 6, 15), household_count=1)
    assert set(refused.value.message_dict) == {"date"}
    assert not FieldVisit.objects.exists()


def test_a_date_typed_on_a_number_pad_is_read(login, field, officer_a):
    # a phone's number pad may have no "/": the eight digits alone are a day too
    data = visit_data(field["mine"][0], field["stages"][0], date="15062560")
    assert login(officer_a).post("/visits/new/?year=2560", data).status_code == 302
    assert FieldVisit.objects.get().date == dt.date(2017, 6, 15)


def test_the_visit_list_filters_offer_all_in_thai(login, field, head_a):
    text = login(head_a).get("/districts/4016/visits/").content.decode()
    assert text.count('<option value="" selected>ทั้งหมด</option>') == 4
    assert "---------" not in text


def test_an_officer_cannot_log_a_visit_to_a_village_they_do_not_work(login, field, officer_a):
    response = login(officer_a).post(
        "/visits/new/?year=2560", visit_data(field["other"], field["stages"][0])
    )
    assert response.status_code == 200
    assert "id_target" in response.content.decode()
    assert not FieldVisit.objects.exists()
    with pytest.raises(PermissionDenied):
        field_services.visit_log(
            user=officer_a.user,
            target=field["other"],
            date=dt.date(2017, 1, 1),
            stage=field["stages"][0],
            activity="x",
        )


def test_a_far_location_is_flagged_not_refused(login, field, officer_a):
    tambon = field["mine"][0].village.tambon
    tambon.lat, tambon.lon = 16.6, 102.4
    tambon.save()
    client = login(officer_a)
    client.post(
        "/visits/new/?year=2560",
        visit_data(field["mine"][0], field["stages"][0], lat="13.75", lon="100.5"),
    )
    visit = FieldVisit.objects.get()
    assert visit.far_from_village and visit.distance_km > 300
    client.post(  # in the tambon: recorded, not flagged
        "/visits/new/?year=2560",
        visit_data(field["mine"][0], field["stages"][0], lat="16.61", lon="102.41"),
    )
    near = FieldVisit.objects.exclude(pk=visit.pk).get()
    assert not near.far_from_village and near.distance_km < 2


def test_visits_of_another_district_are_404(login, field, officer_a, officer_b, area_a2):
    login(officer_a).post(
        "/visits/new/?year=2560",
        {
            **visit_data(field["mine"][0], field["stages"][0]),
            "photos": [upload("a.jpg", jpeg_with_gps())],
        },
    )
    visit = FieldVisit.objects.get()
    photo = visit.photos.get()
    # the head of a neighbouring district of the same province, and an officer of another
    # province: a rule by province would let the first one in
    neighbour = OfficerFactory(
        user=UserFactory(username="head-a2"), role=Role.HEAD, district=area_a2.district
    )
    for outsider in (neighbour, officer_b):
        client = login(outsider)
        assert client.get(f"/visits/{visit.pk}/").status_code == 404
        assert client.get(f"/visits/photos/{photo.pk}/display/").status_code == 404
        assert client.get("/districts/4016/visits/").status_code == 404
        assert client.get("/districts/4016/visits/export.xlsx").status_code == 404
        assert client.post(f"/visits/{visit.pk}/advice/", {"text": "x"}).status_code == 404
    own = login(officer_a).get(f"/visits/photos/{photo.pk}/thumb/")
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"


def make_visit(target, officer, stage, day):
    return FieldVisit.objects.create(
        target=target, officer=officer, stage=stage, date=day, activity="ติดตาม"
    )


def test_head_advises_and_the_officer_sees_it_until_read(login, field, officer_a, head_a):
    visit = make_visit(field["mine"][0], officer_a, field["stages"][0], dt.date(2017, 6, 1))
    head = login(head_a)
    response = head.post(
        f"/visits/{visit.pk}/advice/",
        {
            "text": "ขอให้ชวนเกษตรอำเภอมาร่วม",
            "needs_more": "on",
            "needs_more_reason": "นัดครัวเรือนที่ขาด",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.needs_more and visit.needs_more_reason == "นัดครัวเรือนที่ขาด"
    # the head reads the visit again: the advice stays unread, it is the officer's to read
    assert head.get(response["Location"]).status_code == 200
    assert VisitAdvice.objects.get().read_at is None
    officer = login(officer_a)
    home = officer.get("/")
    card = home.content.decode().split('id="new-advice"', 1)[1].split("</section>", 1)[0]
    assert "คำแนะนำใหม่จากพัฒนาการอำเภอ" in home.content.decode()
    assert len(home.context["unread_advice"]) == 1
    # the card says what more is needed and offers the follow-up visit to that village
    assert "นัดครัวเรือนที่ขาด" in card
    assert f'href="/visits/new/?target={visit.target_id}&amp;year=2560"' in card
    officer.get(f"/visits/{visit.pk}/")
    assert VisitAdvice.objects.get().read_at is not None
    assert officer.get("/").context["unread_advice"] == []


def test_needs_more_needs_a_reason(login, field, officer_a, head_a):
    visit = make_visit(field["mine"][0], officer_a, field["stages"][0], dt.date(2017, 6, 1))
    response = login(head_a).post(f"/visits/{visit.pk}/advice/", {"text": "x", "needs_more": "on"})
    assert response.status_code == 400
    assert "กรุณาระบุสิ่งที่ต้องทำเพิ่มเติม" in response.content.decode()
    assert not VisitAdvice.objects.exists()


def test_only_the_head_advises(login, field, officer_a, province_staff_a):
    visit = make_visit(field["mine"][0], officer_a, field["stages"][0], dt.date(2017, 6, 1))
    for who in (officer_a, province_staff_a):
        client = login(who)
        assert client.post(f"/visits/{visit.pk}/advice/", {"text": "x"}).status_code == 403
        # refused before the form is read (not a 400 for a form they may not send at all)
        assert client.post(f"/visits/{visit.pk}/advice/", {"needs_more": "on"}).status_code == 403
        # and by the service, whatever page calls it
        with pytest.raises(PermissionDenied):
            field_services.advice_add(visit=visit, user=who.user, text="x")
    assert not VisitAdvice.objects.exists()


def test_visit_list_filters_and_pages_in_fixed_queries(
    login, field, officer_a, head_a, django_assert_num_queries, render_every_time
):
    first, second = field["mine"]
    for day in range(1, 31):
        make_visit(first, officer_a, field["stages"][0], dt.date(2017, 1, day))
    make_visit(second, officer_a, field["stages"][4], dt.date(2017, 7, 1))
    client = login(head_a)
    # session, user, officer, district, the page's version, years, count, page of visits,
    # officers, tambons, stages
    with django_assert_num_queries(11):
        response = client.get("/districts/4016/visits/?year=2560")
    assert response.context["page"].paginator.count == 31
    assert len(response.context["visits"]) == 25
    stage = client.get(f"/districts/4016/visits/?year=2560&stage={field['stages'][4].pk}")
    assert [v.target for v in stage.context["visits"]] == [second]
    dates = client.get("/districts/4016/visits/?year=2560&date_from=10/01/2560&date_to=12/01/2560")
    assert dates.context["page"].paginator.count == 3
    village = client.get(f"/districts/4016/visits/?year=2560&village={second.village.code}")
    assert village.context["page"].paginator.count == 1


def test_export_has_thai_headers_and_escapes_formulas(login, field, officer_a, head_a):
    visit = make_visit(field["mine"][0], officer_a, field["stages"][0], dt.date(2017, 6, 1))
    visit.notes = '=HYPERLINK("http://evil")'
    visit.activity = "+1 ติดตาม"
    visit.save()
    response = login(head_a).get("/districts/4016/visits/export.xlsx?year=2560")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("วันที่ลงพื้นที่", "รหัสหมู่บ้าน", "หมู่บ้าน")
    assert rows[1][0] == "01/06/2560"
    assert rows[1][7] == "'+1 ติดตาม"
    assert rows[1][12].startswith("'=")


def test_not_visited_is_sorted_by_neglect_with_the_officer(field, officer_a, area_a, area_b):
    first, second = field["mine"]
    stage = field["stages"][0]
    TargetVillage.objects.filter(pk__in=[t.pk for t in area_a.targets]).update(stage=stage)
    # another district's own threshold is not this district's
    NeglectThreshold.objects.create(district=area_b.district, stage=stage, days=150)
    make_visit(first, officer_a, stage, dt.date(2017, 9, 20))  # 10 days before year end
    make_visit(second, officer_a, stage, dt.date(2017, 6, 1))  # 121 days
    late = field_selectors.overdue(
        field_selectors.followed_up(TargetVillage.objects.filter(district=area_a.district), 2560),
        2560,
    )
    # never-visited villages count from the year's start; second is late; first is fine
    assert [r.target.pk for r in late][-1] == second.pk
    assert first.pk not in [r.target.pk for r in late]
    assert late[-1].officer == officer_a and late[-1].days_since == 121
    NeglectThreshold.objects.create(district=area_a.district, stage=stage, days=150)
    late = field_selectors.overdue(
        field_selectors.followed_up(TargetVillage.objects.filter(district=area_a.district), 2560),
        2560,
    )
    assert second.pk not in [r.target.pk for r in late]


def test_head_sets_thresholds_and_officers_cannot(login, field, officer_a, head_a):
    data = {f"stage-{s.pk}": "45" for s in field["stages"]}
    assert login(officer_a).post("/districts/4016/visits/thresholds/", data).status_code == 403
    assert login(head_a).post("/districts/4016/visits/thresholds/", data).status_code == 302
    assert set(NeglectThreshold.objects.values_list("days", flat=True)) == {45}
    data[f"stage-{field['stages'][0].pk}"] = "0"
    response = login(head_a).post("/districts/4016/visits/thresholds/", data)
    assert "1 ถึง 365" in response.content.decode()


def test_target_page_shows_visit_history_and_days_since(login, field, officer_a):
    target = field["mine"][0]
    make_visit(target, officer_a, field["stages"][0], dt.date(2017, 9, 1))
    response = login(officer_a).get(f"/targets/{target.pk}/")
    assert response.context["days_since"] == 29  # to the end of FY2560
    assert "ลงพื้นที่ล่าสุดเมื่อ 29 วันก่อน" in response.content.decode()
    assert response.context["can_log"]


def test_visit_form_offers_only_the_officers_own_villages(login, field, officer_a):
    FiscalYearFactory(year=2560)
    response = login(officer_a).get("/visits/new/")
    offered = set(response.context["form"].fields["target"].queryset)
    assert offered == set(field["mine"])


@pytest.mark.django_db(transaction=True)
def test_simultaneous_visit_logging_loses_nothing(area_a, officer_a):
    """Eight phones sending visits to one village at once: eight visits, the latest stage."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises whole transactions")
    ensure_default_stages(Stage)
    stages = list(Stage.objects.order_by("order"))
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    barrier = threading.Barrier(8)
    errors = []

    def log(i):
        try:
            barrier.wait()
            field_services.visit_log(
                user=officer_a.user,
                target=TargetVillage.objects.select_related("village__tambon", "year").get(
                    pk=target.pk
                ),
                date=dt.date(2017, 6, 1 + i),
                stage=stages[i % len(stages)],
                activity=f"ครั้งที่ {i}",
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=log, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert FieldVisit.objects.filter(target=target).count() == 8
    target.refresh_from_db()
    assert target.stage == max(stages[:8], key=lambda s: s.order)


def _more_work(area_a, officer_a, stages, n):
    """n more assigned target villages for officer_a, each with visits and unread advice."""
    from tests.factories import VillageFactory

    tambon = area_a.tambons[0]
    for moo in range(40, 40 + n):
        village = VillageFactory(tambon=tambon, moo=moo, code=f"{tambon.code}{moo}")
        target = TargetVillage.objects.create(village=village, year_id=2560)
        VillageAssignment.objects.create(target=target, officer=officer_a)
        for day in (1, 20):
            visit = FieldVisit.objects.create(
                target=target, officer=officer_a, stage=stages[0],
                date=dt.date(2017, 3, day), activity="a",
            )  # fmt: skip
            VisitAdvice.objects.create(visit=visit, author=officer_a.user, text="ดี")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, officer, the district's change count, years of their own villages,
        # tambons, villages with last visit, follow-ups with last visit, unread advice,
        # thresholds, district; the plan's late stages (stages, deadlines, targets, their
        # officers, planned dates, first visits), their open meeting actions
        ("/", 18),
        # session, user, officer, the district's change count, years, the follow-ups they
        # hold, the village most in need of a visit (the year's villages with their last
        # visit, their officers, the thresholds), the form's villages and stages, the
        # picker's years (rendered: nothing kept)
        ("/visits/new/?year=2560", 12),
    ],
)
def test_officer_pages_run_in_fixed_queries(
    login, field, officer_a, area_a, url, queries, django_assert_num_queries, render_every_time
):
    client = login(officer_a)
    with django_assert_num_queries(queries):
        client.get(url)
    _more_work(area_a, officer_a, field["stages"], 6)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if url == "/":
        assert len(response.context["targets"]) == 2 + 6
        assert len(response.context["unread_advice"]) == 12


def test_a_districts_visit_list_and_export_hold_only_its_own_visits(
    login, field, officer_a, head_a, area_a2
):
    neighbour = OfficerFactory(user=UserFactory(username="officer-a2"), district=area_a2.district)
    make_visit(field["mine"][0], officer_a, field["stages"][0], dt.date(2017, 6, 1))
    make_visit(area_a2.targets[0], neighbour, field["stages"][0], dt.date(2017, 6, 2))
    client = login(head_a)
    listed = client.get("/districts/4016/visits/?year=2560")
    assert [v.target for v in listed.context["visits"]] == [field["mine"][0]]
    sheet = load_workbook(
        io.BytesIO(client.get("/districts/4016/visits/export.xlsx?year=2560").content)
    ).active
    assert [row[1] for row in list(sheet.values)[1:]] == [field["mine"][0].village_id]


def test_a_head_logs_visits_in_her_own_district_only(login, field, head_a, officer_b):
    theirs = officer_b.district.targets.first()
    with pytest.raises(PermissionDenied):
        field_services.visit_log(
            user=head_a.user,
            target=theirs,
            date=dt.date(2017, 1, 1),
            stage=field["stages"][0],
            activity="x",
        )
    assert not field_access.loggable_targets(head_a.user).filter(pk=theirs.pk).exists()
    assert field_access.loggable_targets(head_a.user).filter(pk=field["other"].pk).exists()


def test_district_pages_show_only_the_districts_own_settings_and_people(
    login, field, head_a, area_a2
):
    """The thresholds page and the visit list's choices, with district A2 of the same
    province in the database, its officer and its own threshold."""
    neighbour = OfficerFactory(user=UserFactory(username="officer-a2"), district=area_a2.district)
    stage = field["stages"][0]
    NeglectThreshold.objects.create(district=area_a2.district, stage=stage, days=99)
    client = login(head_a)
    shown = client.get("/districts/4016/visits/thresholds/").context["rows"]
    assert next(r for r in shown if r.stage.pk == stage.pk).days == stage.neglect_days
    form = client.get("/districts/4016/visits/?year=2560").context["filter"].form
    assert neighbour not in form.fields["officer"].queryset
    assert set(form.fields["tambon"].queryset) == set(
        field["mine"][0].village.tambon.district.tambons.all()
    )


def test_an_officer_is_shown_only_the_advice_on_her_own_visits(login, field, officer_a, head_a):
    colleague = OfficerFactory(user=UserFactory(username="officer-a9"), district=head_a.district)
    VillageAssignment.objects.filter(target=field["mine"][1]).update(officer=colleague)
    mine = make_visit(field["mine"][0], officer_a, field["stages"][0], dt.date(2017, 6, 1))
    theirs = make_visit(field["mine"][1], colleague, field["stages"][0], dt.date(2017, 6, 1))
    for visit, text in ((mine, "ของเอ"), (theirs, "ของเพื่อน")):
        VisitAdvice.objects.create(visit=visit, author=head_a.user, text=text)
    home = login(officer_a).get("/")
    assert [a.text for a in home.context["unread_advice"]] == ["ของเอ"]
    assert "ของเพื่อน" not in home.content.decode()


def test_a_village_moved_away_leaves_the_officers_home_page(login, field, officer_a, head_a):
    colleague = OfficerFactory(user=UserFactory(username="officer-a9"), district=head_a.district)
    moved = field["mine"][1]
    services.assignment_change(
        district=head_a.district, target_ids=[moved.pk], officer=colleague, actor=head_a.user
    )
    home = login(officer_a).get("/?year=2560")
    assert [t.pk for t in home.context["targets"]] == [field["mine"][0].pk]


def test_the_heads_queue_lists_the_visits_awaiting_advice_newest_first(login, field, head_a):
    """The head's daily work: which visits has nobody advised on yet; photos and a GPS point
    are flagged on each row."""
    visits = []
    for day in (1, 2, 3):
        visits.append(
            field_services.visit_log(
                user=head_a.user,
                target=field["mine"][0],
                date=dt.date(2017, 6, day),
                stage=field["stages"][0],
                activity=f"วันที่ {day}",
                lat=16.6 if day == 3 else None,
                lon=102.4 if day == 3 else None,
            ).visit
        )
    field_services.advice_add(visit=visits[1], user=head_a.user, text="ดีมาก")
    client = login(head_a)
    page = client.get("/districts/4016/visits/?year=2560&advice=none")
    listed = [v.pk for v in page.context["visits"]]
    assert listed == [visits[2].pk, visits[0].pk]
    row = page.content.decode().split(f'/visits/{visits[2].pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "มีพิกัด GPS" in row and "ยังไม่มีคำแนะนำ" in row
    advised = client.get("/districts/4016/visits/?year=2560&advice=given").context["visits"]
    assert [v.pk for v in advised] == [visits[1].pk]
    home = client.get("/districts/4016/?year=2560").content.decode()
    assert 'href="/districts/4016/visits/?advice=none"' in home  # the menu
    assert "มีการลงพื้นที่ 2 ครั้งที่รอคำแนะนำจากท่าน" in home  # the count on the head's home


def test_the_visit_form_starts_at_the_village_most_overdue_its_stage_and_a_dated_help(
    login, field, officer_a
):
    """The village and stage started at "---------" and the date said nothing of its form."""
    recent, late = field["mine"]
    TargetVillage.objects.filter(pk=late.pk).update(stage=field["stages"][2])
    make_visit(recent, officer_a, field["stages"][0], dt.date(2017, 9, 25))
    form = login(officer_a).get("/visits/new/?year=2560").context["form"]
    assert form.initial["target"] == late.pk  # never visited: the most overdue
    assert form.initial["stage"] == field["stages"][2].pk
    assert "15/06/2560" in str(form.fields["date"].help_text)
    chosen = login(officer_a).get(f"/visits/new/?year=2560&target={recent.pk}").context["form"]
    assert chosen.initial["target"] == recent.pk
