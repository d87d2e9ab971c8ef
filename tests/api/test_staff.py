"""Contract tests of the staff endpoints (personal token): status, schema, fields, and the same
rules and refusals as the console."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from gongkai.applications.models import Channel, EventType, StatusChoice
from gongkai.publications.models import DocumentStatus
from gongkai.reports.models import AnnualReport, ReportStatus
from tests.api.conftest import token_for
from tests.api.helpers import in_person_request


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()


@pytest.fixture
def officer(world) -> str:
    return token_for(world.officer)


@pytest.fixture
def head(world) -> str:
    return token_for(world.head)


# --- who am I ---------------------------------------------------------------------------------


def test_me_names_the_user_and_memberships(api, world, officer):
    body = ok(api.get("staff/me", token=officer))
    assert body["username"] == "league_officer"
    assert body["memberships"] == [
        {
            "agency": {"code": "152200", "name": "兴安盟行政公署"},
            "role": "officer",
            "role_label": "公开专员",
            "covers_subtree": False,
        }
    ]
    assert body["token"]["prefix"] and body["token"]["expires_at"]


# --- requests: reading ------------------------------------------------------------------------


def test_the_request_list_is_scoped_and_paged(api, world, seed, officer):
    body = ok(api.get("staff/requests", token=officer))
    assert body["total"] == 1
    [item] = body["items"]
    assert item["tracking_code"] == seed.request.tracking_code
    assert item["status"] == "in_progress" and item["due_on"] == "2026-03-30"
    assert item["light"] == "green"
    assert item["agency"]["code"] == "152200"


def test_a_supervisor_lists_the_whole_subtree(api, world, seed):
    county_request = in_person_request(world.county, id_number="152201198001011237")
    body = ok(api.get("staff/requests", token=token_for(world.region_supervisor), limit=100))
    codes = {i["tracking_code"] for i in body["items"]}
    assert {
        seed.request.tracking_code,
        county_request.tracking_code,
        seed.sibling_request.tracking_code,
    } <= codes
    only_league = ok(api.get("staff/requests", token=token_for(world.supervisor), agency="152200"))
    assert {i["tracking_code"] for i in only_league["items"]} == {seed.request.tracking_code}
    subtree = ok(
        api.get(
            "staff/requests", token=token_for(world.supervisor), agency="152200", subtree="true"
        )
    )
    assert county_request.tracking_code in {i["tracking_code"] for i in subtree["items"]}


def test_the_request_list_filters_like_the_ledger(api, world, seed, officer):
    assert ok(api.get("staff/requests", token=officer, status="replied"))["total"] == 0
    assert ok(api.get("staff/requests", token=officer, status="open"))["total"] == 1
    assert ok(api.get("staff/requests", token=officer, q="张三"))["total"] == 1
    assert ok(api.get("staff/requests", token=officer, q="李四"))["total"] == 0
    assert ok(api.get("staff/requests", token=officer, light="red"))["total"] == 0
    assert ok(api.get("staff/requests", token=officer, received_from="2026-03-03"))["total"] == 0
    assert ok(api.get("staff/requests", token=officer, channel="in_person"))["total"] == 1
    assert api.get("staff/requests", token=officer, status="bogus").status_code == 400


def test_the_request_list_uses_a_constant_number_of_queries(
    api, world, seed, officer, django_assert_max_num_queries
):
    for number in ("152201198001011237", "152501199002022342", "152201198505053457"):
        in_person_request(world.league, id_number=number)
    with django_assert_max_num_queries(8):
        api.get("staff/requests", token=officer, limit=100)


def test_a_request_reads_with_events_and_the_derived_clock(api, world, seed, officer):
    body = ok(api.get(f"staff/requests/{seed.request.pk}", token=officer))
    assert body["id_number"] == "11010519491231002X"
    assert body["description"] == "请公开2025年本机关部门预算。"
    assert [e["type"] for e in body["events"]] == ["submitted"]
    clock = body["clock"]
    assert clock["due_on"] == "2026-03-30" and clock["clock_start"] == "2026-03-02"
    assert clock["status"] == "in_progress" and clock["overdue"] is False
    assert any("20个工作日" in line for line in clock["explanation"]), clock["explanation"]
    assert clock["workdays_left"] == 10
    assert body["pending_extension"] is False


def test_an_unconfirmed_online_request_has_no_clock_yet(api, world):
    from tests.api.helpers import submission

    code = ok(api.post("requests", submission("152200")), 201)["tracking_code"]
    token = token_for(world.officer)
    [item] = [
        i for i in ok(api.get("staff/requests", token=token))["items"] if i["tracking_code"] == code
    ]
    body = ok(api.get(f"staff/requests/{item['id']}", token=token))
    assert body["clock"] is None and body["status"] == "pending_confirmation"


# --- requests: acting -------------------------------------------------------------------------


def test_confirming_receipt_starts_the_clock(api, world, officer):
    from tests.api.helpers import submission

    code = ok(api.post("requests", submission("152200")), 201)["tracking_code"]
    from gongkai.applications.models import Application

    app = Application.objects.get(tracking_code=code)
    body = ok(
        api.post(f"staff/requests/{app.pk}/confirm-receipt", {"on": "2026-03-16"}, token=officer)
    )
    assert body["received_on"] == "2026-03-16"
    assert body["status"] == "in_progress" and body["clock"]["due_on"] == "2026-04-14"
    assert app.channel == Channel.ONLINE


def test_a_correction_notice_is_recorded_through_the_service(api, world, seed, officer):
    body = ok(
        api.post(
            f"staff/requests/{seed.request.pk}/correction-request",
            {"on": "2026-03-04", "deadline": "2026-03-20", "items": "请提供身份证明复印件"},
            token=officer,
        )
    )
    assert body["status"] == "awaiting_correction"
    event = body["events"][-1]
    assert event["type"] == "correction_requested" and event["on"] == "2026-03-04"
    assert event["data"]["items"] == "请提供身份证明复印件"
    assert event["actor"]["username"] == "league_officer"


def test_an_illegal_step_gets_the_same_refusal_as_in_the_console(api, client, world, seed, officer):
    late = {"on": "2026-03-16", "deadline": "2026-03-30", "items": "请补充身份证明"}
    response = api.post(f"staff/requests/{seed.request.pk}/correction-request", late, token=officer)
    assert response.status_code == 400
    message = response.json()["message"]
    client.force_login(world.officer)
    page = client.post(
        reverse("applications_staff:act", args=[seed.request.pk, "request_correction"]), late
    )
    assert page.status_code == 400
    assert message in page.content.decode(), "the console shows the very same message"


def test_a_reply_without_the_outcomes_data_is_refused_as_in_the_console(api, world, seed, officer):
    response = api.post(
        f"staff/requests/{seed.request.pk}/reply",
        {"outcome": "disclosed", "on": "2026-03-16"},
        token=officer,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "how_to_obtain"


def test_an_extension_is_requested_by_the_officer_and_approved_by_the_head(
    api, world, seed, officer, head
):
    url = f"staff/requests/{seed.request.pk}"
    ok(
        api.post(
            f"{url}/extension-request", {"workdays": 10, "reason": "需要调取档案"}, token=officer
        )
    )
    assert ok(api.get(url, token=officer))["pending_extension"] is True
    refused = api.post(f"{url}/extension-approve", {}, token=officer)
    assert refused.status_code == 403
    body = ok(api.post(f"{url}/extension-approve", {"on": "2026-03-16"}, token=head))
    assert body["clock"]["extension_workdays"] == 10
    assert body["due_on"] == "2026-04-14"


def test_a_reply_is_recorded_and_delivered(api, world, seed, officer):
    url = f"staff/requests/{seed.request.pk}"
    body = ok(
        api.post(
            f"{url}/reply",
            {"outcome": "disclosed", "on": "2026-03-13", "how_to_obtain": "邮寄纸质文本"},
            token=officer,
        )
    )
    assert body["status"] == "replied" and body["outcome"] == "disclosed"
    body = ok(api.post(f"{url}/delivery", {"method": "post", "on": "2026-03-13"}, token=officer))
    assert body["status"] == StatusChoice.CLOSED and body["on_time"] is True


def test_assigning_needs_a_handler_of_the_agency(api, world, seed, officer):
    url = f"staff/requests/{seed.request.pk}/assign"
    body = ok(api.post(url, {"assignee": "league_head"}, token=officer))
    assert body["assigned_to"]["username"] == "league_head"
    refused = api.post(url, {"assignee": "sibling_officer"}, token=officer)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_assignee"


def test_notes_consultations_and_appeals_are_recorded(api, world, seed, officer):
    url = f"staff/requests/{seed.request.pk}"
    ok(api.post(f"{url}/notes", {"text": "已电话联系"}, token=officer))
    body = ok(
        api.post(
            f"{url}/consultations",
            {"on": "2026-03-05", "party": "third_party", "party_name": "某公司"},
            token=officer,
        )
    )
    assert body["status"] == "consulting"
    body = ok(api.post(f"{url}/consultations/close", {"on": "2026-03-09"}, token=officer))
    assert body["status"] == "in_progress"
    body = ok(
        api.post(
            f"{url}/appeals",
            {"kind": "review", "body": "兴安盟行政公署", "filed_on": "2026-03-10"},
            token=officer,
        )
    )
    [appeal] = body["appeals"]
    assert appeal["result"] == "pending"
    body = ok(
        api.post(
            f"{url}/appeals/{appeal['id']}",
            {"result": "upheld", "decided_on": "2026-03-12"},
            token=officer,
        )
    )
    assert body["appeals"][0]["result"] == "upheld"
    types = [e["type"] for e in body["events"]]
    assert EventType.NOTE in types and EventType.CONSULTATION_CLOSED in types


# --- letters ----------------------------------------------------------------------------------


def test_a_letter_is_issued_downloaded_and_voided(api, world, seed, officer):
    offers = ok(api.get(f"staff/requests/{seed.request.pk}/letters", token=officer))
    assert offers["may_issue"] is True
    receipt = next(o for o in offers["offers"] if o["kind"] == "receipt")
    assert receipt["issued"] == []
    letter = ok(
        api.post(
            f"staff/requests/{seed.request.pk}/letters",
            {"event_id": receipt["event_id"], "kind": "receipt"},
            token=officer,
        ),
        201,
    )
    assert letter["number"] and letter["tracking_code"] == seed.request.tracking_code
    pdf = api.client.get(letter["pdf_url"], headers={"Authorization": f"Bearer {officer}"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        hashlib.sha256(pdf.content).hexdigest() == letter["pdf_sha256"] == pdf["X-Content-SHA256"]
    )
    again = api.post(
        f"staff/requests/{seed.request.pk}/letters",
        {"event_id": receipt["event_id"], "kind": "receipt"},
        token=officer,
    )
    assert again.status_code == 409 and again.json()["code"] == "letter_already_issued"
    voided = ok(
        api.post(f"staff/letters/{letter['id']}/void", {"reason": "地址有误"}, token=officer)
    )
    assert voided["voided_at"] and voided["void_reason"] == "地址有误"


def test_an_unknown_letter_kind_is_404(api, world, seed, officer):
    event = seed.request.events.get(type="submitted")
    response = api.post(
        f"staff/requests/{seed.request.pk}/letters",
        {"event_id": event.pk, "kind": "nonsense"},
        token=officer,
    )
    assert response.status_code == 404


# --- documents --------------------------------------------------------------------------------


def test_a_document_is_drafted_reviewed_and_published(api, world, seed, officer):
    draft = ok(
        api.post(
            "staff/documents",
            {
                "agency": "152200",
                "column": "policies",
                "title": "关于公布2026年重点工作任务的通知",
                "body_html": "<p>现将任务公布如下。</p><script>alert(1)</script>",
                "formed_or_changed_on": "2026-03-12",
            },
            token=officer,
        ),
        201,
    )
    assert draft["status"] == "draft" and "<script>" not in draft["body_html"]
    url = f"staff/documents/{draft['id']}"
    edited = ok(
        api.put(
            url,
            {
                "column": "policies",
                "title": "关于公布2026年重点任务的通知",
                "body_html": "<p>现将任务公布如下。</p>",
                "formed_or_changed_on": "2026-03-12",
            },
            token=officer,
        )
    )
    assert edited["title"] == "关于公布2026年重点任务的通知"
    ok(api.post(f"{url}/submit", token=officer))
    refused = api.post(f"{url}/publish", token=officer)
    assert refused.status_code == 403, "an officer drafts; a reviewer or head publishes"
    reviewer = token_for(world.reviewer)
    published = ok(
        api.post(f"{url}/review", {"decision": "passed", "publish": True}, token=reviewer)
    )
    assert published["status"] == DocumentStatus.PUBLISHED and published["index_number"]
    assert published["reviews"][0]["decision"] == "passed"
    public = api.get(f"documents/{draft['id']}")
    assert public.status_code == 200
    withdrawn = ok(api.post(f"{url}/withdraw", {"reason": "内容有误"}, token=reviewer))
    assert withdrawn["status"] == "withdrawn"


def test_publishing_without_a_review_is_refused(api, world, seed, officer):
    url = f"staff/documents/{seed.draft.pk}"
    ok(api.post(f"{url}/submit", token=officer))
    response = api.post(f"{url}/publish", token=token_for(world.head))
    assert response.status_code == 400 and response.json()["code"] == "review_required"


def test_a_column_of_another_agency_is_refused(api, world, officer):
    response = api.post(
        "staff/documents",
        {"agency": "152200", "column": "no-such-column", "title": "标题"},
        token=officer,
    )
    assert response.status_code == 400 and response.json()["field"] == "column"


def test_staff_documents_list_drafts_of_the_users_agencies(api, world, seed, officer):
    body = ok(api.get("staff/documents", token=officer, status="draft"))
    assert [d["id"] for d in body["items"]] == [seed.draft.pk]


# --- reports ----------------------------------------------------------------------------------


def test_a_report_is_computed_locked_and_published(api, world, seed, officer, head):
    url = "staff/reports/152200/2024/self"
    body = ok(api.get(url, token=officer))
    assert body["status"] == "draft" and body["may_lock"] is True
    assert body["data"]["year"] == 2024 and body["drift"] == []
    assert not AnnualReport.objects.filter(year=2024).exists(), "reading creates nothing"
    locked = ok(api.post(f"{url}/lock", token=officer))
    assert locked["status"] == ReportStatus.LOCKED and locked["may_publish"] is False
    refused = api.post(f"{url}/publish", token=officer)
    assert refused.status_code == 403
    published = ok(api.post(f"{url}/publish", token=head))
    assert published["status"] == "published"
    assert api.get("reports/152200/2024/self").status_code == 200


def test_a_future_year_is_refused(api, world, officer):
    response = api.get("staff/reports/152200/2027/self", token=officer)
    assert response.status_code == 400 and response.json()["code"] == "invalid_year"
