"""Check characters of Chinese identity numbers.

- Resident identity card number (居民身份证号码), GB 11643-1999: 17 digits and a check character
  computed with ISO 7064 MOD 11-2.
- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
  alphabet (digits and capital letters without I, O, Z, S, V), the last one a MOD 31 check.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK = "10X98765432"
_RESIDENT_RE = re.compile(r"^\d{17}[\dX]$")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


def resident_id_check_char(first17: str) -> str:
    """The check character for the first 17 digits of a resident ID number."""
    total = sum(int(ch) * w for ch, w in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11]


def normalize_resident_id(value: str) -> str:
    return (value or "").strip().upper()


def validate_resident_id(value: str, *, field: str | None = None) -> str:
    """Return the normalised number or raise :class:`DomainError` naming what is wrong."""
    number = normalize_resident_id(value)
    if not _RESIDENT_RE.match(number):
        raise DomainError(
            _("居民身份证号码应为18位：前17位为数字，最后一位为数字或X。"),
            code="invalid_resident_id",
            field=field,
        )
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise DomainError(
            _("居民身份证号码中的出生日期（第7至14位）不是有效日期。"),
            code="invalid_resident_id",
            field=field,
        ) from exc
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise DomainError(
            _("居民身份证号码校验位不正确（最后一位应为 %(expected)s），请核对号码。")
            % {"expected": expected},
            code="invalid_resident_id",
            field=field,
        )
    return number


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    total = sum(
        CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str, *, field: str | None = None) -> str:
    """Return the normalised code or raise :class:`DomainError` naming what is wrong."""
    code = normalize_credit_code(value)
    if not _CREDIT_RE.match(code):
        raise DomainError(
            _("统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、Z、S、V）。"),
            code="invalid_credit_code",
            field=field,
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise DomainError(
            _("统一社会信用代码校验位不正确（最后一位应为 %(expected)s），请核对代码。")
            % {"expected": expected},
            code="invalid_credit_code",
            field=field,
        )
    return code
