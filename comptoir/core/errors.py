"""Errors actions raise; edges turn them into HTTP codes, form errors or exit codes."""

from __future__ import annotations

from comptoir.core.permissions import PermissionDenied

__all__ = ["ActionError", "Conflict", "NotFound", "PermissionDenied", "ValidationFailed"]


class ActionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(ActionError):
    """Input was refused; `fields` maps field names to messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class NotFound(ActionError):
    pass


class Conflict(ActionError):
    pass
