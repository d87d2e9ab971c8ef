import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.dates import override_today
from gongkai.reports.models import AnnualReport, ReportStatus
from tests.reports.helpers import request

D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with override_today(D(2027, 2, 10)):
        yield


@pytest.fixture
def league_requests(world):
    request(world.league, received_on=D(2026, 3, 2), closed_on=D(2026, 3, 20), outcome="disclosed")
    request(world.county, received_on=D(2026, 6, 1))
    return world


def login(client, user):
    client.force_login(user)
    return client


def detail_url(code="152200", year=2026, scope="self"):
    return reverse("reports_staff:detail", args=[code, year, scope])


@pytest.mark.parametrize(
    ("user", "code", "expected"),
    [
        ("officer", "152200", 200),
        ("reviewer", "152200", 200),
        ("supervisor", "152201", 200),  # league supervisor sees the county below
        ("region_supervisor", "152200", 200),
        ("county_officer", "152200", 404),  # a child unit does not see its parent
        ("sibling_officer", "152200", 404),
        ("officer", "152500", 404),  # sibling league
        ("outsider", "152200", 404),
    ],
)
def test_report_page_permissions(client, league_requests, user, code, expected):
    login(client, getattr(league_requests, user))
    assert client.get(detail_url(code)).status_code == expected


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(detail_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_report_page_shows_computed_figures_and_checks(client, league_requests):
    login(client, league_requests.officer)
    page = client.get(detail_url()).content.decode()
    assert "兴安盟行政公署2026年政府信息公开工作年度报告" in page
    assert 'data-key="table3.disclosed.total">' in page
    assert "三、收到和处理政府信息公开申请情况" in page


def test_reviewer_cannot_lock(client, league_requests):
    login(client, league_requests.reviewer)
    response = client.post(reverse("reports_staff:lock", args=["152200", 2026, "self"]))
    assert response.status_code == 403
    assert not AnnualReport.objects.filter(status=ReportStatus.LOCKED).exists()


def test_officer_locks_and_only_the_head_publishes(client, league_requests):
    login(client, league_requests.officer)
    client.post(reverse("reports_staff:lock", args=["152200", 2026, "self"]))
    report = AnnualReport.objects.get(agency=league_requests.league, year=2026)
    assert report.status == ReportStatus.LOCKED
    publish = reverse("reports_staff:publish", args=["152200", 2026, "self"])
    assert client.post(publish).status_code == 403
    login(client, league_requests.head)
    client.post(publish)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED


def test_published_report_appears_on_the_portal_with_locked_figures(client, league_requests):
    login(client, league_requests.officer)
    client.post(reverse("reports_staff:lock", args=["152200", 2026, "self"]))
    public_url = reverse("reports:detail", args=["152200", 2026, "self"])
    client.logout()
    assert client.get(public_url).status_code == 404, "not published yet"
    login(client, league_requests.head)
    client.post(reverse("reports_staff:publish", args=["152200", 2026, "self"]))
    client.logout()
    request(league_requests.league, received_on=D(2026, 7, 1))  # after publication
    page = client.get(public_url).content.decode()
    assert 'data-key="table3.new.total">1<' in page, "the portal shows the locked figures"
    assert client.get(reverse("reports:agency", args=["152200"])).status_code == 200
    xlsx = client.get(reverse("reports:download", args=["152200", 2026, "self", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_locked_report_shows_drift_after_data_changes(client, league_requests):
    login(client, league_requests.officer)
    client.post(reverse("reports_staff:lock", args=["152200", 2026, "self"]))
    request(league_requests.league, received_on=D(2026, 8, 3))
    page = client.get(detail_url()).content.decode()
    assert "锁定后数据已发生变化" in page and "table3.new.total" in page


def test_sections_are_saved_and_suggestions_carry_figures(client, league_requests):
    login(client, league_requests.officer)
    client.post(reverse("reports_staff:suggest", args=["152200", 2026, "self"]))
    report = AnnualReport.objects.get(agency=league_requests.league, year=2026)
    assert "本年新收政府信息公开申请1件" in report.section_overview
    assert "工作考核、社会评议和责任追究" in report.section_overview, "a government's report"
    assert "未收取信息处理费" in report.section_other
    client.post(
        reverse("reports_staff:sections", args=["152200", 2026, "self"]),
        {"overview": "总体情况", "problems": "问题", "other": "其他"},
    )
    report.refresh_from_db()
    assert report.section_problems == "问题"


def test_typed_cells_reject_negative_numbers(client, league_requests):
    login(client, league_requests.officer)
    url = reverse("reports_staff:typed", args=["152200", 2026, "self"])
    client.post(url, {"penalty_decisions": "-3", "fees_collected": "1.5"})
    report = AnnualReport.objects.get(agency=league_requests.league, year=2026)
    assert report.typed == {}, "nothing saved when a field is invalid"
    client.post(url, {"penalty_decisions": "3", "fees_collected": "1.5"})
    report.refresh_from_db()
    assert report.typed["table2"] == {"penalty_decisions": 3, "fees_collected": "1.5"}


def test_drill_down_lists_units_and_requests(client, league_requests):
    login(client, league_requests.supervisor)
    url = reverse("reports_staff:drill", args=["152200", 2026, "subtree"])
    page = client.get(url, {"cell": "table3.new.total"}).content.decode()
    assert "乌兰浩特市人民政府" in page and "兴安盟行政公署" in page
    assert client.get(url, {"cell": "table3.nope.total"}).status_code == 404


def test_manual_table3_entry_is_validated(client, world):
    login(client, world.county_officer)
    url = reverse("reports_staff:manual", args=["152201", 2026])
    response = client.post(url, {"enabled": "1", "new__natural_person": "2", "new__total": "2"})
    assert "校验未通过" in response.content.decode()
    report = AnnualReport.objects.get(agency=world.county, year=2026)
    assert report.manual_table3 and report.typed["table3"]["new"]["natural_person"] == 2


def test_exports_download_in_every_format(client, league_requests):
    login(client, league_requests.officer)
    for fmt, magic in (("xlsx", b"PK"), ("docx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")):
        response = client.get(reverse("reports_staff:export", args=["152200", 2026, "self", fmt]))
        assert response.status_code == 200 and response.content.startswith(magic), fmt


def test_board_marks_late_and_pending_units(client, league_requests):
    login(client, league_requests.supervisor)
    page = client.get(reverse("reports_staff:board_year", args=[2026])).content.decode()
    # On 2027-02-10 the department's 31 January deadline has passed, the governments' has not.
    assert "兴安盟教育局" in page
    assert page.count('class="light red"') >= 1 and page.count('class="light yellow"') >= 2


def test_index_lists_the_users_agencies(client, league_requests, django_assert_max_num_queries):
    login(client, league_requests.supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports_staff:index"))
    assert "乌兰浩特市人民政府" in response.content.decode()


def test_the_portals_annual_report_column_leads_to_the_published_reports(client, world):
    from gongkai.publications.columns import ensure_standard_columns

    ensure_standard_columns(world.league)
    page = client.get(reverse("publications:column", args=["152200", "annual-report"]))
    assert reverse("reports:agency", args=["152200"]) in page.content.decode()
