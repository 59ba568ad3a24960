"""The error tree: every error Tenure raises on purpose is a `TenureError`."""


class TenureError(Exception):
    """Base of all expected errors; the message is one sentence for a person."""


class ConfigurationError(TenureError, ValueError):
    """A setting is missing or invalid."""


class NotFound(TenureError, LookupError):
    """A record asked for by id does not exist."""


class InvalidInput(TenureError, ValueError):
    """Input given by a person or a file cannot be used as it is."""
