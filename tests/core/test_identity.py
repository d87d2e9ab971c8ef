"""Check characters of resident ID numbers (GB 11643) and unified social credit codes (GB 32100)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.errors import DomainError
from gongkai.core.identity import (
    CREDIT_ALPHABET,
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_resident_id,
)

# Published examples: the GB 11643-1999 sample number, and the credit codes printed on the
# business licences of well-known companies.
VALID_RESIDENT_IDS = ["11010519491231002X", "440524188001010014", "110101199003074477"]
VALID_CREDIT_CODES = ["914403001922038216", "9144030071526726XG", "91330100716105852F"]


@pytest.mark.parametrize("number", VALID_RESIDENT_IDS)
def test_valid_resident_ids_are_accepted(number):
    assert validate_resident_id(number) == number


def test_a_lower_case_x_check_character_is_accepted_and_upper_cased():
    assert validate_resident_id(" 11010519491231002x ") == "11010519491231002X"


def test_a_wrong_check_digit_is_refused_naming_the_expected_character():
    with pytest.raises(DomainError) as caught:
        validate_resident_id("110105194912310021", field="id_number")
    assert "校验位" in caught.value.message and "X" in caught.value.message, caught.value.message
    assert caught.value.field == "id_number"


@pytest.mark.parametrize(
    "number", ["110105194902300010", "110105194913010010", "110105000001010010"]
)
def test_an_impossible_birth_date_is_refused(number):
    with pytest.raises(DomainError) as caught:
        validate_resident_id(number)
    assert "出生日期" in caught.value.message, caught.value.message


@pytest.mark.parametrize(
    "number", ["", "1101051949123100", "11010519491231002Y", "1101051949123100XX"]
)
def test_a_malformed_resident_id_is_refused(number):
    with pytest.raises(DomainError) as caught:
        validate_resident_id(number)
    assert "18位" in caught.value.message, caught.value.message


@given(
    area=st.integers(110000, 659999),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 31)),
    serial=st.integers(0, 999),
)
def test_any_number_with_its_computed_check_character_is_valid_and_any_other_is_not(
    area, birth, serial
):
    first17 = f"{area:06d}{birth:%Y%m%d}{serial:03d}"
    good = first17 + resident_id_check_char(first17)
    assert validate_resident_id(good) == good
    for other in "0123456789X":
        if other != good[-1]:
            with pytest.raises(DomainError):
                validate_resident_id(first17 + other)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes_are_accepted(code):
    assert validate_credit_code(code) == code


def test_a_lower_case_credit_code_is_accepted_and_upper_cased():
    assert validate_credit_code("9144030071526726xg") == "9144030071526726XG"


def test_a_wrong_credit_code_check_character_is_refused():
    with pytest.raises(DomainError) as caught:
        validate_credit_code("914403001922038217", field="id_number")
    assert "校验位" in caught.value.message and "6" in caught.value.message, caught.value.message
    assert caught.value.field == "id_number"


@pytest.mark.parametrize("code", ["91440300192203821", "9144030019220382161", "91440300192203821O"])
def test_a_malformed_credit_code_is_refused(code):
    with pytest.raises(DomainError) as caught:
        validate_credit_code(code)
    assert "18位" in caught.value.message, caught.value.message


@given(st.text(alphabet=CREDIT_ALPHABET, min_size=17, max_size=17))
def test_any_credit_code_with_its_computed_check_character_is_valid(first17):
    code = first17 + credit_code_check_char(first17)
    assert validate_credit_code(code) == code
    wrong = next(c for c in CREDIT_ALPHABET if c != code[-1])
    with pytest.raises(DomainError):
        validate_credit_code(first17 + wrong)
