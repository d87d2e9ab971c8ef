"""Bad input gets a 4xx in the one error format — never a 500, never another agency's data."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apitokens import tokens
from gongkai.apitokens.models import ApiToken
from gongkai.core import dates
from tests.api.conftest import token_for
from tests.api.helpers import submission

ERROR_KEYS = {"code", "message", "field", "details"}


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, f"error body keys: {sorted(body)}"
    assert body["code"] == code, body
    assert body["message"], "every error has a Chinese message"
    return body


def test_malformed_json_is_a_400_malformed_json(api, world):
    response = api.post("requests", raw='{"agency": "152200",')
    error(response, 400, "malformed_json")


def test_a_json_array_instead_of_an_object_is_a_validation_error(api, world):
    body = error(api.post("requests", raw="[1, 2]"), 400, "validation_error")
    assert "JSON 对象" in body["message"]


def test_a_wrong_type_names_the_field(api, world):
    body = error(
        api.post("requests", submission(world.league.code, applicant_name=123)),
        400,
        "validation_error",
    )
    assert body["field"] == "applicant_name"
    assert body["details"]["errors"] == {"applicant_name": "应为字符串。"}


def test_numbers_in_strings_are_not_coerced(api, world, seed):
    token = token_for(world.officer)
    response = api.post(
        f"staff/requests/{seed.request.pk}/extension-request",
        {"workdays": "10", "reason": "需要调取档案"},
        token=token,
    )
    body = error(response, 400, "validation_error")
    assert body["details"]["errors"] == {"workdays": "应为整数。"}


def test_an_unknown_field_is_refused(api, world):
    body = error(
        api.post("requests", submission(world.league.code, captcha="x")),
        400,
        "validation_error",
    )
    assert body["details"]["errors"] == {"captcha": "不允许的字段（请检查拼写）。"}


def test_every_missing_field_is_listed(api, world):
    body = error(api.post("requests", {"agency": world.league.code}), 400, "validation_error")
    assert {"applicant_type", "applicant_name", "secret", "description"} <= set(
        body["details"]["errors"]
    )


def test_a_date_must_be_iso(api, world, seed):
    token = token_for(world.officer)
    response = api.post(
        f"staff/requests/{seed.request.pk}/notes", {"text": "x", "on": "2026-03-10"}, token=token
    )
    error(response, 400, "validation_error")  # notes have no date: unknown field
    response = api.post(
        f"staff/requests/{seed.request.pk}/withdrawal", {"on": "10/03/2026"}, token=token
    )
    body = error(response, 400, "validation_error")
    assert body["details"]["errors"] == {"on": "日期格式应为 YYYY-MM-DD。"}


def test_a_query_parameter_out_of_range_is_a_validation_error(api, world):
    body = error(api.get("agencies", limit=1000), 400, "validation_error")
    assert body["field"] == "limit"


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(api, world, settings):
    settings.GONGKAI_API_MAX_BODY_BYTES = 1024
    big = submission(world.league.code, description="很" * 2000)
    body = error(api.post("requests", big), 413, "payload_too_large")
    assert body["details"] == {"max_bytes": 1024}


def test_a_body_over_djangos_own_limit_is_a_413_too(api, world, settings):
    settings.GONGKAI_API_MAX_BODY_BYTES = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = submission(world.league.code, description="很" * 2000)
    error(api.post("requests", big), 413, "payload_too_large")


def test_an_invalid_content_length_is_a_400(api, world):
    response = api.client.generic(
        "POST", "/api/v1/requests", "{}", content_type="application/json", CONTENT_LENGTH="abc"
    )
    error(response, 400, "bad_request")


def test_a_wrong_method_is_a_405_with_allow(api, world):
    response = api.call("DELETE", "agencies")
    error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.parametrize("path", ["nothing-here", "staff/requests/abc", "agencies/%0A/x"])
def test_an_unknown_path_is_a_404_in_the_error_format(api, world, path):
    error(api.get(path), 404, "not_found")


def test_no_token_is_a_401_with_a_bearer_challenge(api, world):
    response = api.get("staff/requests")
    error(response, 401, "authentication_required")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_token_is_a_401_invalid_token(api, world):
    error(api.get("staff/requests", token="gk_deadbeef_" + "x" * 43), 401, "invalid_token")
    error(api.get("staff/requests", token="not-a-token"), 401, "invalid_token")


def test_a_revoked_token_is_a_401_token_revoked(api, world):
    token, text = tokens.create_token(world.officer, "系统对接")
    tokens.revoke_token(token, world.officer)
    error(api.get("staff/requests", token=text), 401, "token_revoked")


def test_an_expired_token_is_a_401_token_expired(api, world):
    token, text = tokens.create_token(world.officer, "系统对接", lifetime_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=dates.now() - dt.timedelta(seconds=1))
    error(api.get("staff/requests", token=text), 401, "token_expired")


def test_a_token_of_a_deactivated_user_is_refused(api, world):
    text = token_for(world.officer)
    world.officer.is_active = False
    world.officer.save()
    error(api.get("staff/requests", token=text), 401, "user_inactive")


def test_another_agencys_request_is_a_404_not_a_403(api, world, seed):
    token = token_for(world.sibling_officer)
    error(api.get(f"staff/requests/{seed.request.pk}", token=token), 404, "not_found")
    response = api.post(f"staff/requests/{seed.request.pk}/notes", {"text": "看看"}, token=token)
    error(response, 404, "not_found")
    assert not seed.request.events.filter(type="note").exists(), "nothing was written"


def test_another_agencys_document_and_report_are_404(api, world, seed):
    token = token_for(world.sibling_officer)
    error(api.get(f"staff/documents/{seed.draft.pk}", token=token), 404, "not_found")
    error(api.get(f"staff/reports/{world.league.code}/2025/self", token=token), 404, "not_found")
    error(
        api.post(
            "staff/documents",
            {"agency": world.league.code, "column": "policies", "title": "越权起草"},
            token=token,
        ),
        404,
        "not_found",
    )


def test_filtering_by_another_agency_is_a_404(api, world, seed):
    token = token_for(world.sibling_officer)
    error(api.get("staff/requests", token=token, agency=world.league.code), 404, "not_found")


def test_a_read_only_role_gets_403_with_the_consoles_message(api, world, seed):
    token = token_for(world.reviewer)
    body = error(
        api.post(f"staff/requests/{seed.request.pk}/notes", {"text": "备注"}, token=token),
        403,
        "permission_denied",
    )
    assert body["message"] == "只有本机关的公开专员或负责人可以办理申请；您只能查看。"


def test_a_domain_rule_refusal_keeps_its_code_message_and_field(api, world, seed):
    token = token_for(world.officer)
    response = api.post(
        f"staff/requests/{seed.request.pk}/correction-request",
        {"on": "2026-03-16", "deadline": "2026-03-30", "items": "请补充身份证明"},
        token=token,
    )
    body = error(response, 400, "illegal_step")
    assert "7个工作日" in body["message"] or "七" in body["message"], body["message"]


def test_an_unexpected_failure_is_a_500_in_the_error_format(api, world, monkeypatch):
    from gongkai import agencies

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(agencies.api, "paginate", boom)
    response = api.get("agencies")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
