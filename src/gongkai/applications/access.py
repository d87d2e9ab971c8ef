"""Who may see and who may act on disclosure requests: the one role table of the staff side.

Reading (inbox, request page, attachments, ledger) is open to every role within the user's scope
(:mod:`gongkai.agencies.scoping`: officers, reviewers and heads see their own agency; supervisors
and administrators their whole subtree). Acting is for the agency's own 公开专员 (officer) and
负责人 (head); approving or refusing an extension is for the head alone (条例第三十三条第二款:
「经政府信息公开工作机构负责人同意」). Reviewers, supervisors and administrators read only.

Views, the API and commands all use this table; ``tests/applications/test_permissions.py``
checks it row by row.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import get_in_scope_or_404, has_role, scope
from gongkai.applications.models import Application
from gongkai.core.errors import PermissionDeniedError

#: Every role may read what lies in its scope.
READ_ROLES: frozenset[Role] = frozenset(Role)
#: The people who handle requests of their agency.
HANDLER_ROLES: frozenset[Role] = frozenset({Role.OFFICER, Role.HEAD})
#: 政府信息公开工作机构负责人.
HEAD_ROLES: frozenset[Role] = frozenset({Role.HEAD})


class Action(StrEnum):
    """The staff actions on a request (each one POST URL of the request page)."""

    REGISTER = "register"
    CONFIRM_RECEIPT = "confirm_receipt"
    ASSIGN = "assign"
    REQUEST_CORRECTION = "request_correction"
    RECORD_CORRECTION = "record_correction"
    OPEN_CONSULTATION = "open_consultation"
    CLOSE_CONSULTATION = "close_consultation"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    SET_ART35_DEADLINE = "set_art35_deadline"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_PAYMENT = "record_payment"
    REPLY = "reply"
    RECORD_DELIVERY = "record_delivery"
    RECORD_WITHDRAWAL = "record_withdrawal"
    ADD_NOTE = "add_note"
    CREATE_APPEAL = "create_appeal"
    UPDATE_APPEAL = "update_appeal"


#: THE role table: which roles (held in the request's agency) may perform each action.
ACTION_ROLES: dict[Action, frozenset[Role]] = {action: HANDLER_ROLES for action in Action} | {
    Action.APPROVE_EXTENSION: HEAD_ROLES,
    Action.REFUSE_EXTENSION: HEAD_ROLES,
}

#: Clock and workflow event types that only a head may append (see :data:`ACTION_ROLES`).
HEAD_ONLY_EVENTS = frozenset({"extension_granted", "extension_refused"})


def readable(user: Any) -> QuerySet[Application]:
    """The requests ``user`` may read (inbox, ledger): their agencies, supervisors' subtrees."""
    return scope(Application.objects.all(), user, READ_ROLES)


def get_readable_or_404(user: Any, **lookup: Any) -> Application:
    """One request the user may read; 404 when absent *or* outside the user's scope."""
    return get_in_scope_or_404(
        Application.objects.select_related("agency", "assigned_to", "created_by"),
        user,
        roles=READ_ROLES,
        **lookup,
    )


def may(user: Any, action: Action | str, agency: Agency) -> bool:
    """Whether ``user`` holds a role allowing ``action`` in ``agency``."""
    return has_role(user, agency, ACTION_ROLES[Action(action)])


def check(user: Any, action: Action | str, agency: Agency) -> None:
    """Raise :class:`PermissionDeniedError` (403) unless ``user`` may perform ``action``.

    ``user=None`` is the system itself (``gongkai tick``, demo data) and is always allowed.
    """
    if user is None:
        return
    action = Action(action)
    if not may(user, action, agency):
        if ACTION_ROLES[action] == HEAD_ROLES:
            message = _("只有政府信息公开工作机构负责人可以审批延期答复（条例第三十三条第二款）。")
        else:
            message = _("只有本机关的公开专员或负责人可以办理申请；您只能查看。")
        raise PermissionDeniedError(message)
