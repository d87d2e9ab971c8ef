"""Who may do what with letters (used by views; the rules also check issuing themselves).

- Read (letter pages, downloads, the list of a request's letters): every role, within the
  user's scope (:mod:`gongkai.agencies.scoping`: own agency; supervisors and administrators
  their subtree).
- Issue and void: the request agency's 公开专员 (officer) and 负责人 (head).
- Edit templates and letter settings: heads of the agency and administrators (whose role
  covers their subtree).
"""

from __future__ import annotations

from gongkai.agencies.models import Role

READ_ROLES: frozenset[Role] = frozenset(Role)
ISSUE_ROLES: frozenset[Role] = frozenset({Role.OFFICER, Role.HEAD})
TEMPLATE_ROLES: frozenset[Role] = frozenset({Role.HEAD, Role.ADMINISTRATOR})
