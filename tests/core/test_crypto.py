"""Field encryption (gongkai.core.crypto), its keys in settings, and masking (gongkai.core.masking)."""

from __future__ import annotations

import base64
import io
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai import settings as gongkai_settings
from gongkai.core import crypto
from gongkai.core.masking import PersonalDataFilter, mask_id_number, mask_phone, mask_text

# Fixed keys: test ids must be the same in every xdist worker.
OLD = base64.urlsafe_b64encode(b"o" * 32).decode()
NEW = base64.urlsafe_b64encode(b"n" * 32).decode()


# --- encryption ---------------------------------------------------------------------------------


@given(st.text(max_size=200))
def test_decrypt_gives_back_what_was_encrypted(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


def test_a_token_hides_the_value_and_differs_each_time():
    first, second = crypto.encrypt("13912345678"), crypto.encrypt("13912345678")
    assert "13912345678" not in first, "the token must not contain the plain value"
    assert first != second, "Fernet tokens are randomised: equal values do not look equal"


def test_an_old_key_still_decrypts_after_a_new_key_is_put_first():
    with override_settings(GONGKAI_FIELD_KEYS=[OLD]):
        token = crypto.encrypt("11010519491231002X")
    with override_settings(GONGKAI_FIELD_KEYS=[NEW, OLD]):
        assert crypto.decrypt(token) == "11010519491231002X"
        rotated = crypto.rotate(token)
    with override_settings(GONGKAI_FIELD_KEYS=[NEW]):
        assert crypto.decrypt(rotated) == "11010519491231002X", "rotate re-encrypts with NEW"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token)


def test_a_wrong_key_raises_a_clear_error_instead_of_garbage():
    with override_settings(GONGKAI_FIELD_KEYS=[OLD]):
        token = crypto.encrypt("13912345678")
    with override_settings(GONGKAI_FIELD_KEYS=[NEW]):
        with pytest.raises(crypto.DecryptionError, match="GONGKAI_FIELD_KEYS"):
            crypto.decrypt(token, what="Application.phone")


def test_plain_text_in_an_encrypted_column_is_an_error_not_a_value():
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("13912345678")


# --- keys in settings ---------------------------------------------------------------------------


def test_keys_come_from_the_environment_first_one_first(monkeypatch):
    monkeypatch.setenv("GONGKAI_FIELD_KEYS", f" {NEW} , {OLD} ")
    assert gongkai_settings._field_keys() == [NEW, OLD]


@pytest.mark.parametrize("value", ["not-a-key", f"{NEW},short", "x" * 44])
def test_a_malformed_key_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("GONGKAI_FIELD_KEYS", value)
    with pytest.raises(ImproperlyConfigured, match="Fernet key"):
        gongkai_settings._field_keys()


def test_without_keys_one_is_generated_into_the_var_dir_once(monkeypatch, tmp_path):
    monkeypatch.delenv("GONGKAI_FIELD_KEYS", raising=False)
    monkeypatch.setattr(gongkai_settings, "VAR_DIR", tmp_path)
    first = gongkai_settings._field_keys()
    assert len(first) == 1 and Fernet(first[0])
    assert (tmp_path / "field_keys").stat().st_mode & 0o077 == 0, "key file readable by owner only"
    assert gongkai_settings._field_keys() == first, "the second start reuses the stored key"
    assert [p.name for p in tmp_path.iterdir()] == ["field_keys"], "no draft file left behind"


def test_an_empty_key_file_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.delenv("GONGKAI_FIELD_KEYS", raising=False)
    monkeypatch.setattr(gongkai_settings, "VAR_DIR", tmp_path)
    (tmp_path / "field_keys").write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="empty"):
        gongkai_settings._field_keys()


# --- blind index and field ----------------------------------------------------------------------


def test_the_blind_index_ignores_spaces_and_case_and_hides_the_value():
    index = crypto.blind_index("11010519491231002x", "identity")
    assert index == crypto.blind_index(" 110105 19491231002X", "identity")
    assert len(index) == 64 and "11010519491231002" not in index
    assert crypto.blind_index("11010519491231002X", "phone") != index, "kinds are separated"
    assert crypto.blind_index("   ", "identity") == "", "no index for an empty value"


def test_the_blind_index_depends_on_the_secret_key():
    index = crypto.blind_index("11010519491231002X", "identity")
    with override_settings(SECRET_KEY="another-secret-key-of-at-least-32-characters"):
        assert crypto.blind_index("11010519491231002X", "identity") != index


@pytest.mark.django_db
def test_filtering_on_an_encrypted_field_is_refused_not_silently_empty():
    from gongkai.applications.models import Application

    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Application.objects.filter(id_number__exact="11010519491231002X"))
    with pytest.raises(FieldError):
        list(Application.objects.filter(phone__icontains="1391"))


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("15010219900101123X", "150102********123X"),
        ("91152201MA0N00001F", "911522********001F"),
        ("E12345678", "E12****78"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0482-8226001", "048*****6001"),
        ("+8613912345678", "+86*******5678"),
        ("123", "*23"),
        ("", ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@given(st.text(alphabet="0123456789X", min_size=5, max_size=40))
def test_a_mask_keeps_the_length_and_hides_at_least_two_fifths(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked.count("*") * 5 >= len(value) * 2, masked


def test_log_text_is_masked():
    line = "申请人 15010219900101123X 电话 13812345678 座机 0482-8226001 查询码 GK-2026-7Q4M9XK2"
    assert mask_text(line) == (
        "申请人 150102********123X 电话 138****5678 座机 048*****6001 查询码 GK-2026-7Q4M9XK2"
    )


def test_the_console_log_handler_masks_personal_data():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataFilter) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING installs PersonalDataFilter on the console handler"
    handler = handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("gongkai.test").error(
            "applicant %s phone %s", "15010219900101123X", "13812345678"
        )
    finally:
        handler.setStream(previous)
    output = stream.getvalue()
    assert "150102********123X" in output and "138****5678" in output
    assert "15010219900101123X" not in output and "13812345678" not in output
