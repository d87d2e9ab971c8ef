"""The ledger (台账): scope, filters, XLSX and CSV exports, query budget."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications import ledger, services
from gongkai.applications.models import AppealKind
from gongkai.core.dates import override_today
from tests.applications.conftest import make_request

pytestmark = pytest.mark.django_db

LEDGER = reverse("applications_staff:ledger")
XLSX = reverse("applications_staff:ledger_export", args=["xlsx"])
CSV = reverse("applications_staff:ledger_export", args=["csv"])


@pytest.fixture
def handled(world):
    """A request of the league replied (部分公开), delivered, fee paid, with a review."""
    app = make_request(world.league, applicant_name="王五")
    with override_today(dt.date(2026, 4, 30)):
        services.issue_fee_notice(
            app,
            method="per_page",
            pages=40,
            on=dt.date(2026, 3, 3),
            received_on=dt.date(2026, 3, 3),
            actor=world.officer,
        )
        services.record_payment(
            app, on=dt.date(2026, 3, 5), reference="FS-001", actor=world.officer
        )
        services.reply(
            app,
            outcome="partially_disclosed",
            on=dt.date(2026, 3, 20),
            actor=world.officer,
            data={"how_to_obtain": "邮寄", "withheld_parts": "附件二", "reason": "个人隐私"},
        )
        services.record_delivery(app, method="post", on=dt.date(2026, 3, 20), actor=world.officer)
        services.create_appeal(
            app,
            kind=AppealKind.REVIEW,
            body="兴安盟行政公署",
            filed_on=dt.date(2026, 4, 20),
            actor=world.officer,
        )
    return app


def export(client, user, url, **params):
    client.force_login(user)
    with override_today(dt.date(2026, 4, 30)):
        return client.get(url, params)


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    assert sheet.title == "申请台账"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_xlsx_export_has_every_column_and_the_requests_values(client, world, handled):
    response = export(client, world.officer, XLSX)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0] == ledger.header()
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["查询码"] == handled.tracking_code
    assert record["姓名或名称"] == "王五"
    assert record["收到申请之日"].date() == dt.date(2026, 3, 2)
    assert record["答复期限"].date() == handled.due_on
    assert record["办理结果"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert record["收费金额（元）"] == "100"
    assert record["缴费日期"].date() == dt.date(2026, 3, 5)
    assert record["送达日期"].date() == dt.date(2026, 3, 20)
    assert record["按时答复"] == "是"
    assert "行政复议（兴安盟行政公署，尚未审结）" in record["行政复议、行政诉讼"]
    assert record["证件号码"] == "110105********002X", "exports carry masked identity numbers"


def test_the_csv_export_is_utf8_with_bom_and_the_same_columns(client, world, handled):
    rows = read_csv(export(client, world.officer, CSV))
    assert rows[0] == ledger.header()
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["查询码"] == handled.tracking_code
    assert record["收到申请之日"] == "2026-03-02"
    assert record["申请人类型"] == "自然人"


def test_exports_follow_the_filters(client, world, handled):
    other = make_request(world.league, applicant_name="赵六")
    rows = read_csv(export(client, world.officer, CSV, q="赵六"))
    assert [r[0] for r in rows[1:]] == [other.tracking_code]


def test_a_formula_in_applicant_text_is_exported_as_text(client, world):
    make_request(world.league, description='=HYPERLINK("http://evil","x")')
    xlsx = dict(zip(*read_xlsx(export(client, world.officer, XLSX))[:2], strict=True))
    assert xlsx["所需信息的内容描述"].startswith("'=")
    rows = read_csv(export(client, world.officer, CSV))
    assert dict(zip(rows[0], rows[1], strict=True))["所需信息的内容描述"].startswith("'=")


def test_an_unknown_export_format_is_not_found(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("applications_staff:ledger_export", args=["pdf"])).status_code == 404


def test_supervisors_see_their_subtree_in_the_ledger(client, world):
    own = make_request(world.league)
    county = make_request(world.county)
    make_request(world.sibling)
    rows = read_csv(export(client, world.supervisor, CSV))
    assert {r[0] for r in rows[1:]} == {own.tracking_code, county.tracking_code}
    rows = read_csv(export(client, world.officer, CSV))
    assert {r[0] for r in rows[1:]} == {own.tracking_code}


def test_the_ledger_lists_finished_requests_too(client, world, handled):
    response = export(client, world.reviewer, LEDGER)
    assert [row["app"].pk for row in response.context["rows"]] == [handled.pk]
    assert "部分公开" in response.content.decode()


def test_the_ledger_page_links_the_exports_with_the_filters(client, world, handled):
    body = export(client, world.officer, LEDGER, q="王五").content.decode()
    assert f"{XLSX}?q=" in body and f"{CSV}?q=" in body


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)
    with override_today(dt.date(2026, 4, 30)), CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [LEDGER, XLSX, CSV])
def test_the_ledger_and_its_exports_run_a_constant_number_of_queries(client, world, handled, url):
    few = _queries(client, world.supervisor, url)
    for _i in range(8):
        app = make_request(world.county)
        with override_today(dt.date(2026, 4, 30)):
            services.reply(
                app,
                outcome="disclosed",
                on=dt.date(2026, 3, 10),
                actor=world.county_officer,
                data={"how_to_obtain": "网上"},
            )
    many = _queries(client, world.supervisor, url)
    assert many == few, f"{url}: {few} queries for 1 request, {many} for 9"
    assert many <= 16
