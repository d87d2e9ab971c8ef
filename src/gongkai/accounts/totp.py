"""Two-factor login (双因素认证) with time-based one-time passwords (TOTP, RFC 6238).

A user enrols an authenticator app by scanning a QR code of an ``otpauth://`` URI, then proves it
works with a first code; only then is the device active and the login asks for a code after the
password. Codes are 6 digits for 30-second steps; one step either side is accepted for clock
drift, and a code is accepted only for a step later than the last accepted one, so a code seen
over a shoulder or in a log cannot be replayed. Wrong codes are throttled per user
(:mod:`gongkai.accounts.throttle`). Ten single-use recovery codes, stored as SHA-256 digests,
are shown once at activation for a lost phone; a system administrator can also delete the device
in the admin.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts import throttle
from gongkai.accounts.models import RecoveryCode, TotpDevice
from gongkai.core import dates
from gongkai.core.errors import DomainError
from gongkai.site import audit

STEP_SECONDS = 30
DIGITS = 6
#: Steps accepted either side of the current one (clock drift of the phone).
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_CODE_RE = re.compile(r"^\d{6}$")

audit.register_action("user.2fa_enable", gettext_lazy("启用两步验证"))
audit.register_action("user.2fa_disable", gettext_lazy("停用两步验证"))
audit.register_action("user.2fa_recovery_code", gettext_lazy("使用两步验证恢复码"))


class InvalidCode(DomainError):
    code = "invalid_code"


def issuer() -> str:
    return _("政府信息公开平台")


def active_device(user: Any) -> TotpDevice | None:
    """The confirmed device of ``user``, if any."""
    if not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def start_enrolment(user: Any) -> TotpDevice:
    """A new unconfirmed device with a fresh secret, replacing an earlier unconfirmed one.

    Raises :class:`DomainError` when two-factor login is already on (disable it first)."""
    with transaction.atomic():
        existing = TotpDevice.objects.select_for_update().filter(user=user).first()
        if existing is not None and existing.is_active:
            raise DomainError(_("两步验证已经启用。如需更换手机，请先停用再重新设置。"))
        if existing is not None:
            existing.delete()
        return TotpDevice.objects.create(user=user, secret=pyotp.random_base32())


def pending_device(user: Any) -> TotpDevice | None:
    """The unconfirmed device of ``user`` (enrolment started, no code verified yet)."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()


def provisioning_uri(device: TotpDevice) -> str:
    """The ``otpauth://totp/…`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=device.user.get_username(), issuer_name=issuer()
    )


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG, made locally (the secret never leaves the server)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, title=_("两步验证二维码"))


def _matching_step(secret: str, code: str, at: float) -> int | None:
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = totp.timecode(at)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _consume_totp(device: TotpDevice, code: str, at: float) -> bool:
    """Accept ``code`` for ``device`` once: the step must be later than the last accepted one
    (a conditional UPDATE, so two requests with the same code cannot both succeed)."""
    step = _matching_step(device.secret, code, at)
    if step is None:
        return False
    updated = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    if updated:
        device.last_used_step = step
    return bool(updated)


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("utf-8")).hexdigest()


def _consume_recovery(user: Any, code: str) -> bool:
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash_recovery(code), used_at__isnull=True
    ).update(used_at=dates.now())
    return bool(used)


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _check_code(
    user: Any, device: TotpDevice, code: str, *, allow_recovery: bool, at: float | None
) -> str:
    """Verify ``code`` (a TOTP code, or a recovery code if allowed) under the attempt limit.

    Returns ``"totp"`` or ``"recovery"``; raises :class:`InvalidCode` or
    :class:`~gongkai.accounts.throttle.TooManyAttempts`."""
    throttle.check_code(user)
    code = _normalise(code)
    at = time.time() if at is None else at
    if _CODE_RE.match(code):
        if _consume_totp(device, code, at):
            throttle.code_succeeded(user)
            return "totp"
    elif allow_recovery and code and _consume_recovery(user, code):
        throttle.code_succeeded(user)
        return "recovery"
    throttle.code_failed(user)
    raise InvalidCode(_("验证码不正确或已使用过，请输入验证器应用当前显示的 6 位数字。"))


def confirm_enrolment(user: Any, code: str, *, at: float | None = None) -> list[str]:
    """Activate the pending device of ``user`` with its first code; return new recovery codes
    (shown once: only their digests are stored)."""
    device = pending_device(user)
    if device is None:
        raise DomainError(_("请先开始设置两步验证。"))
    _check_code(user, device, code, allow_recovery=False, at=at)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device.confirmed_at = dates.now()
        device.save(update_fields=["confirmed_at"])
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_hash_recovery(c)) for c in codes
        )
        audit.record(user, "user.2fa_enable", user)
    return codes


def verify_login(user: Any, code: str, *, at: float | None = None) -> None:
    """The second login step: a current code of the active device, or an unused recovery code."""
    device = active_device(user)
    if device is None:
        raise DomainError(_("该账号未启用两步验证。"))
    kind = _check_code(user, device, code, allow_recovery=True, at=at)
    if kind == "recovery":
        audit.record(user, "user.2fa_recovery_code", user)


def disable(user: Any, code: str, *, at: float | None = None) -> None:
    """Turn two-factor login off; needs a current code (or a recovery code)."""
    device = active_device(user)
    if device is None:
        raise DomainError(_("该账号未启用两步验证。"))
    _check_code(user, device, code, allow_recovery=True, at=at)
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record(user, "user.2fa_disable", user)


def remaining_recovery_codes(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
