"""A disclosure request from the applicant's browser to the officer's console and back.

The applicant files a request online (solving the captcha by deriving its answer from the signed
token with the server's key, as the server does), the officer confirms receipt and asks for a
correction, records the corrected request and replies "部分公开"; the applicant follows every
step with the tracking code and query password.

"Today" is pinned per step (March 2026, no holidays until 清明 on 4–6 April): submitted and
confirmed Monday 2 March, correction asked Tuesday 3 March, corrected request Thursday 5 March
(the 20 working days start again: due Thursday 2 April), reply Friday 20 March.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from gongkai.applications.models import Application
from gongkai.core.dates import override_today
from tests.applications.test_public_views import solve

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "my-query-pass"


@pytest.fixture
def on_day() -> Iterator:
    """``on_day(date)`` pins today (for the live server too: same process) until re-pinned."""
    active: list = []

    def pin(day: dt.date) -> None:
        while active:
            active.pop().__exit__(None, None, None)
        context = override_today(day)
        context.__enter__()
        active.append(context)

    yield pin
    while active:
        active.pop().__exit__(None, None, None)


@pytest.fixture
def officer_page(browser, live_server, world, log_in) -> Iterator:
    """A second browser (its own cookies) where the league's officer is signed in."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, world.officer.username, world.password)
    try:
        yield page
    finally:
        context.close()


def file_request(page) -> str:
    """The applicant chooses the league's office, fills in the form and submits it."""
    page.goto("/")
    page.locator(".public-nav").get_by_role("link", name="依申请公开").click()
    page.fill("#id_q", "兴安盟")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="兴安盟行政公署").click()
    expect(page.locator("h1")).to_have_text("向兴安盟行政公署申请政府信息公开")

    page.get_by_label("自然人").check()
    page.fill("#id_applicant_name", "王小明")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "11010519491231002x")
    page.fill("#id_phone", "139 1234 5678")
    page.fill("#id_email", "wang@example.cn")
    page.fill("#id_address", "兴安盟乌兰浩特市兴安北大路1号")
    page.fill("#id_postcode", "137400")
    page.fill("#id_description", "请公开兴安盟2025年教育经费预算。")
    page.get_by_label("电子邮件").first.check()  # form wanted: e-mail
    page.get_by_label("网上获取").check()
    page.fill("#id_secret", SECRET)
    page.fill("#id_secret_again", SECRET)
    # A wrong captcha first: the form comes back with the values kept and a new captcha.
    page.fill("#id_captcha_answer", "WRONG")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#error-summary")).to_contain_text("验证码不正确。")
    expect(page.locator("#id_applicant_name")).to_have_value("王小明")
    expect(page.locator("#id_description")).to_have_value("请公开兴安盟2025年教育经费预算。")
    expect(page.locator("#id_captcha_answer")).to_have_value("")

    token = page.locator("input[name=captcha_token]").input_value()
    page.fill("#id_captcha_answer", solve(token).lower())
    page.get_by_role("button", name="提交申请").click()

    expect(page.locator("h1")).to_have_text("政府信息公开申请提交回执")
    code = page.locator("[data-tracking-code]").inner_text().strip()
    assert re.fullmatch(r"GK-2026-[0-9A-Z]{8}", code), code
    expect(page.locator(".next-steps")).to_contain_text("以双方确认之日为收到申请之日")
    expect(page.get_by_role("button", name="打印回执")).to_be_visible()
    return code


def open_request(officer, code: str) -> None:
    officer.goto("/console/requests/")
    officer.get_by_role("link", name=code).click()
    expect(officer.locator("h1")).to_contain_text(code)


def act(officer, action: str, **fields: str) -> None:
    """Open an action panel on the request page, fill it in and submit it."""
    panel = officer.locator(f"#action-{action}")
    panel.locator("summary").click()
    form = panel.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(officer.locator(".messages")).to_be_visible()


def track(page, code: str, secret: str = SECRET) -> None:
    page.goto("/requests/track/")
    page.fill("#id_code", code)
    page.fill("#id_secret", secret)
    page.get_by_role("button", name="查询").click()


def test_an_online_request_from_filing_to_a_partial_disclosure(page, officer_page, on_day):
    officer = officer_page

    on_day(dt.date(2026, 3, 2))
    code = file_request(page)
    application = Application.objects.get(tracking_code=code)
    assert application.received_on is None, "online: received only once both sides confirm"
    assert application.id_number == "11010519491231002X"

    # The applicant can follow it at once: not yet confirmed.
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.locator("[data-status]")).to_have_text("待确认收到")
    expect(page.locator("#letters")).to_contain_text("暂无已发出的文书")

    # The officer confirms receipt (today: 2 March) and asks for a correction on 3 March.
    open_request(officer, code)
    act(officer, "confirm_receipt")
    expect(officer.locator("[data-status]")).to_have_text("办理中")
    on_day(dt.date(2026, 3, 3))
    officer.reload()
    act(officer, "request_correction", deadline="2026-03-13", items="请写明所需预算的具体项目。")
    expect(officer.locator("[data-status]")).to_have_text("待补正")

    # A stranger with the code but a wrong password learns nothing.
    stranger = page.context.browser.new_context(base_url=page.url.split("/requests")[0])
    other = stranger.new_page()
    track(other, code, "not-the-password")
    expect(other.locator(".errors")).to_contain_text("查询码或查询密码不正确")
    stranger.close()

    # The applicant sees the correction notice with its deadline.
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("待补正")
    expect(page.locator(".timeline")).to_contain_text("请于 2026年3月13日 前补正")

    # The corrected request arrives on 5 March; the officer records it.
    on_day(dt.date(2026, 3, 5))
    officer.reload()
    act(officer, "record_correction")
    expect(officer.locator("[data-status]")).to_have_text("办理中")
    application.refresh_from_db()
    assert application.due_on == dt.date(2026, 4, 2), application.due_on

    # 20 March: the reply "部分公开" with its required details.
    on_day(dt.date(2026, 3, 20))
    officer.reload()
    panel = officer.locator("#action-reply")
    panel.locator("summary").click()
    panel.locator("select[name=outcome]").select_option("partially_disclosed")
    expect(panel.locator("[name=competent_agency_name]")).to_have_count(0)  # htmx swapped
    panel.locator("[name=how_to_obtain]").fill("通过电子邮件发送可以公开的部分。")
    panel.locator("[name=withheld_parts]").fill("涉及个人信息的明细。")
    panel.locator("[name=reason]").fill("涉及第三方个人隐私，依据条例第十五条不予公开该部分。")
    panel.locator("button[type=submit]").click()
    expect(officer.locator("[data-status]")).to_have_text("已答复")

    # The applicant, in a new browser session, signs in with the code and sees the result.
    fresh = page.context.browser.new_context(base_url=page.url.split("/requests")[0])
    applicant = fresh.new_page()
    track(applicant, code.lower())
    expect(applicant.locator("[data-tracking-code]")).to_have_text(code)
    expect(applicant.locator("[data-status]")).to_have_text("已答复")
    expect(applicant.locator("[data-outcome]")).to_have_text("部分公开")
    timeline = applicant.locator(".timeline")
    for step in ("提交申请", "确认收到申请", "告知补正申请", "收到补正后的申请", "作出答复"):
        expect(timeline).to_contain_text(step)
    expect(applicant.locator("main")).to_contain_text("2026年3月2日")  # received on
    fresh.close()
