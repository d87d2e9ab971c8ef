"""End to end through the API only: an applicant files a request, an officer confirms it and
replies with a personal token, the applicant reads the reply back with the tracking code."""

from __future__ import annotations

from tests.api.conftest import token_for
from tests.api.helpers import submission


def test_a_request_filed_handled_and_answered_through_the_api(api, world):
    filed = api.post("requests", submission("152200", secret="我的查询密码"))
    assert filed.status_code == 201
    code = filed.json()["tracking_code"]
    secret = {"tracking_code": code, "secret": "我的查询密码"}
    assert api.post("requests/status", secret).json()["status"] == "pending_confirmation"

    token = token_for(world.officer, "盟政务服务平台")
    inbox = api.get("staff/requests", token=token, status="open", order="inbox").json()
    [item] = [i for i in inbox["items"] if i["tracking_code"] == code]
    url = f"staff/requests/{item['id']}"

    confirmed = api.post(f"{url}/confirm-receipt", {"on": "2026-03-16"}, token=token)
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["clock"]["due_on"] == "2026-04-14"

    replied = api.post(
        f"{url}/reply",
        {"outcome": "disclosed", "on": "2026-03-16", "how_to_obtain": "通过电子邮件发送"},
        token=token,
    )
    assert replied.status_code == 200, replied.json()
    event = next(e for e in replied.json()["events"] if e["type"] == "reply_issued")
    letters = api.get(f"{url}/letters", token=token).json()
    offer = next(o for o in letters["offers"] if o["event_id"] == event["id"])
    required = {f["name"]: f"{f['label']}（示例）" for f in offer["fields"] if f["required"]}
    missing = api.post(
        f"{url}/letters", {"event_id": event["id"], "kind": offer["kind"]}, token=token
    )
    assert missing.status_code == 400 and missing.json()["code"] == "letter_incomplete"
    issued = api.post(
        f"{url}/letters",
        {"event_id": event["id"], "kind": offer["kind"], "inputs": required},
        token=token,
    )
    assert issued.status_code == 201, issued.json()

    status = api.post("requests/status", secret).json()
    assert status["status"] == "replied"
    assert status["outcome"] == "disclosed" and status["outcome_label"] == "予以公开"
    assert [t["label"] for t in status["timeline"]] == ["提交申请", "确认收到申请", "作出答复"]
    assert [letter["number"] for letter in status["letters"]] == [issued.json()["number"]]
