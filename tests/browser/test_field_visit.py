import io

import pytest
from PIL import Image

from assignments.models import VillageAssignment
from fieldwork.models import FieldVisit, VisitAdvice

pytestmark = pytest.mark.browser


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "IMG_20170615.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 140, 60)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_officer_logs_a_visit_on_a_phone_and_the_head_advises(
    browser, demo_server, phone, photo_file, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone.login("phuwiang-officer1")
    page.click("text=บันทึกการลงพื้นที่")
    page.wait_for_selector("#visit-form")
    mine = VillageAssignment.objects.active().filter(officer__user__username="phuwiang-officer1")
    target = mine.select_related("target__village").first().target
    page.select_option("#id_target", str(target.pk))
    page.fill("#id_date", "15/06/2560")
    page.select_option("#id_stage", index=2)
    page.fill("#id_activity", "ฝึกปฏิบัติทอผ้ากับปราชญ์")
    page.check("#id_sage_took_part")
    page.fill("#id_support_team_count", "4")
    page.fill("#id_household_count", "17")
    page.set_input_files("#id_photos", str(photo_file))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("visit-form-phone")
    page.click("text=บันทึกการลงพื้นที่ >> nth=-1")
    page.wait_for_selector("text=ฝึกปฏิบัติทอผ้ากับปราชญ์")
    visit = FieldVisit.objects.get(activity="ฝึกปฏิบัติทอผ้ากับปราชญ์")
    assert visit.target == target and visit.photos.count() == 1
    assert page.locator("img.img-thumbnail").count() == 1
    phone.shot("visit-saved-phone")

    head = phone.__class__(browser, demo_server, width=390, height=844)
    try:
        hp = head.login("phuwiang-head")
        hp.goto(f"{demo_server.url}/districts/4016/visits/?year=2560&village={target.village.code}")
        hp.click(f"a[href='/visits/{visit.pk}/']")
        hp.fill("#id_text", "ดีมาก ขอให้บันทึกรายได้ครัวเรือนด้วย")
        hp.click("text=ส่งคำแนะนำ")
        hp.wait_for_selector("text=บันทึกคำแนะนำแล้ว")
        head.shot("visit-advice-head-phone")
    finally:
        head.close()
    assert VisitAdvice.objects.filter(visit=visit, read_at__isnull=True).count() == 1

    page.goto(f"{demo_server.url}/")
    section = page.locator("#new-advice")
    assert "ดีมาก ขอให้บันทึกรายได้ครัวเรือนด้วย" in section.inner_text()
    phone.shot("officer-home-advice-phone")
    section.locator(f"a[href='/visits/{visit.pk}/']").first.click()
    page.wait_for_selector("text=คำแนะนำจากพัฒนาการอำเภอ")
    assert VisitAdvice.objects.get(visit=visit, text__startswith="ดีมาก ขอให้บันทึก").read_at


def test_head_filters_the_visit_list_on_a_phone(phone):
    page = phone.login("phuwiang-head")
    page.goto(f"{phone.server.url}/districts/4016/visits/?year=2560")
    total = FieldVisit.objects.filter(target__district_id="4016", target__year_id=2560)
    officer = total.values_list("officer__user__username", "officer_id").first()
    if not page.locator("#id_officer").is_visible():
        page.click("summary:has-text('กรอง')")
    page.select_option("#id_officer", str(officer[1]))
    page.fill("#id_date_from", "32/13/2560")  # no such day: told in Thai, the rest kept
    page.click("form button[type=submit]:has-text('กรอง')")
    page.wait_for_load_state()
    assert page.locator("#id_date_from.is-invalid").count() == 1
    assert "ไม่มีวันที่นี้ในปฏิทิน" in page.locator("#id_date_from_error").inner_text()
    assert page.locator("#id_officer").input_value() == str(officer[1])
    page.fill("#id_date_from", "01/10/2559")
    page.click("form button[type=submit]:has-text('กรอง')")
    page.wait_for_load_state()
    mine = total.filter(officer_id=officer[1]).count()
    assert f"{mine} " in page.locator("p.small.text-muted").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("visit-list-filter-phone")


def _fill_a_visit(page, target):
    page.select_option("#id_target", str(target.pk))
    page.fill("#id_date", "15/06/2560")
    page.select_option("#id_stage", index=1)
    page.fill("#id_activity", "ประชุมกลุ่มทอผ้า")
    page.fill("#id_notes", "บันทึกยาวที่พิมพ์ในหมู่บ้าน ครัวเรือนสนใจทำตลาดออนไลน์")


def _first_target(username):
    mine = VillageAssignment.objects.active().filter(officer__user__username=username)
    return mine.select_related("target__village").first().target


def test_a_second_tap_on_save_sends_nothing_more(phone):
    """On a slow line the first send is still on its way when the officer taps again: the
    page sends the form once (and the server knows a repeat by its token, test_visits)."""
    page = phone.login("phuwiang-officer1")
    page.goto(f"{phone.server.url}/visits/new/?year=2560")
    _fill_a_visit(page, _first_target("phuwiang-officer1"))
    # after portal.js has had its say, count each send that would go out, and hold it back
    sent = page.evaluate(
        """() => {
        let sent = 0;
        window.addEventListener("submit", (event) => {
          if (!event.defaultPrevented) sent += 1;
          event.preventDefault();
        });
        const form = document.getElementById("visit-form");
        form.requestSubmit();
        form.requestSubmit();
        form.requestSubmit();
        return sent;
    }"""
    )
    assert sent == 1


def test_what_was_typed_survives_a_reload_and_a_lost_session(phone):
    from django.contrib.sessions.models import Session as StoredSession

    page = phone.login("phuwiang-officer1")
    page.goto(f"{phone.server.url}/visits/new/?year=2560")
    target = _first_target("phuwiang-officer1")
    _fill_a_visit(page, target)
    page.reload()
    assert "ตลาดออนไลน์" in page.input_value("#id_notes")
    assert page.is_visible("#draft-notice")

    StoredSession.objects.all().delete()  # two hours without a request: logged out
    page.click("button[type=submit]:has-text('บันทึกการลงพื้นที่')")
    page.wait_for_selector("text=สิ่งที่ส่งมาจึงยังไม่ได้บันทึก")
    phone.shot("visit-session-ended-phone")
    page.fill("#id_username", "phuwiang-officer1")
    page.fill("#id_password", "sammachip-demo")
    page.click("button[type=submit]")
    page.wait_for_selector("#visit-form")  # back on the form, not a 405
    assert "ตลาดออนไลน์" in page.input_value("#id_notes")
    assert page.input_value("#id_target") == str(target.pk)
    page.click("button[type=submit]:has-text('บันทึกการลงพื้นที่')")
    page.wait_for_url("**/visits/*/")
    assert FieldVisit.objects.filter(activity="ประชุมกลุ่มทอผ้า").count() == 1
    # saved: the next visit starts empty
    page.goto(f"{phone.server.url}/visits/new/?year=2560")
    assert page.input_value("#id_notes") == ""
    assert not page.is_visible("#draft-notice")


def test_a_camera_photo_is_made_smaller_on_the_phone_before_it_is_sent(phone, settings, tmp_path):
    """A 4000 × 3000 camera photo goes at 2560 px; with its GPS position kept, as it is."""
    settings.MEDIA_ROOT = tmp_path / "media"
    camera = tmp_path / "IMG_20170616.jpg"
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(camera, "JPEG", quality=92)
    page = phone.login("phuwiang-officer1")
    page.goto(f"{phone.server.url}/visits/new/?year=2560")
    _fill_a_visit(page, _first_target("phuwiang-officer1"))
    chosen = "document.getElementById('id_photos').files[0]"

    page.check("#id_keep_location")
    page.set_input_files("#id_photos", str(camera))
    assert page.evaluate(f"{chosen}.size") == camera.stat().st_size
    assert page.inner_text("#photos-status") == ""

    page.uncheck("#id_keep_location")
    page.wait_for_selector("#photos-status:has-text('ย่อรูปก่อนส่งแล้ว')")
    sent = page.evaluate(f"[{chosen}.size, {chosen}.name, {chosen}.type]")
    assert sent[0] < camera.stat().st_size / 3
    assert sent[1:] == ["IMG_20170616.jpg", "image/jpeg"]
    assert page.is_enabled("button[type=submit]:has-text('บันทึกการลงพื้นที่')")
    phone.shot("visit-photo-smaller-phone")

    page.click("button[type=submit]:has-text('บันทึกการลงพื้นที่')")
    page.wait_for_url("**/visits/*/")
    photo = FieldVisit.objects.get(activity="ประชุมกลุ่มทอผ้า").photos.get()
    with Image.open(photo.image.path) as stored:
        assert stored.size == (2560, 1920)


def test_keeping_the_position_while_photos_are_made_smaller_leaves_save_working(phone, tmp_path):
    """The officer ticks 'keep the GPS position' while the page is still shrinking the photo:
    the originals go, and the Save button is not left disabled."""
    camera = tmp_path / "IMG_20170617.jpg"
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(camera, "JPEG", quality=92)
    page = phone.login("phuwiang-officer1")
    page.goto(f"{phone.server.url}/visits/new/?year=2560")
    page.set_input_files("#id_photos", str(camera))
    page.check("#id_keep_location")  # at once, before the shrinking is done
    page.wait_for_timeout(3000)  # long enough for the first round to have finished
    save = "button[type=submit]:has-text('บันทึกการลงพื้นที่')"
    assert page.is_enabled(save)
    size = page.evaluate("document.getElementById('id_photos').files[0].size")
    assert size == camera.stat().st_size
    assert page.inner_text("#photos-status") == ""
