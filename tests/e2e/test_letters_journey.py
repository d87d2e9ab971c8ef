"""In the browser: the officer edits a reply's free text, the preview follows, issuing numbers it."""

from __future__ import annotations

import re

import pytest

from gongkai.applications.outcomes import Outcome
from tests.letters.conftest import _media_root, league  # noqa: F401  (function-scoped)
from tests.letters.factories import make_application, reply


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_officer_previews_edits_and_issues_a_refusal(page, log_in, world, league, _media_root):  # noqa: F811
    application = make_application(league)
    event = reply(application, Outcome.WITHHELD_STATE_SECRET, reason="")
    log_in(page, world.officer.username, world.password)
    page.goto(f"/console/letters/requests/{application.pk}/")
    page.get_by_role("row", name=re.compile("不予公开")).get_by_role(
        "link", name="预览并出具"
    ).click()
    preview = page.frame_locator("#preview iframe")
    page.wait_for_url(re.compile(rf"/events/{event.pk}/reply_withheld_state_secret/$"))
    preview.get_by_text("〖请填写：不予公开的理由〗").wait_for()
    page.fill("textarea[name='reason']", "经定密属于秘密级")
    preview.get_by_text("理由：经定密属于秘密级").wait_for()
    page.get_by_role("button", name="出具（编号并生成文件）").click()
    page.wait_for_url(re.compile(r"/console/letters/\d+/$"))
    assert page.locator("h1").inner_text().startswith("兴署依申复〔2026〕1号")
