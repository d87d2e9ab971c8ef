"""The Django admin of the calendar: superusers only; paste → preview → confirm; overrides."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.site.models import AuditEntry
from gongkai.workdays.calendar import get_calendar
from gongkai.workdays.models import CalendarOverride, LoadedYear
from tests.factories import UserFactory
from tests.workdays.conftest import d, notice

pytestmark = pytest.mark.django_db

LOAD_URL = "admin:workdays_loadedyear_load_notice"
CHANGELIST = "admin:workdays_loadedyear_changelist"


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="staff", is_staff=True))
    return client


def post_notice(client, text: str, **extra):
    return client.post(reverse(LOAD_URL), {"notice_text": text, "year": "", "source": "", **extra})


def test_the_loaded_years_list_links_to_the_load_screen(admin_client):
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert reverse(LOAD_URL).encode() in response.content
    assert "载入节假日安排通知" in response.content.decode()


def test_the_load_screen_shows_the_paste_form(admin_client):
    response = admin_client.get(reverse(LOAD_URL))
    assert response.status_code == 200
    assert 'name="notice_text"' in response.content.decode()


def test_posting_a_notice_shows_the_preview_and_saves_nothing(admin_client):
    response = post_notice(admin_client, notice("2027-sample"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "休息日（25天）" in page
    assert "调休上班日（4天）" in page
    assert "2027-01-09" in page and "元旦调休上班" in page
    assert "2026-12-31（周四）：工作日（周一至周五） → 休息日（元旦）" in page
    assert "确认载入" in page
    assert LoadedYear.objects.count() == 0
    assert CalendarOverride.objects.count() == 0


def test_confirming_the_preview_loads_the_year_with_a_success_message(admin_client, superuser):
    response = post_notice(admin_client, notice("2027-sample"), confirm="1")
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)
    loaded = LoadedYear.objects.get()
    assert (loaded.year, loaded.loaded_by) == (2027, superuser)
    assert CalendarOverride.objects.count() == 29
    assert get_calendar().is_workday(d("2027-01-09"))
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["已载入2027年节假日安排：休息日25天，调休上班日4天。"]
    assert AuditEntry.objects.filter(action="workdays.load_notice", actor=superuser).exists()


def test_the_whole_flow_preview_then_confirm_from_the_preview_form(admin_client):
    preview_page = post_notice(admin_client, notice("2027-sample")).content.decode()
    assert 'name="confirm" value="1"' in preview_page
    response = post_notice(admin_client, notice("2027-sample"), confirm="1")
    followed = admin_client.get(response["Location"])
    assert "已载入2027年节假日安排" in followed.content.decode()
    assert "国务院办公厅关于2027年部分节假日安排的通知" in followed.content.decode()


def test_a_notice_the_parser_refuses_shows_its_message_on_the_form(admin_client):
    bad = notice("2027-sample").replace("4月5日（周一）", "4月5日（周二）")
    response = post_notice(admin_client, bad, confirm="1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "2027年4月5日标注为“周二”，但该日是星期一" in page
    assert LoadedYear.objects.count() == 0
    assert CalendarOverride.objects.count() == 0


def test_an_empty_form_is_refused_without_saving(admin_client):
    response = post_notice(admin_client, "")
    assert response.status_code == 200
    assert LoadedYear.objects.count() == 0


def test_staff_who_are_not_superusers_cannot_load(staff_client):
    assert staff_client.get(reverse(LOAD_URL)).status_code == 403
    assert post_notice(staff_client, notice("2027-sample"), confirm="1").status_code == 403
    assert LoadedYear.objects.count() == 0


def test_staff_who_are_not_superusers_cannot_see_the_calendar_admin(staff_client):
    assert staff_client.get(reverse(CHANGELIST)).status_code == 403
    assert (
        staff_client.get(reverse("admin:workdays_calendaroverride_changelist")).status_code == 403
    )


def test_adding_an_override_in_the_admin_is_audited_and_applies(admin_client, world):
    get_calendar(world.county)
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {
            "date": "2026-07-13",
            "is_workday": "",
            "name": "那达慕大会",
            "region": world.league.pk,
            "source": "兴安盟行政公署通知",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not get_calendar(world.county).is_workday(d("2026-07-13"))
    assert AuditEntry.objects.filter(action="workdays.override_create").count() == 1


def test_a_second_national_override_on_the_same_date_is_refused(admin_client):
    CalendarOverride.objects.create(date=d("2026-07-13"), is_workday=False, name="甲")
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"date": "2026-07-13", "is_workday": "on", "name": "乙", "region": "", "source": ""},
    )
    assert response.status_code == 200
    assert "该日期已有全国适用的节假日调整" in response.content.decode()
    assert CalendarOverride.objects.count() == 1


def test_deleting_an_override_in_the_admin_is_audited_and_applies(admin_client):
    override = CalendarOverride.objects.create(date=d("2026-07-13"), is_workday=False, name="甲")
    assert not get_calendar().is_workday(d("2026-07-13"))
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert get_calendar().is_workday(d("2026-07-13"))
    assert AuditEntry.objects.filter(action="workdays.override_delete").count() == 1


def test_deleting_overrides_in_bulk_goes_through_the_audited_path(admin_client):
    rows = [
        CalendarOverride.objects.create(date=d(f"2026-07-{day}"), is_workday=False, name="甲")
        for day in (13, 14)
    ]
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.count() == 0
    assert AuditEntry.objects.filter(action="workdays.override_delete").count() == 2


def test_deleting_a_loaded_year_unloads_it(admin_client):
    post_notice(admin_client, notice("2027-sample"), confirm="1")
    loaded = LoadedYear.objects.get()
    response = admin_client.post(
        reverse("admin:workdays_loadedyear_delete", args=[loaded.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.count() == 0
    assert AuditEntry.objects.filter(action="workdays.unload_year").exists()


def test_the_override_list_needs_a_fixed_number_of_queries(
    admin_client, world, django_assert_max_num_queries
):
    for day in range(1, 29):
        CalendarOverride.objects.create(
            date=d(f"2026-08-{day:02d}"), is_workday=False, name="测试", region=world.league
        )
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:workdays_calendaroverride_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count("兴安盟行政公署") >= 28


def test_the_loaded_year_detail_page_is_read_only(admin_client):
    post_notice(admin_client, notice("2027-sample"), confirm="1")
    loaded = LoadedYear.objects.get()
    response = admin_client.get(reverse("admin:workdays_loadedyear_change", args=[loaded.pk]))
    assert response.status_code == 200
    assert 'name="notice_text"' not in response.content.decode()
