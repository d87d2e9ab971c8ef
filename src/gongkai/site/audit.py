"""The one helper that writes the audit log.

Each entry is sealed into a SHA-256 hash chain when saved (:mod:`gongkai.site.audit_chain`);
``gongkai audit verify`` checks the chain.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.site.models import AuditEntry

#: Chinese display text of each action code; apps add theirs with :func:`register_action`.
ACTION_LABELS: dict[str, Any] = {
    "user.password_change": _("修改密码"),
}


def register_action(code: str, label: Any) -> None:
    """Declare the display text (a lazy translation) of an audit action code."""
    ACTION_LABELS[code] = label


def action_label(code: str) -> str:
    """The Chinese text for ``code``; the code itself when none was registered."""
    return str(ACTION_LABELS.get(code, code))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (for the before/after of an audit entry)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for fields whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    agency: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry. ``action`` is a stable code such as ``agency.update``.

    The entry is numbered, time-stamped and hashed onto the chain in the same transaction.
    """
    changes: dict[str, Any] = {}
    if before is not None or after is not None:
        changes["fields"] = diff(_plain(before or {}), _plain(after or {}))
    if extra:
        changes["extra"] = _plain(extra)
    if agency is None and getattr(obj, "agency_id", None):
        agency = obj.agency  # type: ignore[attr-defined]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=((user.get_full_name() or user.get_username()) if user else "")[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        agency=agency,
        changes=changes,
    )


def entries_for(obj: models.Model):
    """The audit entries of one object, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
