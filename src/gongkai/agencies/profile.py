"""An agency's public profile: its contact details and disclosure guide (政府信息公开指南).

条例第十二条: the guide states how information is classified and arranged, how to obtain it,
and the disclosure office's name, address, office hours, telephone, fax and internet contact;
it must be kept up to date. The administrators and heads of an agency keep it so here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import has_role
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site import audit

#: Roles that may edit an agency's profile (administrators also below their agency).
EDIT_ROLES = frozenset({Role.ADMINISTRATOR, Role.HEAD})

#: The fields an agency's own staff maintain.
PROFILE_FIELDS = (
    "credit_code",
    "office_name",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "guide_text",
)

AUDIT_ACTION = "agency.profile_update"
audit.register_action(AUDIT_ACTION, gettext_lazy("修改机构信息和公开指南"))


def update_profile(agency: Agency, values: Mapping[str, Any], *, actor: Any) -> Agency:
    """Change the profile fields in ``values``, validated; audit the change with before/after.

    Raises :class:`PermissionDeniedError` unless ``actor`` is an administrator or head of the
    agency, and :class:`DomainError` (with ``field`` and all messages in ``details``) when a value
    is invalid — a credit code with a wrong check character, a malformed e-mail or postcode.
    Nothing is saved then. Returns the saved agency; an unchanged profile writes nothing.
    """
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise DomainError(
            _("不能在此修改这些字段：%(fields)s") % {"fields": "、".join(unknown)},
            code="not_editable",
        )
    if not has_role(actor, agency, EDIT_ROLES):
        raise PermissionDeniedError(_("只有本机构的管理员或负责人可以修改机构信息。"))
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        before = audit.snapshot(locked, list(PROFILE_FIELDS))
        for name, value in values.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        try:
            locked.full_clean(
                exclude=[f.name for f in Agency._meta.fields if f.name not in PROFILE_FIELDS],
                validate_unique=False,
            )
        except ValidationError as exc:
            messages = exc.message_dict
            first = next(iter(messages))
            raise DomainError(
                messages[first][0],
                code="invalid_profile",
                field=first if first in PROFILE_FIELDS else None,
                details=messages,
            ) from exc
        after = audit.snapshot(locked, list(PROFILE_FIELDS))
        changed = [name for name in PROFILE_FIELDS if before[name] != after[name]]
        if not changed:
            return locked
        locked.save(update_fields=[*changed, "updated_at"])
        audit.record(actor, AUDIT_ACTION, locked, agency=locked, before=before, after=after)
    return locked
