"""Domain exceptions.

Rules raise a :class:`DomainError` with a translatable Chinese message. The edges translate it:
a view into a form error, the API into a 4xx JSON body with ``code`` and ``message``, a CLI
command into a message on stderr and a non-zero exit code. Nothing above the rule decides what the
message says.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused an action. ``message`` is user-facing (Simplified Chinese)."""

    code: str = "domain_error"
    status: int = 400

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code
        self.field = field
        self.details = details or {}

    def __str__(self) -> str:
        return self.message


class NotFoundError(DomainError):
    code = "not_found"
    status = 404


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403
