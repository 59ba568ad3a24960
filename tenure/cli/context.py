"""What every command receives from the global options."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import typer

from tenure.core.settings import Settings
from tenure.core.workspace import Workspace, open_workspace

# The one `--skip-invalid` flag shared by every import command.
SkipInvalidOption = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Write the valid rows and save the rejected ones as CSV.",
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass
class CliState:
    settings: Settings


def settings_of(ctx: typer.Context) -> Settings:
    state = ctx.find_root().obj
    assert isinstance(state, CliState)
    return state.settings


def workspace_of(ctx: typer.Context) -> Workspace:
    return open_workspace(settings_of(ctx))
