"""Fuzzing the identifier parsers: resident ID numbers, unified social credit codes, 发文字号,
索引号 patterns, ISO dates and tracking codes.

Each returns a normalised valid value or raises :class:`DomainError` with a Chinese message; what
it accepts really is valid (check character, date of birth, pattern renders).
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.intake import TRACKING_RE, normalize_tracking_code
from gongkai.core.dates import parse_date
from gongkai.core.errors import DomainError
from gongkai.core.identity import (
    CREDIT_ALPHABET,
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_resident_id,
)
from gongkai.publications import doc_numbers, index_numbers
from tests.fuzz.strategies import FUZZ, SPECIAL, any_text, from_pieces

HAN = re.compile(r"[\u4e00-\u9fff]")

# --- 居民身份证号码 -------------------------------------------------------------------------------

resident_like = st.builds(
    lambda digits, check, pad: pad[0] + digits + check + pad[1],
    st.text(alphabet="0123456789", min_size=15, max_size=19),
    st.sampled_from([*"0123456789Xx", "", "Y", "０", "\u3000"]),
    st.sampled_from([("", ""), (" ", ""), ("", "\n"), ("\u3000", ""), ("x", "")]),
)


@FUZZ
@given(st.one_of(any_text, resident_like))
def test_resident_ids_are_accepted_only_when_valid(text):
    try:
        number = validate_resident_id(text)
    except DomainError as exc:
        assert exc.code == "invalid_resident_id" and HAN.search(exc.message)
        return
    assert re.fullmatch(r"\d{17}[\dX]", number), number
    assert number[17] == resident_id_check_char(number[:17])
    dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))  # a real birth date


# --- 统一社会信用代码 -----------------------------------------------------------------------------

credit_like = st.builds(
    lambda body, check: body + check,
    st.text(alphabet=CREDIT_ALPHABET + "IOZSVio", min_size=16, max_size=18),
    st.sampled_from([*CREDIT_ALPHABET, "", "I", "a"]),
)


@FUZZ
@given(st.one_of(any_text, credit_like))
def test_credit_codes_are_accepted_only_when_valid(text):
    try:
        code = validate_credit_code(text)
    except DomainError as exc:
        assert exc.code == "invalid_credit_code" and HAN.search(exc.message)
        return
    assert len(code) == 18 and all(ch in CREDIT_ALPHABET for ch in code)
    assert code[17] == credit_code_check_char(code[:17])


# --- 发文字号 --------------------------------------------------------------------------------------

DOC_PIECES = ["内政办发", "国办发", "兴署发", "A", "·", "〔", "〕", "[", "]", "【", "】", "(", ")",
              "（", "）", "2026", "1999", "26", "３", "第", "号", "0", "007", "1000000", " ", "\u3000"]  # fmt: skip


@FUZZ
@given(st.one_of(any_text, from_pieces(DOC_PIECES, max_pieces=10)))
def test_doc_numbers_are_accepted_or_refused_with_a_valid_suggestion(text):
    suggestion = doc_numbers.suggest(text)
    assert suggestion is None or doc_numbers.is_valid(suggestion), suggestion
    try:
        value = doc_numbers.validate_doc_number(text)
    except DomainError as exc:
        assert exc.field == "doc_number" and HAN.search(exc.message)
        if "suggestion" in exc.details:
            assert doc_numbers.is_valid(exc.details["suggestion"])
        return
    assert value == "" or doc_numbers.is_valid(value)


# --- 索引号规则 ------------------------------------------------------------------------------------

PATTERN_PIECES = [
    "{org_code}", "{credit_code}", "{agency_code}", "{division_code}", "{year}", "{month}",
    "{serial}", "{serial:05d}", "{serial:>8}", "{year!r}", "{year!s}", "{year!x}", "{serial:{}}",
    "{serial:{year}}", ":{}}", ":05d}", "{}", "{0}", "{year[0]}", "{org_code.upper}", "{serial:s}", "{serial:,}",
    "{", "}", "{{", "}}", "/", "-", ":", "!", "[", "]", ".", "%", "x",
]  # fmt: skip


SPEC_TAILS = [
    "}",
    ":05d}",
    ":{}}",
    ":{0}}",
    ":{year}}",
    "!r}",
    "!x}",
    "[0]}",
    ":s}",
    "}}",
    "",
    ".real}",
]


@FUZZ
@given(
    st.one_of(
        any_text,
        from_pieces(PATTERN_PIECES, max_pieces=8),
        # with every required field present, so that the pattern reaches rendering
        st.builds(
            "{{agency_code}}/{{year}}-{}{{serial{}{}".format,
            from_pieces(PATTERN_PIECES, max_pieces=2),
            st.sampled_from(SPEC_TAILS),
            from_pieces(PATTERN_PIECES, max_pieces=2),
        ),
    )
)
def test_index_patterns_are_validated_without_crashing(pattern):
    try:
        index_numbers.validate_pattern(pattern)
    except DomainError as exc:
        assert exc.field == "index_pattern" and HAN.search(exc.message)
        return
    rendered = index_numbers.render(pattern, index_numbers._SampleAgency(), 2026, 12, month=3)
    assert isinstance(rendered, str)


# --- Dates and tracking codes ---------------------------------------------------------------------


@FUZZ
@given(
    st.one_of(
        any_text,
        st.builds(
            "{}-{}-{}".format,
            st.integers(0, 99999),
            st.integers(0, 99),
            st.integers(0, 99),
        ),
        st.text(alphabet=st.sampled_from([*"0123456789-", *SPECIAL[:20]]), max_size=14),
    )
)
def test_iso_dates_are_parsed_strictly(text):
    try:
        day = parse_date(text)
    except DomainError as exc:
        assert exc.code == "invalid_date" and HAN.search(exc.message)
        return
    assert day.isoformat() == text.strip()


@FUZZ
@given(st.one_of(any_text, from_pieces(["GK-", "2026", "-", "O", "I", "L", "0", "A", "z", " "])))
def test_tracking_codes_normalise_without_crashing(text):
    code = normalize_tracking_code(text)
    assert isinstance(code, str)
    if TRACKING_RE.match(code):
        assert normalize_tracking_code(code) == code
