"""Masking of personal data (个人信息去标识化显示) wherever the full value is not needed.

``mask_id_number('15010219900101123X') == '150102********123X'`` and
``mask_phone('13812345678') == '138****5678'``. Who sees the full value is decided in one place,
:func:`gongkai.applications.access.personal_data`; everything else (lists, ledger exports, API
lists, the admin, log messages) shows these masks.
"""

from __future__ import annotations

import logging
import re

MASK = "*"


def mask_id_number(value: str | None) -> str:
    """Keep the first third (at most 6: the region code of a resident ID) and the last quarter (at
    most 4) of an identity number; star the rest, length unchanged."""
    text = "".join((value or "").split())
    if not text:
        return ""
    n = len(text)
    if n <= 4:
        return MASK * n
    head, tail = min(6, n // 3), min(4, n // 4)
    return text[:head] + MASK * (n - head - tail) + text[n - tail :]


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 characters of a telephone number (``138****5678``); shorter
    numbers keep only their last 2."""
    text = "".join((value or "").split())
    if not text:
        return ""
    n = len(text)
    if n >= 8:
        return text[:3] + MASK * (n - 7) + text[n - 4 :]
    if n <= 2:
        return MASK * n
    return MASK * (n - 2) + text[n - 2 :]


#: An 18-character resident ID or unified social credit code, a mainland mobile number, a
#: landline with area code — standing alone (not inside a longer run of digits or letters).
_ID_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_CREDIT_RE = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-Z]{10}(?![0-9A-Za-z])"
)
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])")
_LANDLINE_RE = re.compile(r"(?<![0-9])0[0-9]{2,3}-?[0-9]{7,8}(?![0-9])")


def mask_text(text: str) -> str:
    """``text`` with every identity number and telephone number in it masked (for log lines)."""
    text = _ID_RE.sub(lambda m: mask_id_number(m.group()), text)
    text = _CREDIT_RE.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE_RE.sub(lambda m: mask_phone(m.group()), text)
    return _LANDLINE_RE.sub(lambda m: mask_phone(m.group()), text)


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks identity and telephone numbers in the formatted message
    (installed on the console handler by ``settings.LOGGING``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
