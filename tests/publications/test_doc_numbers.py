"""发文字号 validation (GB/T 9704 §7.2.4): 〔〕 brackets, full year, no 第, no leading zeros."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.errors import DomainError
from gongkai.publications.doc_numbers import LEFT, RIGHT, suggest, validate_doc_number


@pytest.mark.parametrize(
    "number",
    ["内政办发〔2026〕7号", "兴署发〔2023〕12号", "国办函〔2020〕109号", "内政发〔2019〕1号"],
)
def test_correct_numbers_are_accepted(number):
    assert validate_doc_number(number) == number


def test_an_empty_number_is_allowed():
    assert validate_doc_number("  ") == ""


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("内政办发[2026]7号", "内政办发〔2026〕7号"),
        ("内政办发【2026】7号", "内政办发〔2026〕7号"),
        ("内政办发(2026)7号", "内政办发〔2026〕7号"),
        ("内政办发（2026）7号", "内政办发〔2026〕7号"),
        ("内政办发〔2026〕第7号", "内政办发〔2026〕7号"),
        ("内政办发〔2026〕007号", "内政办发〔2026〕7号"),
        ("内政办发[2026]第07号", "内政办发〔2026〕7号"),
        ("内政办发〔２０２６〕７号", "内政办发〔2026〕7号"),
        ("内政办发 〔2026〕 7号", "内政办发〔2026〕7号"),
        ("内政办发﹝2026﹞7号", "内政办发〔2026〕7号"),
    ],
)
def test_mistyped_numbers_are_refused_with_the_corrected_form(typed, corrected):
    with pytest.raises(DomainError) as caught:
        validate_doc_number(typed)
    error = caught.value
    assert f"应为：{corrected}" in error.message, error.message
    assert error.field == "doc_number"
    assert error.details["suggestion"] == corrected


@pytest.mark.parametrize("typed", ["第7号", "内政办发〔26〕7号", "随便写的", "内政办发〔2026〕0号"])
def test_numbers_that_cannot_be_corrected_get_an_example(typed):
    with pytest.raises(DomainError) as caught:
        validate_doc_number(typed)
    assert "例如：内政办发〔2026〕7号" in caught.value.message
    assert "suggestion" not in caught.value.details


def test_the_brackets_are_u3014_and_u3015():
    assert (LEFT, RIGHT) == ("\u3014", "\u3015")


prefixes = st.text(alphabet="内政办发兴署教乌函", min_size=1, max_size=5)
years = st.integers(min_value=1990, max_value=2099)
serials = st.integers(min_value=1, max_value=99999)
brackets = st.sampled_from(["[]", "【】", "()", "（）", "〔〕", "﹝﹞"])


@given(prefixes, years, serials, brackets, st.booleans(), st.integers(min_value=0, max_value=2))
def test_every_bracket_and_padding_variant_corrects_to_the_same_form(
    prefix, year, serial, pair, with_di, zeros
):
    typed = f"{prefix}{pair[0]}{year}{pair[1]}{'第' if with_di else ''}{'0' * zeros}{serial}号"
    expected = f"{prefix}〔{year}〕{serial}号"
    assert suggest(typed) == expected
    assert validate_doc_number(expected) == expected
