"""The locally generated image captcha: signed tokens, answers, expiry, replay, the picture."""

from __future__ import annotations

import io
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from PIL import Image

from gongkai.core import captcha
from gongkai.core.captcha import CaptchaError


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def solve(token: str) -> str:
    """What a test does instead of reading the picture: derive the answer with the same key."""
    nonce = signing.loads(token, salt=captcha.SALT)["n"]
    digest = salted_hmac(captcha.SALT, nonce, algorithm="sha256").digest()
    return "".join(captcha.ALPHABET[b % len(captcha.ALPHABET)] for b in digest[: captcha.LENGTH])


def test_the_right_answer_is_accepted():
    token = captcha.new_challenge(bind="form-1").token
    captcha.verify(token, solve(token), bind="form-1")


def test_the_answer_is_case_insensitive_and_trimmed():
    token = captcha.new_challenge().token
    captcha.verify(token, "  " + solve(token).lower() + " ")


def test_a_wrong_answer_is_refused_in_chinese():
    token = captcha.new_challenge().token
    wrong = "".join("A" if c != "A" else "B" for c in solve(token))
    with pytest.raises(CaptchaError) as caught:
        captcha.verify(token, wrong)
    assert caught.value.message == "验证码不正确。"


def test_an_expired_token_is_refused_with_the_refresh_message(monkeypatch):
    token = captcha.new_challenge().token
    answer = solve(token)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + captcha.MAX_AGE_SECONDS + 5)
    with pytest.raises(CaptchaError) as caught:
        captcha.verify(token, answer)
    assert caught.value.message == "验证码已过期，请刷新后重新输入。"


def test_a_token_can_be_checked_only_once_even_with_the_right_answer():
    token = captcha.new_challenge().token
    answer = solve(token)
    captcha.verify(token, answer)
    with pytest.raises(CaptchaError) as caught:
        captcha.verify(token, answer)
    assert caught.value.message == "验证码已过期，请刷新后重新输入。"


def test_a_wrong_guess_burns_the_token_so_answers_cannot_be_tried_one_by_one():
    token = captcha.new_challenge().token
    with pytest.raises(CaptchaError):
        captcha.verify(token, "AAAAA" if solve(token) != "AAAAA" else "BBBBB")
    with pytest.raises(CaptchaError) as caught:
        captcha.verify(token, solve(token))
    assert caught.value.code == "captcha_expired"


def test_a_token_bound_to_another_form_is_refused():
    token = captcha.new_challenge(bind="form-1").token
    with pytest.raises(CaptchaError) as caught:
        captcha.verify(token, solve(token), bind="form-2")
    assert caught.value.code == "captcha_invalid"


@pytest.mark.parametrize("token", ["", "garbage", "eyJuIjoiYSJ9:1abc:def"])
def test_a_forged_or_garbled_token_is_refused(token):
    with pytest.raises(CaptchaError) as caught:
        captcha.verify(token, "ABCDE")
    assert caught.value.code == "captcha_invalid"


def test_the_token_does_not_contain_the_answer():
    for _i in range(20):
        token = captcha.new_challenge().token
        assert solve(token) not in token.upper()


def test_answers_use_only_the_unambiguous_alphabet_and_have_five_characters():
    answers = {solve(captcha.new_challenge().token) for _i in range(50)}
    assert len(answers) > 45, "answers should differ between challenges"
    for answer in answers:
        assert len(answer) == 5 and set(answer) <= set(captcha.ALPHABET), answer
    assert not set("01ILOUV") & set(captcha.ALPHABET)


def test_the_picture_is_a_png_of_the_expected_size():
    png = captcha.render_png(captcha.new_challenge().token)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (captcha.WIDTH, captcha.HEIGHT)


def test_the_picture_can_be_drawn_without_the_debian_font(monkeypatch):
    monkeypatch.setattr(captcha, "FONT_CANDIDATES", ("/nonexistent/font.ttf",))
    captcha._font_path.cache_clear()
    try:
        png = captcha.render_png(captcha.new_challenge().token)
    finally:
        captcha._font_path.cache_clear()
    assert png.startswith(b"\x89PNG")


def test_no_picture_is_drawn_for_a_forged_token():
    with pytest.raises(CaptchaError):
        captcha.render_png("forged")
