"""`tenure accounts list|show`: accounts as a table, JSON or CSV."""

import csv
import json
import sys
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tenure.accounts.models import Account
from tenure.accounts.service import get_account_or_raise, list_accounts
from tenure.cli.context import OutputFormat, settings_of, workspace_of
from tenure.cli.listing import AsOf, day_or_today
from tenure.core.db import make_session_factory
from tenure.core.money import minor_digits
from tenure.revenue.policy import MetricOptions
from tenure.revenue.service import arr_by_account

ACCOUNT_FIELDS = (
    "id",
    "name",
    "segment",
    "industry",
    "country",
    "plan",
    "created_on",
    "onboarding_stage",
    "csm_id",
    "billing_id",
    "crm_id",
    "parent_id",
)
LINE_FIELDS = (
    "id",
    "product",
    "kind",
    "starts_on",
    "ends_on",
    "interval",
    "interval_count",
    "amount_cents",
    "arr_cents",
    "currency",
    "quantity",
    "auto_renew",
)
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table, json or csv.")
]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record(item: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(item, name)) for name in fields}


def _show_table(
    title: str, records: list[dict[str, Any]], fields: tuple[str, ...]
) -> None:
    table = Table(title=title)
    for name in fields:
        table.add_column(name)
    for record in records:
        table.add_row(
            *("" if record[name] is None else str(record[name]) for name in fields)
        )
    Console().print(table)


def _major(cents: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{Decimal(cents).scaleb(-digits):,.{digits}f} {currency}"


def _write_csv(records: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)


def list_command(
    ctx: typer.Context,
    segment: Annotated[
        str | None, typer.Option("--segment", help="Only this segment.")
    ] = None,
    as_of: AsOf = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List accounts (ordered by name) with their ARR on a day."""
    workspace = workspace_of(ctx)
    currency = settings_of(ctx).reporting_currency
    on = day_or_today(ctx, as_of)
    with make_session_factory(workspace.engine)() as session:
        accounts: list[Account] = list_accounts(session, segment=segment)
        arr = arr_by_account(
            session,
            on=on,
            options=MetricOptions(
                timezone=settings_of(ctx).timezone, reporting_currency=currency
            ),
        )
    records = [
        {
            **_record(account, ACCOUNT_FIELDS),
            "arr_cents": arr.get(account.id, 0),
            "currency": currency,
        }
        for account in accounts
    ]
    fields = (*ACCOUNT_FIELDS, "arr_cents", "currency")
    if output is OutputFormat.json:
        typer.echo(json.dumps(records, indent=2))
    elif output is OutputFormat.csv:
        _write_csv(records, fields)
    else:
        for record in records:
            record["arr"] = _major(record["arr_cents"], currency)
        shown = ("id", "name", "segment", "country", "plan", "csm_id", "arr")
        _show_table(f"{len(records)} accounts, ARR on {on}", records, shown)


def show_command(
    ctx: typer.Context,
    account_id: Annotated[str, typer.Argument(metavar="ID", help="Account id.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show one account: its fields, CSM and contract lines (CSV: the lines)."""
    workspace = workspace_of(ctx)
    with make_session_factory(workspace.engine)() as session:
        detail = get_account_or_raise(session, account_id)
    record = _record(detail.account, ACCOUNT_FIELDS)
    csm = (
        {"id": detail.csm.id, "name": detail.csm.name, "email": detail.csm.email}
        if detail.csm
        else None
    )
    lines = [_record(line, LINE_FIELDS) for line in detail.contract_lines]
    if output is OutputFormat.json:
        typer.echo(
            json.dumps({**record, "csm": csm, "contract_lines": lines}, indent=2)
        )
    elif output is OutputFormat.csv:
        _write_csv(lines, LINE_FIELDS)
    else:
        console = Console()
        for name in ACCOUNT_FIELDS:
            console.print(
                f"[bold]{name}[/bold]: {'' if record[name] is None else record[name]}"
            )
        console.print(f"[bold]CSM[/bold]: {csm['name'] if csm else '(none assigned)'}")
        shown = ("id", "product", "kind", "starts_on", "ends_on", "interval")
        _show_table("contract lines", lines, (*shown, "amount_cents", "quantity"))


def add_account_commands(group: typer.Typer) -> typer.Typer:
    """Attach `list` and `show` to an `accounts` command group (shared with others)."""
    group.command("list")(list_command)
    group.command("show")(show_command)
    return group
