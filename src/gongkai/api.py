"""The JSON API (django-ninja) at /api/v1/. Each app contributes its routers from its ``api.py``.

Everything a client can get wrong answers with one error body (``docs/api.md``)::

    {"code": "<stable code>", "message": "<中文说明>", "field": "<field or null>",
     "details": {...} or null}

- input that does not fit the schema (wrong type, missing or unknown field, value out of range):
  **400** ``validation_error`` with ``details.errors`` = ``{field: message}`` — we use 400, never
  422, for every input error, so that a client needs one rule: 400 means "fix the request";
- malformed JSON: 400 ``malformed_json``; a body over :data:`MAX_BODY_BYTES`: 413
  ``payload_too_large`` (refused from ``Content-Length`` before the body is read);
- a business rule (:class:`~gongkai.core.errors.DomainError`): its own status (400 unless the rule
  says otherwise: 404, 409, 410, 429 …) and code, with the rule's Chinese message;
- no token: 401 ``authentication_required``; a bad, revoked or expired token: 401
  ``invalid_token`` / ``token_revoked`` / ``token_expired``; a role that may not act: 403
  ``permission_denied``; anything outside the user's scope or unknown: 404 ``not_found``;
- too many requests: 429 ``rate_limited`` (or ``too_many_attempts``) with ``Retry-After``;
- a wrong method: 405 ``method_not_allowed`` with ``Allow``; an unexpected failure: 500
  ``server_error`` (logged), still in the same format.

The interactive docs (/api/v1/docs) are ninja's Swagger UI served from ninja's own static files
("ninja" is in INSTALLED_APPS), with the online validator badge switched off: the page works
without internet access.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from gongkai.apitokens.schemas import responses
from gongkai.core.errors import DomainError
from gongkai.site import dbfaults

logger = logging.getLogger(__name__)

#: Largest request body the API reads (bytes). Requests carry no files, so 256 KiB is ample
#: (a request description is at most 5,000 characters); override with GONGKAI_API_MAX_BODY_BYTES.
MAX_BODY_BYTES = 256 * 1024

API_DESCRIPTION = """政府信息公开平台接口（Gongkai API v1）。

* 公开接口无需认证：机构、主动公开信息、已发布的年度报告、提交申请、查询办理进度。
* `/staff/` 下的接口使用个人接口令牌：`Authorization: Bearer gk_…`（在工作台“接口令牌”页面创建，
  只显示一次）。令牌的权限与其用户相同，按岗位和机构范围限制；范围外的对象一律返回 404。
* 所有错误返回同一格式：`{"code", "message", "field", "details"}`；输入错误一律为 400。
* 列表使用 `limit`（1–100）和 `offset` 分页，返回 `total`。

详见项目文档 docs/api.md。
"""


def max_body_bytes() -> int:
    return int(getattr(settings, "GONGKAI_API_MAX_BODY_BYTES", MAX_BODY_BYTES))


class PayloadTooLarge(Exception):
    pass


class LimitedParser(Parser):
    """JSON bodies up to :func:`max_body_bytes` (also for chunked bodies without a length)."""

    def parse_body(self, request: HttpRequest) -> Any:
        if len(request.body) > max_body_bytes():
            raise PayloadTooLarge
        return super().parse_body(request)


class Renderer(JSONRenderer):
    """UTF-8 JSON with Chinese left readable (no ``\\uXXXX`` escapes)."""

    json_dumps_params = {"ensure_ascii": False}


# --- the error body --------------------------------------------------------------------------


def error_body(
    code: str, message: str, *, field: str | None = None, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "details": details or None}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(error_body(code, message, field=field, details=details), ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


#: Chinese text for pydantic's error types (``{…}`` filled from the error's context).
VALIDATION_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("缺少必填字段。"),
    "extra_forbidden": gettext_lazy("不允许的字段（请检查拼写）。"),
    "string_type": gettext_lazy("应为字符串。"),
    "int_type": gettext_lazy("应为整数。"),
    "int_parsing": gettext_lazy("应为整数。"),
    "int_from_float": gettext_lazy("应为整数。"),
    "bool_type": gettext_lazy("应为布尔值（true 或 false）。"),
    "bool_parsing": gettext_lazy("应为布尔值（true 或 false）。"),
    "dict_type": gettext_lazy("应为 JSON 对象。"),
    "model_type": gettext_lazy("应为 JSON 对象。"),
    "model_attributes_type": gettext_lazy("应为 JSON 对象。"),
    "list_type": gettext_lazy("应为数组。"),
    "none_required": gettext_lazy("应为 null。"),
    "literal_error": gettext_lazy("取值不在允许范围内（允许：{expected}）。"),
    "enum": gettext_lazy("取值不在允许范围内（允许：{expected}）。"),
    "string_too_long": gettext_lazy("最多 {max_length} 个字符。"),
    "string_too_short": gettext_lazy("至少 {min_length} 个字符。"),
    "string_pattern_mismatch": gettext_lazy("格式不正确。"),
    "greater_than_equal": gettext_lazy("不能小于 {ge}。"),
    "less_than_equal": gettext_lazy("不能大于 {le}。"),
    "greater_than": gettext_lazy("应大于 {gt}。"),
    "less_than": gettext_lazy("应小于 {lt}。"),
    "date_format": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "date_type": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "date_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "date_from_datetime_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "datetime_type": gettext_lazy("时间格式不正确。"),
    "json_invalid": gettext_lazy("不是合法的 JSON。"),
    "string_nul": gettext_lazy("不能包含空字符（NUL）。"),
}


def _field_path(loc: Any) -> str:
    parts = list(loc or ())
    if not parts:
        return ""
    source = parts[0]
    rest = parts[2:] if source == "body" else parts[1:]
    return ".".join(str(part) for part in rest) or str(source)


def _validation_message(error: dict[str, Any]) -> str:
    template = str(VALIDATION_MESSAGES.get(error.get("type", ""), _("格式不正确。")))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split("（")[0] if "{" in template else template


class GongkaiAPI(NinjaAPI):
    """ninja's API with :func:`guard` around every URL and a final catch-all 404."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = guard(pattern.callback)
        patterns.append(re_path(r"^[\s\S]*$", guard(unknown_path), name="unknown"))
        return patterns, app_name, namespace


api = GongkaiAPI(
    title="Gongkai API",
    version="1",
    urls_namespace="api",
    description=API_DESCRIPTION,
    parser=LimitedParser(),
    renderer=Renderer(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors.setdefault(_field_path(error.get("loc")), _validation_message(error))
    first = next(iter(errors), "")
    if first:
        message = _("请求数据不符合要求：%(field)s：%(problem)s") % {
            "field": first,
            "problem": errors[first],
        }
    else:
        message = _("请求数据不符合要求。")
    return error_response(
        400, "validation_error", message, field=first or None, details={"errors": errors}
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, PayloadTooLarge | RequestDataTooBig):
        return _too_large()
    if isinstance(exc, AuthenticationError):
        return error_response(
            401,
            "authentication_required",
            _("需要接口令牌：请在请求头中提供 Authorization: Bearer <令牌>。"),
            headers={"WWW-Authenticate": 'Bearer realm="gongkai"'},
        )
    if isinstance(exc, Throttled):
        wait = int(exc.wait or 60)
        return error_response(
            429,
            "rate_limited",
            _("请求过于频繁，请在 %(seconds)d 秒后重试。") % {"seconds": wait},
            details={"retry_after": wait},
            headers={"Retry-After": str(wait)},
        )
    if exc.status_code == 400 and cause is not None:
        return error_response(400, "malformed_json", _("请求体不是合法的 JSON。"))
    codes = {403: "permission_denied", 404: "not_found", 409: "conflict", 413: "payload_too_large"}
    return error_response(exc.status_code, codes.get(exc.status_code, "bad_request"), str(exc))


def _too_large() -> HttpResponse:
    limit = max_body_bytes()
    return error_response(
        413,
        "payload_too_large",
        _("请求体过大：最多 %(kb)d KB。") % {"kb": limit // 1024},
        details={"max_bytes": limit},
    )


@api.exception_handler(RequestDataTooBig)
def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _too_large()


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(400, "bad_request", _("请求无效。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", _("未找到请求的对象，或您无权查看。"))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("您没有执行此操作的权限。")
    return error_response(403, "permission_denied", message)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error_response(400, "invalid", "；".join(exc.messages) or _("数据无效。"))


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    headers: dict[str, str] = {}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="gongkai", error="invalid_token"'
    if exc.status == 429:
        retry_after = getattr(exc, "retry_after", None) or (exc.details or {}).get("retry_after")
        if retry_after is None:
            from gongkai.applications.tracking import WINDOW_SECONDS

            retry_after = WINDOW_SECONDS
        headers["Retry-After"] = str(int(retry_after))
    if exc.status >= 500:
        logger.error("API %s %s: %s (%s)", request.method, request.path, exc.message, exc.code)
    return error_response(
        exc.status,
        exc.code,
        exc.message,
        field=exc.field,
        details=exc.details or None,
        headers=headers,
    )


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API %s %s failed", request.method, request.path)
    return error_response(500, "server_error", _("服务器内部错误，请稍后再试。"))


# A busy or unreachable database: 503 service_unavailable with Retry-After (gongkai.site.dbfaults).
for _transient in dbfaults.TRANSIENT:
    api.add_exception_handler(_transient, dbfaults.api_unavailable)


# --- every view of the API: body size, 405 and unknown paths in the error format ------------------


def guard(view: Any) -> Any:
    """Refuse oversized bodies before reading them; give 405 and stray 404s the error format."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or ""
        if length:
            try:
                size = int(length)
            except ValueError:
                return error_response(400, "bad_request", _("Content-Length 无效。"))
            if size > max_body_bytes():
                return _too_large()
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request, Http404())
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return error_response(
                405,
                "method_not_allowed",
                _("不支持 %(method)s 方法（允许：%(allowed)s）。")
                % {"method": request.method, "allowed": allowed},
                headers={"Allow": allowed},
            )
        return response

    guarded.csrf_exempt = True  # type: ignore[attr-defined]
    return guarded


def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, "not_found", _("接口不存在，请查看 /api/v1/docs。"))


unknown_path.csrf_exempt = True  # type: ignore[attr-defined]


# --- routers -------------------------------------------------------------------------------------


class HealthOut(Schema):
    status: str


@api.get("/health", tags=["meta"], summary="健康检查", response=responses({200: HealthOut}))
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


def _mount() -> None:
    from gongkai.agencies.api import router as agencies
    from gongkai.apitokens.api import staff_router as tokens_staff
    from gongkai.apitokens.auth import token_auth
    from gongkai.applications.api import router as requests_public
    from gongkai.applications.api import staff_router as requests_staff
    from gongkai.letters.api import staff_router as letters_staff
    from gongkai.publications.api import router as documents_public
    from gongkai.publications.api import staff_router as documents_staff
    from gongkai.reports.api import router as reports_public
    from gongkai.reports.api import staff_router as reports_staff

    api.add_router("/agencies", agencies)
    api.add_router("/documents", documents_public)
    api.add_router("/reports", reports_public)
    api.add_router("/requests", requests_public)
    api.add_router("/staff", tokens_staff, auth=token_auth)
    api.add_router("/staff/requests", requests_staff, auth=token_auth)
    api.add_router("/staff", letters_staff, auth=token_auth)
    api.add_router("/staff/documents", documents_staff, auth=token_auth)
    api.add_router("/staff/reports", reports_staff, auth=token_auth)


_mount()
