"""A user's authenticator app (TOTP device) and single-use recovery codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.crypto import EncryptedTextField


class TotpDevice(models.Model):
    """The authenticator app of one user. Unconfirmed until a first code is verified; the secret
    is encrypted at rest (``GONGKAI_FIELD_KEYS``) and shown only while enrolling."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("用户"),
    )
    secret = EncryptedTextField(_("密钥"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    #: The time step (Unix time // 30) of the last accepted code: a code is accepted only for a
    #: later step, so the same code cannot be used twice.
    last_used_step = models.BigIntegerField(_("最近使用的时间步"), default=0)

    class Meta:
        verbose_name = _("两步验证设备")
        verbose_name_plural = _("两步验证设备")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for logging in without the authenticator app; only its SHA-256 is kept
    (the code is random, 60 bits)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("用户"),
    )
    code_hash = models.CharField(_("恢复码摘要"), max_length=64, unique=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"
