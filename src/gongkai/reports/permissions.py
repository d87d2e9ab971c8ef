"""Who may do what with annual reports (one table; checked through agencies.scoping)."""

from __future__ import annotations

from gongkai.agencies.models import Role
from gongkai.reports.models import Scope

#: Roles that may edit and lock a report, by scope. A subtree (consolidated) report is the
#: supervising office's work; an agency's own report is its disclosure office's.
EDIT_ROLES: dict[str, frozenset[Role]] = {
    Scope.SELF: frozenset({Role.OFFICER, Role.HEAD}),
    Scope.SUBTREE: frozenset({Role.SUPERVISOR, Role.HEAD}),
}
#: Publishing puts the report on the portal: the head of the disclosure office (or supervisor
#: for a consolidated report).
PUBLISH_ROLES: dict[str, frozenset[Role]] = {
    Scope.SELF: frozenset({Role.HEAD}),
    Scope.SUBTREE: frozenset({Role.SUPERVISOR, Role.HEAD}),
}
#: Anyone with a role in the agency (or a supervisor above it) may read.
READ_ROLES: frozenset[Role] = frozenset(Role)
