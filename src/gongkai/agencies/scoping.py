"""The one scoping helper: what a staff user may see or change.

Every staff view, API endpoint and command builds its querysets from here, so a missing filter is
impossible rather than unlikely. Semantics:

- A membership with role officer, reviewer or head covers its own agency only.
- A supervisor or administrator membership covers the agency and its whole subtree.
- A superuser (system administrator) covers everything.
- Objects outside a user's scope are *not found* (404): their existence is not revealed.
  Objects inside the read scope but outside the write roles are *forbidden* (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from gongkai.agencies.models import SUBTREE_ROLES, Agency, Membership, Role

M = TypeVar("M", bound=Model)

ALL_ROLES: tuple[Role, ...] = tuple(Role)


def agencies_for(user: Any, roles: Iterable[Role | str] | None = None) -> QuerySet[Agency]:
    """Agencies in which ``user`` holds one of ``roles`` (any role when ``None``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    wanted = {Role(r) for r in (roles if roles is not None else ALL_ROLES)}
    memberships = Membership.objects.filter(user=user, role__in=wanted).select_related("agency")
    condition = Q(pk__in=[])
    for membership in memberships:
        if membership.role in SUBTREE_ROLES:
            condition |= Q(path__startswith=membership.agency.path)
        else:
            condition |= Q(pk=membership.agency_id)
    return Agency.objects.filter(condition)


def scope(
    queryset: QuerySet[M],
    user: Any,
    roles: Iterable[Role | str] | None = None,
    agency_field: str = "agency",
) -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``agency_field`` lies in the user's scope."""
    allowed = agencies_for(user, roles).values("pk")
    return queryset.filter(**{f"{agency_field}__in": allowed})


def roles_in(user: Any, agency: Agency) -> set[Role]:
    """The roles ``user`` effectively holds in ``agency`` (own and inherited from ancestors)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Role)
    ancestor_ids = [int(seg) for seg in agency.path.strip("/").split("/") if seg]
    result: set[Role] = set()
    for membership in Membership.objects.filter(user=user, agency_id__in=ancestor_ids):
        role = Role(membership.role)
        if membership.agency_id == agency.pk or role in SUBTREE_ROLES:
            result.add(role)
    return result


def has_role(user: Any, agency: Agency, roles: Iterable[Role | str]) -> bool:
    return bool(roles_in(user, agency) & {Role(r) for r in roles})


def get_in_scope_or_404(
    queryset: QuerySet[M],
    user: Any,
    *,
    roles: Iterable[Role | str] | None = None,
    agency_field: str = "agency",
    **lookup: Any,
) -> M:
    """Fetch one object the user may see; 404 when it does not exist *or* is out of scope."""
    try:
        return scope(queryset, user, roles, agency_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def require_role(user: Any, agency: Agency, roles: Iterable[Role | str]) -> None:
    """Raise ``PermissionDenied`` (403) unless the user holds one of ``roles`` in ``agency``."""
    if not has_role(user, agency, roles):
        raise PermissionDenied


def is_staff_user(user: Any) -> bool:
    """Whether the user belongs to the staff side at all (any membership, or superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()
