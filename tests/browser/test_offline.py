"""The field officer's app on a phone (390 × 844): a visit logged with no signal waits in the
outbox and reaches the server once the phone is back online; a refused one stays there."""

import io
import json

import pytest
from PIL import Image

from assignments import services
from assignments.models import VillageAssignment
from districts.models import Officer, Role
from fieldwork.models import FieldVisit

pytestmark = pytest.mark.browser

ACTIVITY = "ประชุมกลุ่มทอผ้าในไร่ ไม่มีสัญญาณ"


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "IMG_20170615_field.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 140, 60)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def field_phone(phone, settings, tmp_path):
    """The officer's phone, its location known, after opening the portal online once: the
    service worker controls the page and has kept the visit form."""
    settings.MEDIA_ROOT = tmp_path / "media"
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation({"latitude": 16.6531, "longitude": 102.3825, "accuracy": 9})
    page = phone.login("phuwiang-officer1")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        """async () => {
        const keys = await (await caches.open("pages")).keys();
        return keys.some((r) => r.url.includes("/visits/new/"))
          && keys.some((r) => r.url.includes("/outbox/"));
        }"""
    )
    return phone


def _mine(username="phuwiang-officer1"):
    # a village of the demo's FY2560 (the dates below) that nobody follows up in a later year
    assignments = VillageAssignment.objects.active().filter(
        officer__user__username=username, target__year=2560, target__followups__isnull=True
    )
    return assignments.select_related("target__village", "target__district").first().target


def _log_offline(phone, target, photo_file):
    page = phone.page
    page.click("text=บันทึกการลงพื้นที่")
    page.wait_for_selector("#visit-form")
    assert page.locator("#offline-note").is_visible()
    page.select_option("#id_target", str(target.pk))
    page.fill("#id_date", "15/06/2560")
    page.select_option("#id_stage", index=2)
    page.fill("#id_activity", ACTIVITY)
    page.fill("#id_household_count", "12")
    page.click("#locate")
    page.wait_for_function("() => document.getElementById('id_lat').value !== ''")
    page.set_input_files("#id_photos", str(photo_file))
    page.wait_for_function(
        "() => !document.querySelector('#visit-form button[type=submit]').disabled"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    return page


def test_a_visit_logged_with_no_signal_reaches_the_server_once_with_its_photo(
    field_phone, photo_file
):
    phone = field_phone
    page = phone.page
    target = _mine()
    phone.shot("offline-1-home-online")

    phone.context.set_offline(True)
    page = _log_offline(phone, target, photo_file)
    phone.shot("offline-2-visit-form-no-signal")
    page.click("#visit-form button[type=submit] >> nth=0")
    page.wait_for_url("**/outbox/")
    waiting = page.locator("#outbox-list li[data-state=waiting]")
    waiting.wait_for()
    assert target.village.name in waiting.inner_text()
    assert "รอส่ง" in waiting.inner_text() and "รูป 1 รูป" in waiting.inner_text()
    assert FieldVisit.objects.filter(activity=ACTIVITY).count() == 0
    phone.shot("offline-3-outbox-waiting")

    # logging out with a visit waiting asks first
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(".navbar-toggler")
    page.click("#account-menu")
    page.click("#logout")
    assert asked and "1" in asked[0] and "ยังไม่ได้ส่ง" in asked[0]
    assert page.url.endswith("/outbox/")

    phone.context.set_offline(False)
    page.locator("#outbox-list li[data-state=sent]").wait_for(timeout=30000)
    phone.shot("offline-4-outbox-sent")
    visit = FieldVisit.objects.get(activity=ACTIVITY)
    assert visit.target == target and visit.photos.count() == 1
    assert visit.lat == pytest.approx(16.6531) and visit.household_count == 12
    assert visit.saved_on_phone_at is not None and visit.saved_on_phone_at <= visit.created_at
    # sent once: the page and the service worker may both have tried; one visit is stored
    page.reload()
    page.locator("#outbox-list li[data-state=sent]").wait_for()
    assert FieldVisit.objects.filter(activity=ACTIVITY).count() == 1
    page.click("#outbox-list li[data-state=sent] a")
    page.wait_for_selector(f"text={ACTIVITY}")
    assert page.locator("img.img-thumbnail").count() == 1
    phone.shot("offline-5-visit-on-the-server")


def test_a_visit_to_a_village_moved_away_meanwhile_is_refused_and_kept_until_deleted(
    field_phone, photo_file
):
    phone = field_phone
    target = _mine()
    phone.context.set_offline(True)
    page = _log_offline(phone, target, photo_file)
    page.click("#visit-form button[type=submit] >> nth=0")
    page.locator("#outbox-list li[data-state=waiting]").wait_for()

    # the district head gives the village to a colleague before the phone is back online
    colleague = (
        Officer.objects.filter(district=target.district, role=Role.OFFICER)
        .exclude(user__username="phuwiang-officer1")
        .first()
    )
    head = Officer.objects.get(user__username="phuwiang-head")
    services.assignment_change(
        district=target.district, target_ids=[target.pk], officer=colleague, actor=head.user
    )

    phone.context.set_offline(False)
    refused = page.locator("#outbox-list li[data-state=refused]")
    refused.wait_for(timeout=30000)
    assert "มอบให้เจ้าหน้าที่คนอื่น" in refused.locator(".outbox-reason").inner_text()
    phone.shot("offline-6-outbox-refused")
    assert FieldVisit.objects.filter(activity=ACTIVITY).count() == 0

    page.reload()  # never silently dropped: it stays until the officer deletes it
    refused.wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    refused.locator(".outbox-delete").click()
    page.locator("#outbox-empty").wait_for()
    assert page.locator("#outbox-list li").count() == 0
    phone.shot("offline-7-outbox-deleted")


def test_the_app_is_installable_in_chromium(field_phone):
    """The install criteria, read from the manifest the page links, and Chromium's own."""
    page = field_phone.page
    href = page.get_attribute("link[rel=manifest]", "href")
    answer = page.request.get(f"{field_phone.server.url}{href}")
    assert answer.ok and answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.body())
    assert manifest["name"] and manifest["short_name"] and manifest["display"] == "standalone"
    assert manifest["start_url"].startswith(manifest["scope"])
    for size in ("192x192", "512x512"):
        icon = next(i for i in manifest["icons"] if i["sizes"] == size and "purpose" not in i)
        image = page.request.get(f"{field_phone.server.url}{icon['src']}")
        assert image.ok and image.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(image.body())).size == tuple(map(int, size.split("x")))
    worker = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert worker == f"{field_phone.server.url}/sw.js"
    cdp = field_phone.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are off the record, where Chromium installs nothing; it finds
    # nothing else missing (manifest, icons, start URL, a worker controlling the page)
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    field_phone.shot("offline-0-installable-home")
