"""The shapes data takes on its way in: source tables, entity rows and problems."""

from dataclasses import dataclass, field
from typing import Any

_SHOWN_VALUE_CHARS = 40


def show_value(value: object) -> str:
    """A short, quoted rendering of a cell for messages."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > _SHOWN_VALUE_CHARS:
        text = text[: _SHOWN_VALUE_CHARS - 3] + "..."
    return repr(text) if isinstance(value, str) else text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as a spreadsheet would show it.

    `row` is the 1-based row with the header as row 1 (so the first data row is
    2); for JSON lines it is the line number and for bundles the item number.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    reason: str
    is_warning: bool = False

    def describe(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where)
        if self.value is not None:
            text += f" (value {show_value(self.value)})"
        return f"{text}: {self.reason}"


@dataclass
class SourceRow:
    """One row as read from a file, before any mapping."""

    number: int
    values: dict[str, Any]


@dataclass
class SourceTable:
    """The rows of one file (or bundle table) and what went wrong reading it."""

    file: str
    name: str
    columns: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class EntityRow:
    """One row in canonical field names, still untyped, tied to its source row."""

    file: str
    number: int
    values: dict[str, Any]
    source: dict[str, Any]


@dataclass(frozen=True)
class PlanHistory:
    """Rows of one group ordered by a date; each ends where the next one starts."""

    group_by: str
    order_by: str
    end_field: str
    when: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class EntityTable:
    """Rows for one canonical entity, with where each field came from."""

    entity: str
    file: str
    rows: list[EntityRow] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    is_mapped: bool = False
    origins: dict[str, str] = field(default_factory=dict)
    plan_history: PlanHistory | None = None
    problems: list[Problem] = field(default_factory=list)

    def column_of(self, field_name: str) -> str:
        """The source column a canonical field came from, for messages."""
        return self.origins.get(field_name, field_name)
