"""No one stranded by a new year: pages show the fiscal year of today unless the person picked
another, an officer's home shows all their live work, and a list imported for next year before
1 October changes nothing an officer sees."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments import services
from assignments.models import FollowUp, Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from fieldwork.models import FieldVisit
from imports import services as imports
from tests.factories import FiscalYearFactory, OfficerFactory, UserFactory, VillageFactory
from tests.imports.conftest import xlsx

pytestmark = pytest.mark.today_decides_the_year


def today_is(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)


@pytest.fixture
def work(area_a, head_a, officer_a, settings, tmp_path):
    """FY2560's villages of district A shared between officer_a and a second officer, and an
    FY2559 village that officer_a follows up."""
    settings.MEDIA_ROOT = tmp_path
    ensure_default_stages(Stage)
    second = OfficerFactory(user=UserFactory(username="officer-a2"), district=area_a.district)
    for i, target in enumerate(area_a.targets):
        VillageAssignment.objects.create(target=target, officer=officer_a if i < 2 else second)
    tambon = area_a.tambons[1]
    old = TargetVillage.objects.create(
        village=VillageFactory(tambon=tambon, moo=7, code=f"{tambon.code}07"),
        year=FiscalYearFactory(year=2559),
    )
    services.followup_start(
        district=area_a.district,
        target_id=old.pk,
        officer=officer_a,
        year=2560,
        actor=head_a.user,
    )
    return {"officers": [officer_a, second], "old": old}


def test_the_default_year_is_the_fiscal_year_of_today(monkeypatch, login, work, head_a):
    client = login(head_a)
    today_is(monkeypatch, dt.date(2017, 9, 15))
    assert client.get("/districts/4016/assignments/").context["year"] == 2560
    today_is(monkeypatch, dt.date(2017, 10, 1))  # a new fiscal year: no targets yet
    response = client.get("/districts/4016/assignments/")
    assert response.context["year"] == 2561
    # the picker offers the year with villages, to go back to
    assert response.context["years"] == [2561, 2560, 2559]
    assert 'name="year"' in response.content.decode()


def test_the_pick_is_kept_for_the_session_and_a_link_does_not_change_it(
    monkeypatch, login, work, head_a
):
    today_is(monkeypatch, dt.date(2017, 10, 20))  # FY2561
    client = login(head_a)
    assert client.get("/districts/4016/visits/?year=2560&picked=1").status_code == 200
    # every page with a year now shows the picked one
    for url in (
        "/districts/4016/assignments/",
        "/districts/4016/orders/",
        "/districts/4016/households/",
        "/districts/4016/officers/",
    ):
        assert _year_shown(client.get(url)) == 2560, url
    assert "ปีงบประมาณ 2560" in client.get("/districts/4016/").content.decode()
    # a link naming a year shows it, and the pick stays (the board's body kept or not)
    assert _year_shown(client.get("/districts/4016/assignments/?year=2559")) == 2559
    assert _year_shown(client.get("/districts/4016/assignments/")) == 2560
    client.get("/districts/4016/assignments/?year=2561&picked=1")
    assert _year_shown(client.get("/districts/4016/orders/")) == 2561


def _year_shown(response) -> int:
    """The fiscal year a page shows: its heading's (a kept body has no context to read)."""
    return int(re.search(r"<h1[^>]*>.*?ปีงบประมาณ (\d{4})", response.content.decode(), re.S)[1])


def _village_ids(html: str, block: str) -> list[str]:
    return re.findall(r'data-village="(\d+)"', html.split(block)[1]) if block in html else []


def _seen(client) -> dict:
    """What an officer sees on their home and visit form, without this response's tokens."""
    home = client.get("/")
    form = client.get("/visits/new/")
    strip = re.compile(
        r'(csrfmiddlewaretoken" value="|name="submission" value="|name="csrf-token" content=")'
        r'[^"]*"'
    )
    return {
        "home": strip.sub("", home.content.decode()),
        "form": strip.sub("", form.content.decode()),
        "home_targets": [t.village_id for t in home.context["targets"]],
        "home_followups": [t.village_id for t in home.context["followups"]],
        "form_villages": [t.village_id for t in form.context["form"].fields["target"].queryset],
        "form_year": form.context["year"],
    }


def test_importing_next_years_list_on_15_september_changes_nothing_an_officer_sees(
    monkeypatch, login, client, work, area_a, province_staff_a, render_every_time
):
    today_is(monkeypatch, dt.date(2017, 9, 15))  # FY2560, two weeks before FY2561
    before = {}
    for officer in work["officers"]:
        before[officer.pk] = _seen(login(officer))
    mine = before[work["officers"][0].pk]
    assert mine["home_targets"] == [t.village_id for t in area_a.targets[:2]]
    assert mine["home_followups"] == [work["old"].village_id]
    assert mine["form_villages"] == sorted([*mine["home_targets"], work["old"].village_id])
    assert "ปีงบประมาณ 2559" in mine["home"]  # the follow-up says its year

    # the province imports FY2561's list, every village of district A in it
    rows = [["รหัสหมู่บ้าน", "งบประมาณ", "อาชีพ"]] + [[v.code, 60000, "จักสาน"] for v in area_a.villages]
    upload = SimpleUploadedFile("targets-2561.xlsx", xlsx(rows))
    batch = imports.batch_upload(
        kind="targets", year=2561, upload=upload, user=province_staff_a.user
    )
    imports.batch_apply(batch=batch, user=province_staff_a.user)
    assert TargetVillage.objects.filter(year_id=2561).count() == len(area_a.villages)

    for officer in work["officers"]:
        assert _seen(login(officer)) == before[officer.pk]

    # and on 1 October the officer's home moves to the new year, keeping the follow-up
    today_is(monkeypatch, dt.date(2017, 10, 1))
    after = _seen(login(work["officers"][0]))
    assert after["home_targets"] == []  # nobody has given them FY2561's villages yet
    assert after["home_followups"] == [work["old"].village_id]
    assert after["form_villages"] == [work["old"].village_id]


def test_an_officers_home_shows_every_followup_from_any_year_labelled(
    monkeypatch, login, work, area_a, head_a
):
    today_is(monkeypatch, dt.date(2019, 1, 10))  # FY2562
    officer_a = work["officers"][0]
    # an FY2560 village followed up from FY2561 too
    services.followup_start(
        district=area_a.district,
        target_id=area_a.targets[0].pk,
        officer=officer_a,
        year=2561,
        actor=head_a.user,
    )
    response = login(officer_a).get("/")
    assert response.context["year"] == 2562
    assert response.context["targets"] == []
    assert [(t.year_id, t.village_id) for t in response.context["followups"]] == [
        (2560, area_a.targets[0].village_id),
        (2559, work["old"].village_id),
    ]
    page = response.content.decode()
    assert _village_ids(page, 'id="my-followups"') == [
        area_a.targets[0].village_id,
        work["old"].village_id,
    ]
    assert "ปีงบประมาณ 2560" in page and "ปีงบประมาณ 2559" in page
    assert "บันทึกการลงพื้นที่" in page  # the visit button, though no village is of this year


def test_an_officer_logs_a_followup_visit_dated_today(monkeypatch, login, work):
    today = dt.date(2019, 1, 10)  # FY2562
    today_is(monkeypatch, today)
    client = login(work["officers"][0])
    form = client.get(f"/visits/new/?target={work['old'].pk}").context["form"]
    assert form.initial["date"] == today and form.initial["target"] == work["old"].pk
    data = {
        "target": work["old"].pk,
        "date": "10/01/2562",
        "stage": form.initial["stage"],
        "activity": "ติดตามผล",
        "support_team_count": "0",
        "household_count": "0",
    }
    assert client.post("/visits/new/", data).status_code == 302
    assert FieldVisit.objects.get().date == today


def test_home_with_followups_of_several_years_runs_in_fixed_queries(
    monkeypatch, login, work, area_a, head_a, django_assert_num_queries, render_every_time
):
    today_is(monkeypatch, dt.date(2017, 9, 15))
    officer_a = work["officers"][0]
    client = login(officer_a)
    # session, user, officer, the district's change count, years of their own villages,
    # tambons, villages with last visit, follow-ups with last visit, unread advice,
    # thresholds, district; the plan's late stages (stages, deadlines, targets, their
    # officers, planned dates, first visits), their open meeting actions
    with django_assert_num_queries(18):
        client.get("/")
    tambon = area_a.tambons[0]
    stage = Stage.objects.first()
    for year in (2556, 2557, 2558):
        village = VillageFactory(tambon=tambon, moo=year - 2540, code=f"{tambon.code}{year - 2540}")
        target = TargetVillage.objects.create(village=village, year=FiscalYearFactory(year=year))
        FollowUp.objects.create(target=target, officer=officer_a, from_year_id=year + 1)
        FieldVisit.objects.create(
            target=target, officer=officer_a, stage=stage, date=dt.date(2017, 5, 1), activity="a"
        )
    with django_assert_num_queries(18):
        response = client.get("/")
    assert len(response.context["followups"]) == 4


def test_the_village_page_shows_its_whole_history_in_fixed_queries(
    login, work, area_a, head_a, django_assert_num_queries, render_every_time
):
    """The village of an FY2560 target was a target again in FY2561 and followed up after."""
    officer_a, second = work["officers"]
    stage = Stage.objects.first()
    first = area_a.targets[0]
    client = login(head_a)
    url = f"/targets/{first.pk}/"
    client.get(url)
    # the page's 14 queries before the history (one the district's change count), and the
    # history's four: the village's targets with their visit counts, their assignments,
    # their follow-ups, the newest visits; the money disbursed from its budget lines
    with django_assert_num_queries(22):
        client.get(url)
    later = TargetVillage.objects.create(village=first.village, year=FiscalYearFactory(year=2561))
    VillageAssignment.objects.create(target=later, officer=second)
    services.followup_start(
        district=area_a.district, target_id=first.pk, officer=second, year=2562, actor=head_a.user
    )
    for day in range(1, 15):
        FieldVisit.objects.create(
            target=later, officer=second, stage=stage, date=dt.date(2018, 1, day), activity="a"
        )
    FieldVisit.objects.create(
        target=first, officer=officer_a, stage=stage, date=dt.date(2017, 5, 1), activity="first"
    )
    with django_assert_num_queries(22):
        response = client.get(url)
    history = response.context["village_history"]
    assert [y.target.year_id for y in history.years] == [2561, 2560]
    assert [y.visit_count for y in history.years] == [14, 1]
    assert len(history.visits) == 10 and history.more_visits == 5
    assert history.visits[0].date == dt.date(2018, 1, 14)  # newest first, across years
    page = response.content.decode()
    section = page.split('id="village-history"')[1]
    assert second.user.display_name in section and "ตั้งแต่ปี 2562" in section
    assert f"/targets/{later.pk}/" in section  # the other year's page, a tap away
    assert "อีก 5 ครั้ง" in section


def test_the_pick_is_kept_when_the_page_body_comes_from_the_cache(
    monkeypatch, login, work, head_a, province_staff_a
):
    from django.test import Client

    today_is(monkeypatch, dt.date(2017, 10, 20))  # FY2561
    url = "/districts/4016/visits/?year=2560&picked=1"
    assert login(head_a).get(url).status_code == 200  # its body is kept now
    other = Client()
    other.force_login(province_staff_a.user)
    assert other.get(url).status_code == 200  # the kept body, not rendered again
    assert other.get("/districts/4016/assignments/").context["year"] == 2560
