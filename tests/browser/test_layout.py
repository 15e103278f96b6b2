"""Pages fit at a desk (1280 px) and on a phone (390 px): each role's menu on one line, and
no table wider than its place unless a button on the page shows the rest. Screenshots of
every page are saved to test-artifacts/."""

import pytest

from assignments.models import FollowUp
from evaluations.models import VillageEvaluation
from fieldwork.models import Attendance, LivelihoodGroup, PartnerSupport
from tests.browser.conftest import Session

pytestmark = pytest.mark.browser

PAGES = {
    "phuwiang-head": [
        "/districts/4016/",
        "/districts/4016/assignments/",
        "/districts/4016/visits/",
        "/districts/4016/officers/",
        "/districts/4016/households/",
        "/districts/4016/network/",
        "/districts/4016/orders/",
        "/districts/4016/visits/thresholds/",
        "/districts/4016/plan/",
        "/districts/4016/meetings/",
        "/districts/4016/meetings/new/",
        "/sages/",
    ],
    "phuwiang-officer1": [
        "/",
        "/districts/4016/visits/",
        "/districts/4016/households/",
        "/notifications/",
        "/notifications/settings/",
        "/districts/4016/plan/",
    ],
    "khonkaen": [
        "/provinces/40/",
        "/provinces/40/networks/",
        "/provinces/40/deadlines/",
        "/sages/",
        "/imports/",
    ],
    "admin": ["/country/", "/audit/", "/accounts/tokens/"],
    "department": ["/country/", "/country/extracts/", "/provinces/40/", "/districts/4016/"],
    "support": ["/audit/"],
}


def pages_over_years():
    """The programme over years' pages of the demo's Phu Wiang, found once it is loaded: a
    followed-up village's page (households, groups, partner projects, its years), a
    household's income rounds, a visit's sign-in sheet, the evaluation rounds compared, a
    group and a partner project."""
    followup = (
        FollowUp.objects.live()
        .filter(officer__user__username="phuwiang-officer1", target__year_id=2560)
        .order_by("target__village_id")
        .first()
    )
    target = followup.target
    household = target.households.order_by("pk").first()
    visit = Attendance.objects.filter(visit__target__district_id="4016").first().visit
    rounds = VillageEvaluation.objects.filter(target__district_id="4016", round=2).first()
    group = LivelihoodGroup.objects.filter(target__district_id="4016").order_by("pk").first()
    project = PartnerSupport.objects.filter(target__district_id="4016").order_by("pk").first()
    shared = [f"/targets/{target.pk}/", f"/households/{household.pk}/", f"/visits/{visit.pk}/"]
    return {
        "phuwiang-head": [
            *shared,
            f"/targets/{rounds.target_id}/evaluation/",
            f"/groups/{group.pk}/",
            f"/partner-projects/{project.pk}/",
        ],
        "phuwiang-officer1": [*shared, "/visits/new/"],
    }


# Tables wider than their place, each with the page's button to its other columns
WIDER = """() => Array.from(document.querySelectorAll('table')).filter((table) => {
  const place = (table.closest('.table-responsive') || table.parentElement).clientWidth;
  return table.getBoundingClientRect().width > place + 1;
}).map((table) => {
  const button = document.querySelector(`button[data-show-all="#${table.id}"]`);
  return { id: table.id, shown: !!button && getComputedStyle(button).display !== 'none' };
})"""

MENU_LINES = """() => {
  const items = Array.from(document.querySelectorAll('#mainnav .nav-link'));
  return {
    tops: [...new Set(items.map((a) => Math.round(a.getBoundingClientRect().top)))],
    tallest: Math.max(...items.map((a) => a.getBoundingClientRect().height)),
    line: parseFloat(getComputedStyle(items[0]).lineHeight),
    bar: document.querySelector('.navbar').getBoundingClientRect().height,
  };
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_every_roles_pages_fit_and_the_menu_is_one_line(browser, demo_server, width):
    problems = []
    more = pages_over_years()
    for user, paths in PAGES.items():
        paths = paths + more.get(user, [])
        session = Session(browser, demo_server, width=width, height=900)
        session.login(user)
        for path in paths:
            page = session.goto(path)
            page.wait_for_load_state("networkidle")
            name = f"layout-{width}-{user}-{path.strip('/').replace('/', '-') or 'home'}"
            session.shot(name)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{name}: the page scrolls sideways")
            for table in page.evaluate(WIDER):
                if width >= 1280 or not table["shown"]:
                    problems.append(f"{name}: table #{table['id']} is cut with no way to the rest")
            if width >= 1280:
                menu = page.evaluate(MENU_LINES)
                if len(menu["tops"]) != 1 or menu["tallest"] > 2 * menu["line"]:
                    problems.append(f"{name}: the menu takes more than one line {menu}")
        session.close()
    assert problems == []


def test_a_phones_wide_table_shows_every_column_on_a_tap(phone):
    phone.login("khonkaen")
    page = phone.goto("/provinces/40/")
    table = page.locator("#area-table")
    hidden = table.locator("thead th.col-more").first
    assert not hidden.is_visible()
    page.click("button[data-show-all='#area-table']")
    assert hidden.is_visible()
    assert page.locator("button[data-show-all='#area-table']").inner_text() == "เฉพาะคอลัมน์หลัก"
    phone.shot("layout-390-province-every-column")
