"""发文字号 (document number) validation with a corrected form.

GB/T 9704—2012 §7.2.4 (legal-rules §6, §8 item 10): 发文机关代字 + 年份 + 发文顺序号, the year in
full and enclosed in 六角括号 〔〕 (U+3014, U+3015); the serial without leading zeros (不编虚位) and
without 「第」, followed by 「号」: ``内政办发〔2026〕7号``. Common mistakes — ``[2026]``, ``【2026】``,
``(2026)``, ``（2026）``, ``第7号``, ``007号``, full-width digits, spaces — are refused with the
corrected form in the message, so the officer can copy it.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

LEFT = "\u3014"  # 〔
RIGHT = "\u3015"  # 〕

_CORRECT = re.compile(
    rf"^(?P<prefix>[\u3400-\u9fffA-Za-z·]+){LEFT}(?P<year>(?:19|20)\d\d){RIGHT}"
    r"(?P<serial>[1-9]\d{0,5})号$"
)
_WRONG_LEFT = "[【(（〈<{［〖﹝「『｛"
_WRONG_RIGHT = "]】)）〉>}］〗﹞」』｝"
_LOOSE = re.compile(
    rf"^(?P<prefix>[\u3400-\u9fffA-Za-z·]+?)\s*[{re.escape(_WRONG_LEFT)}{LEFT}]\s*"
    rf"(?P<year>\d{{2,4}})\s*[{re.escape(_WRONG_RIGHT)}{RIGHT}]\s*"
    r"第?\s*(?P<serial>\d{1,9})\s*号?$"
)


def is_valid(number: str) -> bool:
    return bool(_CORRECT.match(number))


def suggest(number: str) -> str | None:
    """The corrected form of a mistyped 发文字号, or ``None`` when it cannot be guessed."""
    text = unicodedata.normalize("NFKC", number or "").strip()
    # NFKC turns 〔〕 into themselves but full-width （） into ( ): both are handled below.
    text = re.sub(r"\s+", "", text)
    match = _LOOSE.match(text)
    if not match:
        return None
    year = match.group("year")
    if len(year) != 4 or not year.startswith(("19", "20")):
        return None
    serial = int(match.group("serial"))
    if not 0 < serial < 1_000_000:
        return None
    return f"{match.group('prefix')}{LEFT}{year}{RIGHT}{serial}号"


def validate_doc_number(number: str) -> str:
    """Return ``number`` stripped when it is a correct 发文字号 (or empty); raise otherwise.

    The :class:`DomainError` names the field ``doc_number``; its message offers the corrected form
    (``应为：内政办发〔2026〕7号``) and ``details["suggestion"]`` carries it.
    """
    value = (number or "").strip()
    if not value or is_valid(value):
        return value
    suggestion = suggest(value)
    if suggestion:
        raise DomainError(
            _(
                "发文字号“%(value)s”格式不正确，应为：%(suggestion)s"
                "（年份用六角括号〔〕括入，序号不编虚位、不加“第”字）。"
            )
            % {"value": value, "suggestion": suggestion},
            code="invalid_doc_number",
            field="doc_number",
            details={"suggestion": suggestion},
        )
    raise DomainError(
        _(
            "发文字号“%(value)s”格式不正确，应由发文机关代字、六角括号〔〕括入的四位年份和"
            "序号组成，例如：内政办发〔2026〕7号。"
        )
        % {"value": value},
        code="invalid_doc_number",
        field="doc_number",
    )
