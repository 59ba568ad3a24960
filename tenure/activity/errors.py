"""Errors of the activity package: write keys and tracking messages."""

from tenure.core.errors import InvalidInput, NotFound, TenureError


class WriteKeyNotFound(NotFound):
    """No write key has the id asked for."""


class InvalidWriteKey(TenureError, PermissionError):
    """A tracking request carried no write key, an unknown one or a revoked one."""


class InvalidMessage(InvalidInput):
    """A tracking message (or batch) cannot be used as it is."""


class PayloadTooLarge(InvalidInput):
    """A tracking message or batch is larger than the API accepts."""
