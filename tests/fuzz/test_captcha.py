"""Fuzzing the captcha token verifier (gongkai.core.captcha).

Forged, mutated, re-signed and replayed tokens and arbitrary answers only ever give a
:class:`CaptchaError` (验证码无效/已过期/不正确); nothing but the right answer to a fresh token
bound to the same value passes.
"""

from __future__ import annotations

from django.core import signing
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import captcha
from gongkai.core.captcha import CaptchaError
from tests.fuzz.strategies import FUZZ, any_text, json_values, mutated

BINDS = ["", "token-a", "token-b"]
SAMPLE_TOKENS = [captcha.new_challenge(bind=b).token for b in BINDS]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:."


def _verify(token: str, answer: str, bind: str) -> bool:
    try:
        captcha.verify(token, answer, bind=bind)
    except CaptchaError as exc:
        assert exc.code in {"captcha_invalid", "captcha_expired", "captcha_wrong"}, exc.code
        return False
    return True


@FUZZ
@given(
    st.one_of(any_text, mutated(SAMPLE_TOKENS, list(B64), steps=2), st.text(B64, max_size=120)),
    st.one_of(any_text, st.text(captcha.ALPHABET, min_size=5, max_size=5)),
    st.sampled_from(BINDS),
)
def test_forged_or_mutated_tokens_are_refused(token, answer, bind):
    cache.clear()
    if token in SAMPLE_TOKENS:
        return  # an unmodified real token: covered by the tests of tests/core
    assert not _verify(token, answer, bind), f"a forged token passed: {token!r}"


@FUZZ
@given(json_values, any_text, st.sampled_from(BINDS))
def test_validly_signed_payloads_of_any_shape_are_handled(payload, answer, bind):
    """A payload signed with the key but of an unexpected shape (cannot come from us, but the
    verifier must not trust its shape either)."""
    cache.clear()
    token = signing.dumps(payload, salt=captcha.SALT)
    passed = _verify(token, answer, bind)
    if passed:
        assert isinstance(payload, dict) and payload.get("b", "") == bind
        assert answer.strip().upper() == captcha.answer_for_nonce(payload["n"])
    try:
        png = captcha.render_png(token)
    except CaptchaError:
        return
    assert png.startswith(b"\x89PNG")


@FUZZ
@given(st.sampled_from(BINDS), st.sampled_from(BINDS), any_text)
def test_a_real_token_passes_once_with_its_answer_and_binding_only(issued_for, bind, junk):
    cache.clear()
    token = captcha.new_challenge(bind=issued_for).token
    nonce = signing.loads(token, salt=captcha.SALT)["n"]
    right = captcha.answer_for_nonce(nonce)
    first = _verify(token, junk if junk.strip().upper() != right else right, bind)
    assert first == (bind == issued_for and junk.strip().upper() == right)
    assert not _verify(token, right, bind), "a token checked once must not pass again"
