"""The permission matrix of the staff API, generated from the routes themselves.

Every operation under /api/v1/staff/ in the OpenAPI schema is a test case (a new endpoint is
picked up automatically, and fails until :data:`ROUTES` says how to call it and who may).
Each case calls the operation as every kind of principal, each call in its own savepoint that is
rolled back, and expects:

- the league's own roles (公开专员、审核人、负责人、主管、管理员): allowed → neither 401, 403 nor
  404 (the call passes the permission check; a rule may still refuse the step with 400/409);
  a role that may only read → 403;
- the region's supervisor (parent agency, 主管 covers the subtree): like the league's 主管;
- the sibling league's officer: 404 for the league's objects (their existence is not revealed),
  an empty list for collections;
- no token, a revoked token, an expired token: 401.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

from gongkai.agencies.models import Role
from gongkai.api import api
from gongkai.apitokens import tokens
from gongkai.apitokens.models import ApiToken
from gongkai.applications import services as requests
from gongkai.core import dates
from gongkai.letters import services as letters
from tests.api.conftest import token_for

ALL = frozenset(Role)
HANDLERS = frozenset({Role.OFFICER, Role.HEAD})
HEAD = frozenset({Role.HEAD})
EDITORS = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD})
PUBLISHERS = frozenset({Role.REVIEWER, Role.HEAD})
PAST = "2026-03-10"


@dataclass(frozen=True)
class Route:
    """How to call one staff operation in the matrix, and which league roles may."""

    roles: frozenset[Role]
    params: Callable[[Any], dict[str, Any]] = lambda ctx: {}
    body: Callable[[Any], Any] = lambda ctx: None
    collection: bool = False
    """A list: the sibling agency's officer gets 200 with none of the league's items."""
    anyone: bool = False
    """Every valid token may call it (e.g. /staff/me)."""
    extra: dict[str, Any] = field(default_factory=dict)


def req(ctx: Any) -> dict[str, Any]:
    return {"request_id": ctx.seed.request.pk}


def doc(ctx: Any) -> dict[str, Any]:
    return {"document_id": ctx.seed.draft.pk}


def report(ctx: Any) -> dict[str, Any]:
    return {"code": ctx.world.league.code, "year": 2025, "scope": "self"}


def letter(ctx: Any) -> dict[str, Any]:
    return {"letter_id": ctx.letter().pk}


DOCUMENT_FIELDS = {"column": "policies", "title": "接口起草的文件", "body_html": "<p>正文</p>"}

ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/staff/me"): Route(ALL, anyone=True),
    ("GET", "/staff/requests"): Route(ALL, collection=True),
    ("GET", "/staff/requests/{request_id}"): Route(ALL, req),
    ("POST", "/staff/requests/{request_id}/confirm-receipt"): Route(
        HANDLERS, req, lambda c: {"on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/assign"): Route(
        HANDLERS, req, lambda c: {"assignee": c.world.officer.username}
    ),
    ("POST", "/staff/requests/{request_id}/correction-request"): Route(
        HANDLERS, req, lambda c: {"on": "2026-03-04", "deadline": "2026-03-20", "items": "身份证明"}
    ),
    ("POST", "/staff/requests/{request_id}/correction-received"): Route(
        HANDLERS, req, lambda c: {"on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/consultations"): Route(
        HANDLERS, req, lambda c: {"on": PAST, "party": "third_party", "party_name": "某公司"}
    ),
    ("POST", "/staff/requests/{request_id}/consultations/close"): Route(
        HANDLERS, req, lambda c: {"on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/extension-request"): Route(
        HANDLERS, req, lambda c: {"workdays": 10, "reason": "需要调取档案"}
    ),
    ("POST", "/staff/requests/{request_id}/extension-approve"): Route(
        HEAD, req, lambda c: {"on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/extension-refuse"): Route(
        HEAD, req, lambda c: {"reason": "无需延期"}
    ),
    ("POST", "/staff/requests/{request_id}/art35-deadline"): Route(
        HANDLERS,
        req,
        lambda c: {"on": PAST, "due_on": "2026-05-29", "reason": "数量明显超过合理范围"},
    ),
    ("POST", "/staff/requests/{request_id}/fee-notice"): Route(
        HANDLERS,
        req,
        lambda c: {"method": "per_page", "on": PAST, "received_on": PAST, "pages": 150},
    ),
    ("POST", "/staff/requests/{request_id}/payment"): Route(HANDLERS, req, lambda c: {"on": PAST}),
    ("POST", "/staff/requests/{request_id}/reply"): Route(
        HANDLERS, req, lambda c: {"outcome": "disclosed", "on": PAST, "how_to_obtain": "邮寄"}
    ),
    ("POST", "/staff/requests/{request_id}/delivery"): Route(
        HANDLERS, req, lambda c: {"method": "post", "on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/withdrawal"): Route(
        HANDLERS, req, lambda c: {"on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/notes"): Route(
        HANDLERS, req, lambda c: {"text": "已电话联系申请人"}
    ),
    ("POST", "/staff/requests/{request_id}/appeals"): Route(
        HANDLERS, req, lambda c: {"kind": "review", "body": "兴安盟行政公署", "filed_on": PAST}
    ),
    ("POST", "/staff/requests/{request_id}/appeals/{appeal_id}"): Route(
        HANDLERS,
        lambda c: {**req(c), "appeal_id": c.appeal().pk},
        lambda c: {"result": "upheld", "decided_on": "2026-03-12"},
    ),
    ("GET", "/staff/requests/{request_id}/letters"): Route(ALL, req),
    ("POST", "/staff/requests/{request_id}/letters"): Route(
        HANDLERS, req, lambda c: {"event_id": c.submitted().pk, "kind": "receipt"}
    ),
    ("GET", "/staff/letters/{letter_id}"): Route(ALL, letter),
    ("GET", "/staff/letters/{letter_id}/{fmt}"): Route(ALL, lambda c: {**letter(c), "fmt": "pdf"}),
    ("POST", "/staff/letters/{letter_id}/void"): Route(
        HANDLERS, letter, lambda c: {"reason": "地址有误"}
    ),
    ("GET", "/staff/documents"): Route(ALL, collection=True),
    ("POST", "/staff/documents"): Route(
        EDITORS, body=lambda c: {"agency": c.world.league.code, **DOCUMENT_FIELDS}
    ),
    ("GET", "/staff/documents/{document_id}"): Route(ALL, doc),
    ("PUT", "/staff/documents/{document_id}"): Route(EDITORS, doc, lambda c: DOCUMENT_FIELDS),
    ("POST", "/staff/documents/{document_id}/submit"): Route(EDITORS, doc),
    ("POST", "/staff/documents/{document_id}/review"): Route(
        PUBLISHERS, doc, lambda c: {"decision": "passed"}
    ),
    ("POST", "/staff/documents/{document_id}/publish"): Route(PUBLISHERS, doc),
    ("POST", "/staff/documents/{document_id}/withdraw"): Route(
        PUBLISHERS, doc, lambda c: {"reason": "内容有误"}
    ),
    ("GET", "/staff/reports/{code}/{year}/{scope}"): Route(ALL, report),
    ("POST", "/staff/reports/{code}/{year}/{scope}/lock"): Route(HANDLERS, report),
    ("POST", "/staff/reports/{code}/{year}/{scope}/publish"): Route(HEAD, report),
}


def staff_operations() -> list[tuple[str, str]]:
    """Every (method, path) of the API that requires a token, from the OpenAPI schema."""
    schema = api.get_openapi_schema(path_prefix="/")
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if operation.get("security"):
                found.append((method.upper(), "/" + path.lstrip("/")))
    return sorted(found)


OPERATIONS = staff_operations()


def test_every_staff_operation_requires_a_token_and_nothing_else_does():
    schema = api.get_openapi_schema(path_prefix="/")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            secured = bool(operation.get("security"))
            assert secured == path.startswith("/staff/"), (
                f"{method.upper()} {path}: staff operations (and only they) need a token"
            )


def test_the_matrix_knows_every_staff_operation():
    missing = [op for op in OPERATIONS if op not in ROUTES]
    stale = [op for op in ROUTES if op not in OPERATIONS]
    assert not missing, f"add these operations to ROUTES in {__file__}: {missing}"
    assert not stale, f"these ROUTES no longer exist: {stale}"


class Context:
    def __init__(self, world: Any, seed: Any) -> None:
        self.world = world
        self.seed = seed
        self._letter = None
        self._appeal = None

    def submitted(self):
        return self.seed.request.events.get(type="submitted")

    def letter(self):
        if self._letter is None:
            self._letter = letters.issue(
                self.seed.request, self.submitted(), "receipt", inputs={}, actor=self.world.officer
            )
        return self._letter

    def appeal(self):
        if self._appeal is None:
            self._appeal = requests.create_appeal(
                self.seed.request, kind="review", body="兴安盟行政公署", filed_on=PAST, actor=None
            )
        return self._appeal


def _principals(world: Any) -> dict[str, SimpleNamespace]:
    league_roles = {
        role.value: SimpleNamespace(token=token_for(getattr(world, role.value)), role=role)
        for role in Role
    }
    revoked_token, revoked_text = tokens.create_token(world.officer, "已吊销")
    tokens.revoke_token(revoked_token, world.officer)
    expired_token, expired_text = tokens.create_token(world.head, "已过期")
    ApiToken.objects.filter(pk=expired_token.pk).update(
        expires_at=dates.now() - dt.timedelta(minutes=1)
    )
    return {
        **league_roles,
        "region_supervisor": SimpleNamespace(
            token=token_for(world.region_supervisor), role=Role.SUPERVISOR
        ),
        "sibling_officer": SimpleNamespace(token=token_for(world.sibling_officer), role=None),
        "anonymous": SimpleNamespace(token=None, role=None),
        "revoked": SimpleNamespace(token=revoked_text, role=None),
        "expired": SimpleNamespace(token=expired_text, role=None),
    }


def _expected(route: Route, who: str, principal: SimpleNamespace) -> str:
    if who in ("anonymous", "revoked", "expired"):
        return "401"
    if route.anyone:
        return "allowed"
    if who == "sibling_officer":
        return "empty" if route.collection else "404"
    return "allowed" if principal.role in route.roles else "403"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_staff_operation_permissions(api, world, seed, method, path):
    route = ROUTES.get((method, path))
    if route is None:
        pytest.fail(f"{method} {path} is not in ROUTES: say how to call it and who may")
    ctx = Context(world, seed)
    principals = _principals(world)
    params = route.params(ctx)
    url = "/api/v1" + path.format(**params)
    body = route.body(ctx)
    problems = []
    for who, principal in principals.items():
        expected = _expected(route, who, principal)
        with transaction.atomic():
            response = api.call(method, url, body, token=principal.token)
            transaction.set_rollback(True)
        status = response.status_code
        data = response.json() if response["Content-Type"].startswith("application/json") else {}
        if status >= 400:
            assert set(data) == {"code", "message", "field", "details"}, (
                f"{method} {path} as {who}: error body not in the API format: {data}"
            )
        if expected == "allowed" and status in (401, 403, 404):
            problems.append(f"{who}: expected to pass the permission check, got {status} {data}")
        elif expected == "empty":
            league = world.league.code
            leaked = [i for i in data.get("items", []) if i.get("agency", {}).get("code") == league]
            if status != 200 or leaked:
                problems.append(f"{who}: expected 200 without the league's items, got {status}")
        elif expected in ("401", "403", "404") and str(status) != expected:
            problems.append(f"{who}: expected {expected}, got {status} {data}")
        if status >= 500:
            problems.append(f"{who}: server error {status}")
    assert not problems, f"{method} {path}:\n" + "\n".join(problems)
