"""Errors raised by imports; each message names the file, row and column at fault."""

from tenure.core.errors import InvalidInput


class IngestError(InvalidInput):
    """An import could not run or was refused."""


class UnreadableSource(IngestError):
    """A path or file cannot be read as import data at all."""


class InvalidMapping(IngestError):
    """The column-mapping file is malformed; the message names the mapping key."""


class ImportRejected(IngestError):
    """Rows failed validation and nothing was written."""

    def __init__(self, message: str, *, problems: list[str], report_path: str) -> None:
        super().__init__(message)
        self.problems = problems
        self.report_path = report_path


class StoreRefused(IngestError):
    """The database refused rows that passed validation; nothing was written."""
