"""The programme's people: scope of personal data, validation, and fixed queries on lists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assignments.models import VillageAssignment
from fieldwork.models import Household, PartnerSupport, SupportTeamMember
from people.models import Forum, Partner, Sage, SageNetwork
from tests.factories import FiscalYearFactory, TargetVillageFactory, household_with_income


def make_household(target, name="นายสมชาย ใจดี", **extra):
    return household_with_income(target, Decimal(3000), name=name, **extra)


@pytest.fixture
def people(area_a, area_b, officer_a, head_a):
    VillageAssignment.objects.create(target=area_a.targets[0], officer=officer_a)
    sage_a = Sage.objects.create(name="แม่บุญมี ทอดี", village=area_a.villages[0], expertise="ทอผ้าไหม")
    sage_b = Sage.objects.create(name="พ่อคำ ปลูกผัก", village=area_b.villages[0], expertise="ผักอินทรีย์")
    households_a = [make_household(area_a.targets[0], f"ครัวเรือนเอ {i}") for i in range(3)]
    household_b = make_household(area_b.targets[0], "ครัวเรือนบี")
    Partner.objects.create(district_id="4016", name="กศน.อำเภอภูเวียง")
    return {
        "sage_a": sage_a,
        "sage_b": sage_b,
        "households_a": households_a,
        "household_b": household_b,
    }


def test_no_household_of_district_a_is_visible_to_anyone_of_district_b(
    login, people, area_a, officer_b, head_b, province_staff_b
):
    target = area_a.targets[0]
    household = people["households_a"][0]
    for person in (officer_b, head_b, province_staff_b):
        client = login(person)
        assert not Household.objects.visible_to(person.user).filter(target=target).exists()
        assert client.get("/districts/4016/households/").status_code == 404
        assert client.get(f"/households/{household.pk}/").status_code == 404
        assert client.get(f"/targets/{target.pk}/").status_code == 404
        text = client.get("/districts/4101/households/").content.decode()
        assert "ครัวเรือนเอ" not in text


def test_provincial_staff_see_households_only_as_figures(login, people, province_staff_a, area_a):
    client = login(province_staff_a)
    assert client.get("/districts/4016/households/").status_code == 403
    assert not Household.objects.visible_to(province_staff_a.user).exists()
    page = client.get(f"/targets/{area_a.targets[0].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ครัวเรือนเอ" not in text  # no names
    assert "ครัวเรือนเป้าหมาย 3 ครัวเรือน" in text  # but the count


def test_officer_adds_a_household_to_their_own_village(login, people, officer_a, area_a):
    client = login(officer_a)
    target = area_a.targets[0]
    data = {
        "target": target.pk,
        "head_name": "นางมาลัย ศรีสุข",
        "livelihood": "ทอผ้า",
        "baseline_income": "3500",
        "baseline_date": "01/11/2559",
        "still_practising": "true",
    }
    response = client.post(f"/households/new/?target={target.pk}", data)
    assert response.status_code == 302
    saved = Household.objects.get(head_name="นางมาลัย ศรีสุข")
    baseline = saved.income_rounds.get()
    assert (baseline.kind, baseline.date, baseline.income) == (
        "baseline",
        dt.date(2016, 11, 1),
        Decimal(3500),
    )
    assert baseline.recorded_by == officer_a.user
    assert saved.income_change() is None  # no follow-up yet
    response = client.post(
        f"/households/{saved.pk}/rounds/",
        {"date": "01/05/2561", "kind": "followup", "income": "5200"},
    )
    assert response.status_code == 302
    assert saved.income_change() == Decimal(1700)
    other = area_a.targets[1]  # not assigned to her
    assert client.get(f"/households/new/?target={other.pk}").status_code == 403


def test_incomes_cannot_be_negative(login, people, head_a, area_a):
    target = area_a.targets[0]
    response = login(head_a).post(
        f"/households/new/?target={target.pk}",
        {
            "target": target.pk,
            "head_name": "ติดลบ",
            "livelihood": "x",
            "baseline_income": "-1",
            "baseline_date": "01/10/2559",
        },
    )
    assert response.status_code == 200
    assert "ติดลบ" in response.content.decode()  # what was typed is kept
    assert not Household.objects.filter(head_name="ติดลบ").exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_household(target).income_rounds.update(income=Decimal(-5))


def test_a_household_belongs_to_a_target_village_of_the_same_year(login, people, head_a, area_a):
    later = TargetVillageFactory(village=area_a.villages[0], year=FiscalYearFactory(year=2561))
    target_2560 = area_a.targets[0]
    response = login(head_a).post(
        f"/households/new/?target={later.pk}",
        {"target": target_2560.pk, "head_name": "ข้ามปี", "livelihood": "x", "baseline_income": "10"},
    )
    assert response.status_code == 200
    assert not Household.objects.filter(head_name="ข้ามปี").exists()


def test_the_team_has_one_leader_and_the_leader_is_a_sage(login, people, head_a, area_a):
    target = area_a.targets[0]
    client = login(head_a)
    refused = client.post(
        f"/targets/{target.pk}/team/",
        {"name": "ไม่มีปราชญ์", "role": "leader", "phone": "0812345678"},
    )
    assert not SupportTeamMember.objects.exists()
    # shown again with what was typed and the reason, the form open
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'value="ไม่มีปราชญ์"' in text and 'value="0812345678"' in text
    assert "เลือกปราชญ์" in text and "<details open>" in text
    client.post(
        f"/targets/{target.pk}/team/",
        {"name": "แม่บุญมี ทอดี", "role": "leader", "sage": people["sage_a"].pk},
    )
    target.refresh_from_db()
    assert target.sage == people["sage_a"]
    # a removal sent twice: the second finds it done
    leader = SupportTeamMember.objects.get()
    page = f"http://testserver/targets/{target.pk}/"
    client.post(f"/team/{leader.pk}/delete/", HTTP_REFERER=page)
    again = client.post(f"/team/{leader.pk}/delete/", HTTP_REFERER=page, follow=True)
    assert again.redirect_chain == [(f"/targets/{target.pk}/", 302)]
    assert "ไม่อยู่ในทีมวิทยากรแล้ว" in again.content.decode()
    leader.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportTeamMember.objects.create(
            target=target, name="อีกคน", role="leader", sage=people["sage_a"]
        )


def test_sages_can_be_found_across_the_province_not_beyond(
    login, people, officer_a, area_a, area_a2
):
    area_a.targets[0].sage = people["sage_a"]
    area_a.targets[0].save()
    Sage.objects.create(name="ปราชญ์อำเภอข้างเคียง", village=area_a2.villages[0], expertise="ทอผ้าฝ้าย")
    response = login(officer_a).get("/sages/?q=ทอผ้า")
    names = {s.name for s in response.context["sages"]}
    assert names == {"ปราชญ์อำเภอข้างเคียง", "แม่บุญมี ทอดี"}
    served = {s.name: [t.year_id for t in s.targets.all()] for s in response.context["sages"]}
    assert served["แม่บุญมี ทอดี"] == [2560]
    partner_search = login(officer_a).get("/districts/4016/partners/?q=กศน")
    assert [p.name for p in partner_search.context["partners"]] == ["กศน.อำเภอภูเวียง"]
    assert "พ่อคำ ปลูกผัก" not in response.content.decode()


def test_an_officer_edits_sages_of_their_own_villages_only(
    login, people, officer_b, officer_a, area_a, area_b
):
    assert login(officer_b).get(f"/sages/{people['sage_a'].pk}/edit/").status_code == 404
    # nor may she move her sage to a village that is not hers: of her district, or another's
    for village in (area_a.villages[3], area_b.villages[1]):
        response = login(officer_a).post(
            f"/sages/{people['sage_a'].pk}/edit/",
            {"name": "ย้าย", "village": village.code, "expertise": "ทอผ้าไหม"},
        )
        assert response.status_code == 200 and "village" in response.context["form"].errors
    people["sage_a"].refresh_from_db()
    assert people["sage_a"].village == area_a.villages[0]
    response = login(officer_a).post(
        f"/sages/{people['sage_a'].pk}/edit/",
        {"name": "แม่บุญมี ทอดีมาก", "village": people["sage_a"].village_id, "expertise": "ทอผ้าไหม"},
    )
    assert response.status_code == 302
    people["sage_a"].refresh_from_db()
    assert people["sage_a"].name == "แม่บุญมี ทอดีมาก"


def test_an_officers_own_villages_are_her_assigned_ones_and_her_tambons_today(
    login, people, officer_a, area_a
):
    """sage_a's village is hers by the board; these are hers, or not, by tambon alone."""
    from django.utils import timezone

    from tests.factories import TambonResponsibilityFactory

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    TambonResponsibilityFactory(officer=officer_a, tambon=area_a.tambons[1], end_date=yesterday)
    # moo 3 of each tambon is no target village, so no assignment makes it hers
    own_tambon, ended_tambon = area_a.villages[2], area_a.villages[5]
    sages = {
        village: Sage.objects.create(name=f"ปราชญ์ {village.code}", village=village, expertise="x")
        for village in (own_tambon, ended_tambon)
    }
    client = login(officer_a)
    assert client.get(f"/sages/{sages[own_tambon].pk}/edit/").status_code == 200
    assert client.get(f"/sages/{sages[ended_tambon].pk}/edit/").status_code == 403


@pytest.mark.parametrize("who", ["officer_a", "head_a", "province_staff_a"])
def test_the_sage_list_offers_edit_only_where_the_edit_page_opens(
    request, login, people, area_a, area_a2, who
):
    for village in [*area_a.villages, area_a2.villages[0]]:
        Sage.objects.create(name=f"ปราชญ์ {village.code}", village=village, expertise="จักสาน")
    client = login(request.getfixturevalue(who))
    text = client.get("/sages/").content.decode()
    offered, refused = set(), set()
    for sage in Sage.objects.visible_to(client.get("/").wsgi_request.user):
        link = f'href="/sages/{sage.pk}/edit/"'
        status = client.get(f"/sages/{sage.pk}/edit/").status_code
        assert status in (200, 403)
        assert (link in text) == (status == 200), (sage.name, status)
        (offered if status == 200 else refused).add(sage.pk)
    assert refused  # every role meets a sage it may not edit
    assert bool(offered) == (who != "province_staff_a")


def test_forums_are_planned_then_recorded_with_attendance(login, people, head_a, officer_a):
    client = login(head_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/districts/4016/network/")  # set up from the English screen, named in Thai
    network = SageNetwork.objects.get(district_id="4016")
    assert network.name == f"เครือข่ายปราชญ์สัมมาชีพชุมชนอำเภอ{network.district.name_th}"
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    client.post("/districts/4016/network/", {"members": [people["sage_a"].pk]})
    assert list(network.members.all()) == [people["sage_a"]]
    response = client.post(
        "/districts/4016/forums/new/",
        {"date": "10/02/2560", "place": "หอประชุมอำเภอ", "topic": "การตลาด", "status": "planned"},
    )
    forum = Forum.objects.get()
    assert response.status_code == 302 and forum.date == dt.date(2017, 2, 10)
    refused = client.post(
        f"/forums/{forum.pk}/edit/",
        {"date": "10/02/2560", "place": "หอประชุมอำเภอ", "topic": "การตลาด", "status": "held"},
    )
    assert "ต้องบันทึกผู้เข้าร่วม" in refused.content.decode()
    client.post(
        f"/forums/{forum.pk}/edit/",
        {
            "date": "10/02/2560",
            "place": "หอประชุมอำเภอ",
            "topic": "การตลาด",
            "status": "held",
            "sages": [people["sage_a"].pk],
            "officers": [officer_a.pk, head_a.pk],
            "learned": "ขายที่ตลาดชุมชน",
        },
    )
    forum.refresh_from_db()
    assert forum.status == "held" and forum.officers.count() == 2
    assert login(officer_a).post(f"/forums/{forum.pk}/edit/", {}).status_code == 403


def test_partners_back_villages(login, people, head_a, officer_a, area_a):
    client = login(head_a)
    client.post(
        "/districts/4016/partners/new/", {"name": "เกษตรอำเภอภูเวียง", "contact_name": "นายเอ"}
    )
    partner = Partner.objects.get(name="เกษตรอำเภอภูเวียง")
    duplicate = client.post("/districts/4016/partners/new/", {"name": "เกษตรอำเภอภูเวียง"})
    assert "มีภาคีชื่อนี้อยู่แล้ว" in duplicate.content.decode()
    login(officer_a).post(
        f"/targets/{area_a.targets[0].pk}/partners/", {"partner": partner.pk, "project": "ตลาด"}
    )
    assert PartnerSupport.objects.filter(target=area_a.targets[0], partner=partner).exists()
    assert login(officer_a).post("/districts/4016/partners/new/", {"name": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("url", "who", "queries"),
    [
        # session, user, officer, count, page of sages, the years they served, districts,
        # which of the page's villages the officer works (for the edit links)
        ("/sages/", "officer_a", 8),
        # ... district, network, its members, its forums
        ("/districts/4016/network/", "officer_a", 7),
        # ... district, years, count, page of households, tambons, the user's editable targets
        ("/districts/4016/households/", "head_a", 9),
        # ... district, count, page of partners
        ("/districts/4016/partners/", "head_a", 6),
        # ... province, networks with their counts
        ("/provinces/40/networks/", "province_staff_a", 5),
    ],
)
def test_people_lists_run_in_fixed_queries(
    request, login, people, area_a, url, who, queries, django_assert_num_queries
):
    client = login(request.getfixturevalue(who))
    network = SageNetwork.objects.create(district_id="4016", name="เครือข่าย")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for i in range(12):
        sage = Sage.objects.create(name=f"ปราชญ์ {i}", village=area_a.villages[i % 6], expertise="x")
        network.members.add(sage)
        make_household(area_a.targets[i % 4], f"เพิ่ม {i}")
        Partner.objects.create(district_id="4016", name=f"ภาคี {i}")
        Forum.objects.create(network=network, date=dt.date(2017, 1, 1 + i), place="p", topic="t")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_district_page_offers_household_records_only_inside_the_district(
    login, people, head_a, province_staff_a
):
    assert "/districts/4016/households/" in login(head_a).get("/districts/4016/").content.decode()
    text = login(province_staff_a).get("/districts/4016/").content.decode()
    assert "/districts/4016/households/" not in text


def test_a_village_moved_to_another_officer_is_no_longer_the_first_ones_to_change(
    login, people, area_a, officer_a, head_a
):
    """Rights to a village follow the board: the officer it was taken from may no longer
    log a visit to it, add a household or a team member, or edit its sage."""
    from assignments import access as assignment_access
    from assignments import services
    from fieldwork import access as field_access
    from tests.factories import OfficerFactory, UserFactory

    target = area_a.targets[0]
    officer_a.tambon_responsibilities.all().delete()  # the village is hers by the board alone
    client = login(officer_a)
    assert client.get(f"/sages/{people['sage_a'].pk}/edit/").status_code == 200  # before
    colleague = OfficerFactory(user=UserFactory(username="officer-a9"), district=area_a.district)
    services.assignment_change(
        district=area_a.district, target_ids=[target.pk], officer=colleague, actor=head_a.user
    )
    user = officer_a.user
    assert not field_access.loggable_targets(user).filter(pk=target.pk).exists()
    assert not assignment_access.can_edit_target(user, target)
    assert (
        not assignment_access.editable_targets(user, area_a.district).filter(pk=target.pk).exists()
    )
    assert client.get(f"/households/new/?target={target.pk}").status_code == 403
    assert (
        client.post(f"/targets/{target.pk}/team/", {"name": "ก", "role": "member"}).status_code
        == 403
    )
    assert client.get(f"/sages/{people['sage_a'].pk}/edit/").status_code == 403
    assert assignment_access.can_edit_target(colleague.user, target)


def test_a_head_cannot_take_another_districts_partner(login, people, head_a, head_b):
    partner = Partner.objects.get(name="กศน.อำเภอภูเวียง")
    client = login(head_b)
    response = client.post(
        f"/districts/4101/partners/{partner.pk}/", {"name": "ยึดมา", "contact_name": ""}
    )
    assert response.status_code == 404
    partner.refresh_from_db()
    assert (partner.name, partner.district_id) == ("กศน.อำเภอภูเวียง", "4016")


def test_only_the_head_sets_up_the_sage_network(login, people, officer_a, head_a):
    assert login(officer_a).post("/districts/4016/network/").status_code == 403
    assert not SageNetwork.objects.exists()
    login(head_a).post("/districts/4016/network/")
    network = SageNetwork.objects.get()
    response = login(officer_a).post("/districts/4016/network/", {"members": [people["sage_a"].pk]})
    assert response.status_code == 403 and not network.members.exists()


PHONE_MESSAGE = "หมายเลขโทรศัพท์ต้องเป็นตัวเลข"


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("08-1234-5678", True),
        ("043 123 456", True),
        ("0812345678", True),
        ("+66 81 234 5678", True),
        ("๐๘๑๒๓๔๕๖๗๘", True),
        ("abc", False),
        ("08-1234-ABCD", False),
        ("081234567 ต่อ 12", False),
        ("66+81", False),
        ("-", False),
    ],
)
def test_a_phone_number_is_digits_with_spaces_dashes_and_a_leading_plus(phone, ok):
    from django.core.exceptions import ValidationError

    from districts.models import phone_validator

    if ok:
        phone_validator(phone)
    else:
        with pytest.raises(ValidationError):
            phone_validator(phone)


def test_sage_partner_and_team_phones_refuse_letters_in_thai(login, people, head_a, area_a):
    client = login(head_a)
    sage = people["sage_a"]
    fields = {"name": sage.name, "village": sage.village_id, "expertise": sage.expertise}
    refused = client.post(f"/sages/{sage.pk}/edit/", {**fields, "phone": "abc"})
    assert refused.status_code == 200 and PHONE_MESSAGE in refused.content.decode()
    assert (
        client.post(f"/sages/{sage.pk}/edit/", {**fields, "phone": "08-1234-5678"}).status_code
        == 302
    )
    sage.refresh_from_db()
    assert sage.phone == "08-1234-5678"
    # typed with Thai digits, kept with Arabic ones: the page's tel: link dials
    client.post(f"/sages/{sage.pk}/edit/", {**fields, "phone": "๐๘-๑๒๓๔-๕๖๗๘"})
    sage.refresh_from_db()
    assert sage.phone == "08-1234-5678"
    refused = client.post("/districts/4016/partners/new/", {"name": "เกษตรอำเภอ", "phone": "abc"})
    assert PHONE_MESSAGE in refused.content.decode()
    assert not Partner.objects.filter(name="เกษตรอำเภอ").exists()
    target = area_a.targets[0]
    refused = client.post(
        f"/targets/{target.pk}/team/", {"name": "นายเอ", "role": "member", "phone": "abc"}
    )
    assert refused.status_code == 400 and PHONE_MESSAGE in refused.content.decode()
    assert not SupportTeamMember.objects.exists()


def test_every_people_form_leads_back_to_where_it_came_from(login, people, head_a, area_a):
    client = login(head_a)
    client.post("/districts/4016/network/")
    target = area_a.targets[0]
    for url, back in [
        ("/districts/4016/forums/new/", "/districts/4016/network/"),
        ("/districts/4016/partners/new/", "/districts/4016/partners/"),
        (f"/households/new/?target={target.pk}", f"/targets/{target.pk}/"),
        ("/districts/4016/sages/new/", "/sages/?district=4016"),
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'href="{back}">← กลับโดยไม่บันทึก' in page.content.decode(), url


def test_a_heads_forms_take_only_the_districts_own_people(
    login, people, head_a, officer_a, officer_b, area_a
):
    """Every choice on the district's forms is the district's own: a sage, a partner or an
    officer of another district sent by hand is refused, and nothing is written."""
    target = area_a.targets[0]
    sage_b = people["sage_b"]
    partner_b = Partner.objects.create(district_id="4101", name="ภาคีอำเภออื่น")
    client = login(head_a)
    team = client.post(
        f"/targets/{target.pk}/team/", {"name": "ปราชญ์อื่น", "role": "leader", "sage": sage_b.pk}
    )
    assert team.status_code == 400 and not SupportTeamMember.objects.exists()
    support = client.post(
        f"/targets/{target.pk}/partners/", {"partner": partner_b.pk, "project": "p"}
    )
    assert support.status_code == 400 and not PartnerSupport.objects.exists()
    client.post("/districts/4016/network/")
    network = SageNetwork.objects.get(district_id="4016")
    refused = client.post("/districts/4016/network/", {"members": [sage_b.pk]}, follow=True)
    assert not network.members.exists()
    assert "ยังไม่ได้บันทึกสมาชิก" in refused.content.decode()  # told, not dropped silently
    network.members.add(people["sage_a"])
    client.post(
        "/districts/4016/forums/new/",
        {"date": "10/02/2560", "place": "อำเภอ", "topic": "ตลาด", "status": "planned"},
    )
    forum = Forum.objects.get()
    held = {"date": "10/02/2560", "place": "อำเภอ", "topic": "ตลาด", "status": "held"}
    for extra in (
        {"sages": [sage_b.pk], "officers": [officer_a.pk]},  # a sage outside the network
        {"sages": [people["sage_a"].pk], "officers": [officer_b.pk]},  # another's officer
    ):
        client.post(f"/forums/{forum.pk}/edit/", {**held, **extra})
        forum.refresh_from_db()
        assert forum.status == "planned"
        assert not forum.sages.exists() and not forum.officers.exists()


def test_the_household_list_links_only_the_households_the_officer_may_edit(
    login, people, officer_a, area_a
):
    other = make_household(area_a.targets[1], "ครัวเรือนหมู่อื่น")  # a village not hers
    client = login(officer_a)
    text = client.get("/districts/4016/households/?year=2560").content.decode()
    for household in (*people["households_a"], other):
        link = f'href="/households/{household.pk}/"'
        status = client.get(f"/households/{household.pk}/").status_code
        assert (link in text) == (status == 200), (household.head_name, status)
    assert f'href="/households/{other.pk}/"' not in text and other.head_name in text


def test_a_districts_household_list_holds_that_districts_households_even_for_the_admin(
    login, people, admin_user
):
    """District staff read only their own anyway; the admin, who reads all, must still find
    one district's households on its page."""
    text = login(admin_user).get("/districts/4016/households/?year=2560").content.decode()
    # a name's parts each kept whole (the person_wraps filter)
    assert '<span class="name">ครัวเรือนเอ</span> <span class="name">0</span>' in text
    assert "ครัวเรือนบี" not in text


def test_a_districts_partner_list_holds_only_its_own_partners(login, people, officer_a, area_a2):
    Partner.objects.create(district=area_a2.district, name="ภาคีอำเภอเมือง")
    listed = login(officer_a).get("/districts/4016/partners/").context["partners"]
    assert [p.name for p in listed] == ["กศน.อำเภอภูเวียง"]


def test_a_districts_network_page_is_its_own_network(login, people, head_a, area_b):
    theirs = SageNetwork.objects.create(district=area_b.district, name="เครือข่ายอำเภออื่น")
    client = login(head_a)
    page = client.get("/districts/4016/network/")
    assert page.context["network"] is None  # A has none yet
    client.post("/districts/4016/network/")  # sets up A's
    client.post("/districts/4016/network/", {"members": [people["sage_a"].pk]})
    ours = SageNetwork.objects.get(district_id="4016")
    assert client.get("/districts/4016/network/").context["network"] == ours
    assert list(ours.members.all()) == [people["sage_a"]] and not theirs.members.exists()


def test_a_provinces_network_page_lists_only_its_own_districts_networks(
    login, people, province_staff_a, area_a, area_b
):
    ours = SageNetwork.objects.create(district=area_a.district, name="เครือข่ายภูเวียง")
    SageNetwork.objects.create(district=area_b.district, name="เครือข่ายอุดร")
    page = login(province_staff_a).get("/provinces/40/networks/")
    assert page.context["networks"] == [ours]


def test_people_are_listed_by_given_name_not_by_title(login, area_a, head_a):
    """นาง, นางสาว and นาย would put every married woman first and every man last."""
    for name in ("นายคำ ดีงาม", "นางสาวขวัญ ใจดี", "นาง งาม ทอดี", "แม่บุญมี ทอดี", "นางก้อย สุขใจ"):
        Sage.objects.create(name=name, village=area_a.villages[0], expertise="ทอผ้า")
    listed = list(Sage.objects.filter(district_id="4016").values_list("name", flat=True))
    expected = ["นางก้อย สุขใจ", "นางสาวขวัญ ใจดี", "นายคำ ดีงาม", "นาง งาม ทอดี", "แม่บุญมี ทอดี"]
    assert listed == expected
    page = login(head_a).get("/sages/?district=4016")
    assert [s.name for s in page.context["sages"]] == expected
