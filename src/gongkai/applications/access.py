"""Who may see and who may act on disclosure requests: the one role table of the staff side.

Reading (inbox, request page, attachments, ledger) is open to every role within the user's scope
(:mod:`gongkai.agencies.scoping`: officers, reviewers and heads see their own agency; supervisors
and administrators their whole subtree). Acting is for the agency's own 公开专员 (officer) and
负责人 (head); approving or refusing an extension is for the head alone (条例第三十三条第二款:
「经政府信息公开工作机构负责人同意」). Reviewers, supervisors and administrators read only.

Views, the API and commands all use this table; ``tests/applications/test_permissions.py``
checks it row by row.

The applicant's identity number and telephone (个人信息) are shown in full only to the people who
handle the request: :func:`personal_data` is the one rule (docs/decisions.md, "Who sees an
applicant's identity number and telephone").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.agencies.scoping import get_in_scope_or_404, has_role, scope
from gongkai.applications.models import Application
from gongkai.core.errors import PermissionDeniedError
from gongkai.core.masking import mask_id_number, mask_phone

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


# --- personal data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """The applicant's identity number and telephone as one viewer may see them."""

    id_number: str
    phone: str
    full: bool
    erased: bool


def sees_personal_data(user: Any, application: Application) -> bool:
    """Whether ``user`` handles ``application``: holds the officer (公开专员) or head (负责人) role
    *in the request's own agency*. Reviewers, supervisors of parent agencies, administrators and
    superusers without such a membership see masked values; so does everybody off the staff side."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, agency_id=application.agency_id, role__in=HANDLER_ROLES
    ).exists()


def personal_data(user: Any, application: Application) -> PersonalData:
    """THE rule for showing personal data (templates and API): full to the handling officers,
    masked (:mod:`gongkai.core.masking`) to everyone else, empty once erased."""
    erased = application.personal_data_erased_on is not None
    if not erased and sees_personal_data(user, application):
        return PersonalData(application.id_number, application.phone, full=True, erased=False)
    return PersonalData(
        mask_id_number(application.id_number),
        mask_phone(application.phone),
        full=False,
        erased=erased,
    )
