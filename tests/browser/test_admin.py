import pytest

from people.models import Forum, Sage

pytestmark = pytest.mark.browser


def test_admin_adds_a_sage_to_a_forum_by_searching(desk):
    """The admin's forum form searches for sages (select2, served by the app under the
    Content-Security-Policy) rather than listing every sage of the country (see
    tests/test_admin.py and bench/admin.py)."""
    forum = Forum.objects.filter(network__district_id="4016").first()
    # one whose name no other sage has, so that the search finds it alone
    sage = next(
        s
        for s in Sage.objects.filter(district_id="4016").exclude(forums=forum)
        if Sage.objects.filter(name=s.name).count() == 1
    )
    page = desk.login("admin")
    page.goto(f"{desk.server.url}/admin/people/forum/{forum.pk}/change/")
    assert page.locator("#id_sages option").count() == forum.sages.count()
    # in the portal's own Thai typeface, which the app serves: Thai reads without a system font
    assert "Sarabun" in page.evaluate("getComputedStyle(document.body).fontFamily")
    page.locator(".field-sages .select2-selection").click()
    page.locator(".field-sages .select2-search__field").fill(sage.name[:6])
    page.locator(".select2-results__option", has_text=sage.name).first.click()
    desk.shot("admin-forum-sage-search")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert forum.sages.filter(pk=sage.pk).exists()
