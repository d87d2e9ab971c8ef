"""A locally generated image captcha (验证码) for public forms, with no third-party service.

Design (docs/decisions.md, "Captcha"):

- A challenge is a random *nonce*. Its 5-character answer is derived from the nonce with an HMAC
  keyed by ``SECRET_KEY`` (:func:`answer_for_nonce`), from an alphabet without look-alikes
  (no 0/O, 1/I/L, U/V). Nothing is stored when a challenge is issued.
- The client gets a *token*: ``django.core.signing`` dumps of ``{"n": nonce, "b": bind}``,
  timestamped. The token reveals neither the answer nor anything that leads to it without the
  key; the image view (:func:`render_png`) recomputes the answer to draw it.
- :func:`verify` checks the signature, the age (:data:`MAX_AGE_SECONDS`), the binding and the
  answer (case-insensitive, constant-time). Works across processes and machines: everything
  needed is in the token and the shared ``SECRET_KEY``.
- Replay: a token is *bound* to a caller-chosen value (the request form binds it to its
  one-time submission token, which is unique in the database, so one solved captcha can create
  at most one application); and every token that was checked — right or wrong — is remembered
  in Django's cache until it expires, so an answer cannot be guessed by retrying one token.
  With the default per-process cache (locmem) this second guard is per worker; configure a
  shared cache in production for it to hold across workers.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

#: Characters that are hard to confuse in a distorted image.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
LENGTH = 5
MAX_AGE_SECONDS = 600
SALT = "gongkai.core.captcha"
_USED_PREFIX = "gongkai:captcha:used:"

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
WIDTH, HEIGHT = 170, 56


class CaptchaError(DomainError):
    code = "captcha"


@dataclass(frozen=True)
class Challenge:
    token: str


def answer_for_nonce(nonce: str) -> str:
    """The answer of a challenge: :data:`LENGTH` characters derived from the nonce with HMAC."""
    digest = salted_hmac(SALT, nonce, algorithm="sha256").digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


def new_challenge(bind: str = "") -> Challenge:
    """Issue a challenge whose token is valid for :data:`MAX_AGE_SECONDS`, bound to ``bind``."""
    nonce = secrets.token_urlsafe(16)
    return Challenge(token=signing.dumps({"n": nonce, "b": bind}, salt=SALT))


def _load(token: str) -> dict:
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise CaptchaError(_("验证码已过期，请刷新后重新输入。"), code="captcha_expired") from exc
    except signing.BadSignature as exc:
        raise CaptchaError(_("验证码无效，请刷新后重新输入。"), code="captcha_invalid") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        raise CaptchaError(_("验证码无效，请刷新后重新输入。"), code="captcha_invalid")
    return payload


def _used_key(nonce: str) -> str:
    return _USED_PREFIX + hashlib.sha256(nonce.encode()).hexdigest()[:32]


def verify(token: str, answer: str, *, bind: str = "") -> None:
    """Check an answer; raise :class:`CaptchaError` with a Chinese message if it is not right.

    A token can be checked once: afterwards (right or wrong) it counts as expired.
    """
    payload = _load(token)
    nonce = payload["n"]
    if payload.get("b", "") != bind:
        raise CaptchaError(_("验证码无效，请刷新后重新输入。"), code="captcha_invalid")
    # cache.add is atomic: only the first check of a token succeeds in claiming it.
    if not cache.add(_used_key(nonce), 1, timeout=MAX_AGE_SECONDS + 60):
        raise CaptchaError(_("验证码已过期，请刷新后重新输入。"), code="captcha_expired")
    given = (answer or "").strip().upper()
    if not constant_time_compare(given, answer_for_nonce(nonce)):
        raise CaptchaError(_("验证码不正确。"), code="captcha_wrong")


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


def _font(size: int):
    from PIL import ImageFont

    path = _font_path()
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: fixed-size bitmap font
        return ImageFont.load_default()


def render_png(token: str) -> bytes:
    """Draw the challenge of ``token`` as a PNG (distorted characters, lines and dots)."""
    from PIL import Image, ImageDraw, ImageFilter

    answer = answer_for_nonce(_load(token)["n"])
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 250))
    draw = ImageDraw.Draw(image)
    for _i in range(6):
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _j in range(2)],
            fill=tuple(rng.randint(120, 200) for _k in range(3)),
            width=rng.randint(1, 2),
        )
    step = (WIDTH - 20) // LENGTH
    for index, char in enumerate(answer):
        font = _font(rng.randint(28, 34))
        glyph = Image.new("RGBA", (44, 50), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 2), char, font=font, fill=(*(rng.randint(10, 90) for _k in range(3)), 255)
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=0)
        image.paste(glyph, (10 + index * step + rng.randint(-3, 3), rng.randint(0, 6)), glyph)
    for _i in range(120):
        draw.point(
            (rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)),
            fill=tuple(rng.randint(60, 180) for _k in range(3)),
        )
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
