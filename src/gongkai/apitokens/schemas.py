"""Building blocks shared by every router of the JSON API (``gongkai.<app>.api``).

- :class:`ErrorOut`: the one error body of every 4xx/5xx answer (see ``docs/api.md``).
- :class:`Input`: base of request bodies — unknown fields are refused (``extra="forbid"``) and
  types are strict (no ``"5"`` for an integer, no ``1`` for a string); dates are ``YYYY-MM-DD``
  strings (:data:`ApiDate`).
- :class:`PageQuery`, :func:`page_schema`, :func:`paginate`: limit/offset pagination with the
  total count.
- :func:`responses`: the documented responses of an operation (its success schema plus the error
  statuses it can answer with), so that the OpenAPI schema is honest about every status.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict, create_model, field_validator
from pydantic_core import PydanticCustomError

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 100_000

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_format", "日期格式应为 YYYY-MM-DD")


#: A calendar date given as ``YYYY-MM-DD`` (nothing else: no timestamps, no datetimes).
ApiDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def choice(enum: type) -> Any:
    """An enum field of an :class:`Input`: the exact string values only (strict models would
    otherwise demand an enum instance, which JSON cannot carry)."""
    return Annotated[enum, Strict(False)]


class ErrorOut(Schema):
    """The error body of every failed request."""

    code: str = Field(..., description="稳定的错误代码，例如 validation_error、not_found")
    message: str = Field(..., description="中文错误说明")
    field: str | None = Field(None, description="出错的字段（如有）")
    details: dict[str, Any] | None = Field(
        None, description="补充信息，例如 errors：{字段: 说明}；retry_after：秒"
    )


class Input(BaseModel):
    """Base of request bodies: unknown fields refused, strict types."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """NUL bytes are refused (400), not stored: PostgreSQL text cannot hold them."""
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("string_nul", "不能包含空字符（NUL）。")
        return value


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数（1–100）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


_PAGES: dict[str, type[Schema]] = {}


def page_schema(item: type[Schema]) -> type[Schema]:
    """``{items: [item], total, limit, offset}`` named ``<Item>Page`` in the OpenAPI schema."""
    name = f"{item.__name__.removesuffix('Out')}Page"
    if name not in _PAGES:
        _PAGES[name] = create_model(
            name,
            __base__=Schema,
            items=(list[item], ...),
            total=(int, Field(..., description="符合条件的总条数")),
            limit=(int, ...),
            offset=(int, ...),
        )
    return _PAGES[name]


def paginate(queryset: QuerySet | list, query: PageQuery) -> dict[str, Any]:
    if isinstance(queryset, list):
        total = len(queryset)
    else:
        total = queryset.count()
    items = list(queryset[query.offset : query.offset + query.limit]) if total else []
    return {"items": items, "total": total, "limit": query.limit, "offset": query.offset}


#: Error statuses every operation may answer with (409: a rule refused the step in the current
#: state, e.g. a calendar year not loaded yet or a letter already issued).
COMMON_ERRORS = (400, 404, 409, 413, 429)
#: Added for token-protected operations.
AUTH_ERRORS = (401, 403)


def responses(
    success: dict[int, Any], *, auth: bool = False, extra: tuple[int, ...] = ()
) -> dict[int, Any]:
    """The ``response=`` mapping of an operation: success schemas plus documented errors."""
    result: dict[int, Any] = dict(success)
    codes = set(COMMON_ERRORS) | set(extra) | (set(AUTH_ERRORS) if auth else set())
    for code in sorted(codes):
        result.setdefault(code, ErrorOut)
    return result
