"""Errors of accounts, the CSM roster, assignment, onboarding and notes."""

from tenure.core.errors import InvalidInput, NotFound, TenureError


class AccountNotFound(NotFound):
    """No account has the id asked for."""


class UserNotFound(NotFound):
    """No Tenure user has the id asked for."""


class RuleNotFound(NotFound):
    """No assignment rule has the name asked for."""


class InvalidRosterEntry(InvalidInput):
    """A user or CSM field cannot be used as given."""


class InvalidRule(InvalidInput):
    """An assignment rule cannot be stored as given."""


class InvalidNote(InvalidInput):
    """A note or note tag cannot be stored as given."""


class InvalidMilestone(InvalidInput):
    """An onboarding milestone or template cannot be used as given."""


class CapacityExhausted(TenureError):
    """Every CSM a rule could pick is at capacity; nothing was assigned."""


class NoCsmAvailable(TenureError):
    """No rule or CSM can take an account that must move; nothing was changed."""


class NoteNotFound(NotFound):
    """No note has the id asked for."""


class TokenNotFound(NotFound):
    """No API token has the id asked for, or the caller may not see it."""
