"""``gongkai demo``: the real hierarchy, demo users, idempotency and the per-app extension hook."""

from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec
from io import StringIO
from types import ModuleType

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.agencies import demo_data
from gongkai.agencies.management.commands import demo as demo_command
from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.core.errors import DomainError
from gongkai.core.identity import validate_credit_code

pytestmark = pytest.mark.django_db

XINGAN_UNITS = {"乌兰浩特市", "阿尔山市", "科尔沁右翼前旗", "科尔沁右翼中旗", "扎赉特旗", "突泉县"}


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
    }


@pytest.fixture
def without_app_demos(monkeypatch):
    """Only the agencies and users: other apps' demo modules are tested once, below."""
    monkeypatch.setattr(demo_command, "demo_modules", list)


@pytest.fixture
def loaded(without_app_demos) -> str:
    return run_demo()


def every_table_count() -> dict[str, int]:
    """Rows per model (models without a table yet are the migration guard's business)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


# --- Specifications (no database needed, but cheap enough to share the marker) ---------------


def test_every_demo_agency_code_is_unique_and_valid():
    specs = demo_data.demo_agencies()
    codes = [s.code for s in specs]
    assert len(codes) == len(set(codes)), "duplicate agency codes in the demo data"
    for spec in specs:
        Agency._meta.get_field("code").run_validators(spec.code)


def test_every_demo_credit_code_has_a_correct_check_character_and_is_unique():
    specs = demo_data.demo_agencies()
    for spec in specs:
        assert validate_credit_code(spec.credit_code) == spec.credit_code, spec.code
    assert len({s.credit_code for s in specs}) == len(specs), "two demo agencies share a code"


def test_every_demo_agency_has_a_prefix_contacts_and_its_own_guide():
    for spec in demo_data.demo_agencies():
        missing = [
            name
            for name in ("doc_prefix", "office_name", "address", "postcode", "phone", "email")
            if not getattr(spec, name)
        ]
        assert not missing, f"{spec.code} lacks {missing}"
        assert spec.name in spec.guide_text, f"{spec.code}: the guide does not name the agency"


def test_parents_come_before_their_children():
    seen: set[str] = set()
    for spec in demo_data.demo_agencies():
        assert spec.parent_code is None or spec.parent_code in seen, spec.code
        seen.add(spec.code)


def test_county_level_names_follow_the_unit_kind():
    names = {s.short_name: s.name for s in demo_data.demo_agencies()}
    assert names["科尔沁右翼前旗"] == "科尔沁右翼前旗人民政府"
    assert names["突泉县"] == "突泉县人民政府"
    assert names["新城区"] == "新城区人民政府"
    assert names["乌兰浩特市"] == "乌兰浩特市人民政府"


def test_a_county_level_name_with_an_unknown_suffix_is_refused():
    data = {**demo_data.load_divisions()}
    data["leagues_and_cities"] = [
        {**data["leagues_and_cities"][0], "county_level": ["某某苏木"]},
    ]
    with pytest.raises(DomainError, match="无法识别旗县市区名称“某某苏木”"):
        demo_data.demo_agencies(data)


def test_abbreviations_follow_common_usage_for_wings_and_sides():
    assert demo_data.abbreviate("科尔沁右翼前旗") == "科右前"
    assert demo_data.abbreviate("察哈尔右翼后旗") == "察右后"
    assert demo_data.abbreviate("新巴尔虎左旗") == "新左"
    assert demo_data.abbreviate("突泉县") == "突"


def test_organisation_code_check_character_matches_gb_11714():
    # Worked by hand: 11 - (Σ value × weight mod 11), with 10 → X and 11 → 0.
    assert demo_data.organisation_code_check_char("00000000") == "0"
    assert demo_data.organisation_code_check_char("12345678") == "8"


# --- Loading -----------------------------------------------------------------------------------


def test_demo_loads_the_region_and_all_twelve_leagues_and_cities(loaded):
    region = Agency.objects.get(code="150000")
    assert region.name == "内蒙古自治区人民政府"
    assert region.kind == AgencyKind.REGION_GOVERNMENT
    leagues = Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT, parent=region)
    assert leagues.count() == 12
    assert set(leagues.values_list("name", flat=True)) >= {"兴安盟行政公署", "呼和浩特市人民政府"}


def test_demo_has_fourteen_cities_counting_the_two_under_separate_planning(loaded):
    leagues = Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT).count()
    separate = Agency.objects.filter(is_separately_planned=True)
    assert leagues + separate.count() == 14
    assert set(separate.values_list("name", flat=True)) == {
        "满洲里市人民政府",
        "二连浩特市人民政府",
    }


def test_cities_under_separate_planning_exist_once_under_their_league(loaded):
    for name, league in (("满洲里市人民政府", "150700"), ("二连浩特市人民政府", "152500")):
        rows = Agency.objects.filter(name=name)
        assert rows.count() == 1, f"{name} is duplicated"
        assert rows.get().parent.code == league
        assert rows.get().kind == AgencyKind.COUNTY_GOVERNMENT


def test_demo_loads_all_six_units_of_xingan_league(loaded):
    units = Agency.objects.filter(parent__code="152200", kind=AgencyKind.COUNTY_GOVERNMENT)
    assert set(units.values_list("short_name", flat=True)) == XINGAN_UNITS


def test_demo_loads_every_county_level_unit_of_the_data_file(loaded):
    expected = sum(len(x["county_level"]) for x in demo_data.load_divisions()["leagues_and_cities"])
    assert expected == 103
    assert Agency.objects.filter(kind=AgencyKind.COUNTY_GOVERNMENT).count() == expected


def test_demo_loads_at_least_fifteen_region_departments_with_the_general_office(loaded):
    departments = Agency.objects.filter(parent__code="150000", kind=AgencyKind.DEPARTMENT)
    assert departments.count() >= 15
    assert departments.filter(name="内蒙古自治区人民政府办公厅").exists()
    region = Agency.objects.get(code="150000")
    assert "办公厅" in region.office_name, "the general office hosts the disclosure office"


def test_every_league_has_education_finance_and_natural_resources_bureaus(loaded):
    for league in Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT):
        names = set(league.children.values_list("short_name", flat=True))
        assert {"教育局", "财政局", "自然资源局"} <= names, league.name


def test_demo_loads_townships_under_ulanhot(loaded):
    townships = Agency.objects.filter(
        parent__code="152200-wlhts", kind=AgencyKind.TOWNSHIP_GOVERNMENT
    )
    assert townships.count() >= 3
    assert all(t.name.startswith("乌兰浩特市") for t in townships)


def test_demo_users_cover_every_role(loaded):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(demo_data.DEMO_PASSWORD)


def test_the_xingan_league_has_a_user_for_every_role(loaded):
    roles = set(Membership.objects.filter(agency__code="152200").values_list("role", flat=True))
    assert roles == {r.value for r in Role}


def test_demo_prints_the_table_of_logins(loaded):
    for user in demo_data.DEMO_USERS:
        assert user.username in loaded, f"{user.username} missing from the printed logins"
    assert demo_data.DEMO_PASSWORD in loaded
    assert "兴安盟行政公署" in loaded


def test_demo_loads_twice_without_duplicates_or_changes(loaded):
    before = table_counts()
    stamps = dict(Agency.objects.values_list("code", "updated_at"))
    output = run_demo()
    assert table_counts() == before
    assert dict(Agency.objects.values_list("code", "updated_at")) == stamps, "rows were rewritten"
    assert "新建 0，更新 0" in output


def test_the_whole_demo_with_every_apps_content_loads_twice_without_changes():
    run_demo()
    before = every_table_count()
    run_demo()
    after = every_table_count()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"a second run changed row counts: {changed}"


def test_rerunning_the_demo_keeps_a_changed_password(loaded):
    user = get_user_model().objects.get(username="xingan_head")
    user.set_password("my-own-new-password")
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.check_password("my-own-new-password")


def test_reset_passwords_restores_the_demo_password(loaded):
    user = get_user_model().objects.get(username="xingan_head")
    user.set_password("my-own-new-password")
    user.save()
    run_demo("--reset-passwords")
    user.refresh_from_db()
    assert user.check_password(demo_data.DEMO_PASSWORD)


def test_rerunning_the_demo_keeps_contact_details_edited_by_the_agency(loaded):
    Agency.objects.filter(code="152200").update(phone="0482-1234567", guide_text="自己写的指南")
    run_demo()
    agency = Agency.objects.get(code="152200")
    assert (agency.phone, agency.guide_text) == ("0482-1234567", "自己写的指南")


def test_rerunning_the_demo_restores_a_renamed_agency(loaded):
    Agency.objects.filter(code="152200").update(name="改错的名称")
    run_demo()
    assert Agency.objects.get(code="152200").name == "兴安盟行政公署"


def test_invalid_demo_data_stops_the_command_with_nothing_written(monkeypatch, without_app_demos):
    broken = {**demo_data.load_divisions()}
    broken["leagues_and_cities"] = [
        {**broken["leagues_and_cities"][0], "county_level": ["某某苏木"]}
    ]
    monkeypatch.setattr(demo_data, "load_divisions", lambda: broken)
    with pytest.raises(CommandError, match="无法识别旗县市区名称"):
        run_demo()
    assert Agency.objects.count() == 0


# --- Extension hook ------------------------------------------------------------------------------


def fake_demo_module(monkeypatch, name: str, calls: list[str]) -> None:
    module = ModuleType(name)
    module.__spec__ = ModuleSpec(name, loader=None)

    def load(stdout) -> None:
        calls.append(name)
        stdout.write(f"loaded {name}")

    module.load = load
    monkeypatch.setitem(sys.modules, name, module)


def test_demo_calls_each_apps_demo_module_in_app_order(monkeypatch):
    calls: list[str] = []
    # Registered in reverse order: the command must follow INSTALLED_APPS, not discovery order.
    fake_demo_module(monkeypatch, "gongkai.supervision.demo", calls)
    fake_demo_module(monkeypatch, "gongkai.workdays.demo", calls)
    output = run_demo()
    assert [c for c in calls if c in {"gongkai.workdays.demo", "gongkai.supervision.demo"}] == [
        "gongkai.workdays.demo",
        "gongkai.supervision.demo",
    ]
    assert "loaded gongkai.workdays.demo" in output


def test_app_demo_modules_run_after_agencies_and_users_exist(monkeypatch):
    seen: dict[str, bool] = {}

    def check(stdout) -> None:
        seen["agency"] = Agency.objects.filter(code="152200").exists()
        seen["user"] = get_user_model().objects.filter(username="xingan_officer").exists()

    module = ModuleType("gongkai.search.demo")
    module.__spec__ = ModuleSpec("gongkai.search.demo", loader=None)
    module.load = check
    monkeypatch.setitem(sys.modules, "gongkai.search.demo", module)
    run_demo()
    assert seen == {"agency": True, "user": True}
