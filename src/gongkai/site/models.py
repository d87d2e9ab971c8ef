"""Site-wide models: the append-only, hash-chained audit log (审计日志)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: ``prev_hash`` of the first entry of the chain.
GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One staff change: who did what to which object, when, with before/after values.

    Append-only: written through :func:`gongkai.site.audit.record`, never updated or deleted.
    Every entry is a link of a SHA-256 hash chain (see :mod:`gongkai.site.audit_chain`): saving
    a new entry numbers it, stamps its time and hashes it together with its predecessor's hash,
    so ``gongkai audit verify`` finds any later change, deletion or insertion. The actor and
    agency are protected from deletion because their ids are part of the hashed content.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
    )
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    created_at = models.DateTimeField(
        _("时间"), default=timezone.now, editable=False, db_index=True
    )
    sequence = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, editable=False)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from gongkai.site.audit import action_label

        return action_label(self.action)

    def field_changes(self) -> list[dict[str, Any]]:
        """``[{"field", "label", "old", "new"}]`` with the fields' Chinese names, for display."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        rows = []
        for name, values in (self.changes or {}).get("fields", {}).items():
            old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
            label = name
            if model is not None:
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:
                    pass
            rows.append({"field": name, "label": label, "old": old, "new": new})
        return rows

    def save(self, *args, **kwargs) -> None:
        """Append this new entry to the chain: number, time-stamp and hash it, then insert it."""
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        from gongkai.site import audit_chain

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            head = audit_chain.lock_head(using)
            audit_chain.seal(self, head)
            super().save(*args, **kwargs)
            audit_chain.advance(head, self)


class AuditChainHead(models.Model):
    """The single row naming the last entry of the audit hash chain (审计日志链头).

    Writers lock it (``SELECT … FOR UPDATE``) to append, so two never chain to the same
    predecessor; ``gongkai audit verify`` compares it with the last entry to detect a cut tail.
    """

    sequence = models.PositiveBigIntegerField(_("最后序号"), default=0)
    entry_hash = models.CharField(_("最后哈希"), max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审计日志链头")
        verbose_name_plural = _("审计日志链头")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_auditchainhead_single_row")
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.entry_hash}"
