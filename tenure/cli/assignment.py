"""`tenure users`, `tenure assignment` and `tenure accounts assign`."""

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from tenure.accounts.access import set_password
from tenure.accounts.assignment import (
    AssignmentReport,
    assign_account,
    assign_unassigned_accounts,
    reassign_book,
    record_departure,
)
from tenure.accounts.assignment_history import assignment_history, book_of_business
from tenure.accounts.assignment_rules import add_rule, list_rules, remove_rule
from tenure.accounts.roster import (
    add_user,
    coverage_of,
    get_user_or_raise,
    list_users,
    set_capacity,
    set_coverage,
    set_role,
)
from tenure.cli.context import OutputFormat, settings_of, workspace_of
from tenure.cli.listing import AsOf, Format, day_or_today, print_rows, today
from tenure.core.db import transaction
from tenure.revenue.policy import MetricOptions
from tenure.revenue.service import arr_by_account

users_app = typer.Typer(help="The roster: Tenure users and CSMs.", no_args_is_help=True)
assignment_app = typer.Typer(
    help="Assignment rules and runs that give every account a CSM.",
    no_args_is_help=True,
)
rules_app = typer.Typer(
    help="Assignment rules, tried by priority.", no_args_is_help=True
)
assignment_app.add_typer(rules_app, name="rules")
accounts_app = typer.Typer(help="Accounts.", no_args_is_help=True)

USER_COLUMNS = (
    "id",
    "name",
    "role",
    "fte",
    "joined_on",
    "left_on",
    "capacity_accounts",
    "capacity_arr_cents",
    "segments",
    "territories",
)


def _arr(ctx: typer.Context, session: Session, on: date) -> dict[str, int]:
    """ARR per account on a day, in the workspace's reporting currency."""
    settings = settings_of(ctx)
    options = MetricOptions(
        timezone=settings.timezone, reporting_currency=settings.reporting_currency
    )
    return arr_by_account(session, on=on, options=options)


def print_report(report: AssignmentReport) -> None:
    verb = "would move" if report.dry_run else "moved"
    for move in report.moves:
        typer.echo(
            f"{move.account_id}: {move.from_csm_id or '-'} -> {move.to_csm_id} "
            f"(rule {move.rule})"
        )
    for unplaced in report.unassigned:
        typer.echo(f"{unplaced.account_id}: left without a CSM: {unplaced.reason}")
    typer.echo(
        f"{verb} {len(report.moves)} accounts on {report.as_of}; "
        f"{len(report.unassigned)} without a CSM"
        + (
            f"; {len(report.recorded)} imported CSMs recorded"
            if report.recorded
            else ""
        )
    )


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(help="Short unique id, such as 'ada'.")],
    email: Annotated[str, typer.Option("--email")],
    name: Annotated[str, typer.Option("--name")],
    role: Annotated[
        str, typer.Option("--role", help="admin, leader, csm or viewer.")
    ] = "csm",
    fte: Annotated[
        float, typer.Option("--fte", help="Share of a full-time job.")
    ] = 1.0,
    joined_on: Annotated[
        datetime | None, typer.Option("--joined-on", formats=["%Y-%m-%d"])
    ] = None,
    capacity_accounts: Annotated[
        int | None, typer.Option("--capacity-accounts")
    ] = None,
    capacity_arr_cents: Annotated[
        int | None, typer.Option("--capacity-arr-cents")
    ] = None,
    segment: Annotated[
        list[str] | None, typer.Option("--segment", help="Covered segment; repeat.")
    ] = None,
    territory: Annotated[
        list[str] | None, typer.Option("--territory", help="Covered country; repeat.")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            help="Let the user sign in with this password (else use set-password).",
        ),
    ] = None,
) -> None:
    """Add a user to the roster (signing in needs a password)."""
    with transaction(workspace_of(ctx).engine) as session:
        add_user(
            session,
            user_id=user_id,
            email=email,
            name=name,
            role=role,
            fte=Decimal(str(fte)),
            joined_on=joined_on.date() if joined_on else None,
            capacity_accounts=capacity_accounts,
            capacity_arr_cents=capacity_arr_cents,
            segments=segment or (),
            territories=territory or (),
        )
        if password is not None:
            set_password(session, email, password)
    typer.echo(f"added {role} {user_id}")


@users_app.command("set-password")
def users_set_password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The user's e-mail.")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from stdin."),
    ] = False,
) -> None:
    """Set the password a user signs in with (asked for unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with transaction(workspace_of(ctx).engine) as session:
        set_password(session, email, password)
    typer.echo(f"password set for {email}")


@users_app.command("list")
def users_list(ctx: typer.Context, fmt: Format = OutputFormat.table) -> None:
    """List the roster with capacity and coverage."""
    with transaction(workspace_of(ctx).engine) as session:
        users = list_users(session)
        coverage = coverage_of(session, [user.id for user in users])
        rows = [
            (
                u.id,
                u.name,
                u.role,
                float(u.fte) if fmt is OutputFormat.json else u.fte,
                u.joined_on,
                u.left_on,
                u.capacity_accounts,
                u.capacity_arr_cents,
                ",".join(sorted(coverage[u.id].segments)),
                ",".join(sorted(coverage[u.id].territories)),
            )
            for u in users
        ]
    if fmt is OutputFormat.json:
        typer.echo(
            json.dumps(
                [dict(zip(USER_COLUMNS, row, strict=True)) for row in rows], default=str
            )
        )
        return
    print_rows(USER_COLUMNS, rows, fmt)


@users_app.command("set-role")
def users_set_role(
    ctx: typer.Context,
    user_id: str,
    role: Annotated[str, typer.Argument(help="admin, leader, csm or viewer.")],
) -> None:
    """Change a user's role."""
    with transaction(workspace_of(ctx).engine) as session:
        set_role(session, user_id, role)
    typer.echo(f"{user_id} is now {role}")


@users_app.command("set-capacity")
def users_set_capacity(
    ctx: typer.Context,
    user_id: str,
    fte: Annotated[float | None, typer.Option("--fte")] = None,
    capacity_accounts: Annotated[
        int | None, typer.Option("--capacity-accounts")
    ] = None,
    capacity_arr_cents: Annotated[
        int | None, typer.Option("--capacity-arr-cents")
    ] = None,
    no_limit: Annotated[
        bool, typer.Option("--no-limit", help="Remove both capacity limits.")
    ] = False,
) -> None:
    """Change a CSM's FTE or capacity."""
    with transaction(workspace_of(ctx).engine) as session:
        set_capacity(
            session,
            user_id,
            fte=Decimal(str(fte)) if fte is not None else None,
            capacity_accounts=capacity_accounts,
            capacity_arr_cents=capacity_arr_cents,
            clear_limits=no_limit,
        )
    typer.echo(f"capacity of {user_id} updated")


@users_app.command("set-coverage")
def users_set_coverage(
    ctx: typer.Context,
    user_id: str,
    segment: Annotated[
        list[str] | None, typer.Option("--segment", help="Covered segment; repeat.")
    ] = None,
    territory: Annotated[
        list[str] | None, typer.Option("--territory", help="Covered country; repeat.")
    ] = None,
) -> None:
    """Replace the segments and territories a CSM covers (none: any)."""
    with transaction(workspace_of(ctx).engine) as session:
        set_coverage(
            session, user_id, segments=segment or (), territories=territory or ()
        )
    typer.echo(f"coverage of {user_id} updated")


@users_app.command("leave")
def users_leave(
    ctx: typer.Context,
    user_id: str,
    on: Annotated[
        datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="First day away.")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Preview only.")] = False,
) -> None:
    """Record that a CSM leaves and move their book to others by the rules."""
    with transaction(workspace_of(ctx).engine) as session:
        report = record_departure(
            session,
            user_id,
            left_on=on.date(),
            dry_run=dry_run,
            arr_by_account=_arr(ctx, session, on.date()),
        )
    print_report(report)


@users_app.command("book")
def users_book(ctx: typer.Context, user_id: str, as_of: AsOf = None) -> None:
    """List the accounts in a CSM's book of business on a day."""
    with transaction(workspace_of(ctx).engine) as session:
        get_user_or_raise(session, user_id)
        for account_id in book_of_business(
            session, user_id, as_of=day_or_today(ctx, as_of)
        ):
            typer.echo(account_id)


@rules_app.command("list")
def rules_list(ctx: typer.Context, fmt: Format = OutputFormat.table) -> None:
    """List the rules in the order they are tried."""
    with transaction(workspace_of(ctx).engine) as session:
        rules = list_rules(session)
    rows = [
        (
            r.priority,
            r.name,
            r.describe(),
            r.strategy,
            ",".join(r.csm_ids) or "covering",
        )
        for r in rules
    ]
    print_rows(("priority", "name", "matches", "strategy", "csms"), rows, fmt)


@rules_app.command("add")
def rules_add(
    ctx: typer.Context,
    name: str,
    priority: Annotated[
        int, typer.Option("--priority", help="Lower is tried first.")
    ] = 100,
    segment: Annotated[
        str | None, typer.Option("--segment", help="One or a,b,c.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="One or a,b,c.")
    ] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="One or a,b,c.")] = None,
    strategy: Annotated[
        str,
        typer.Option("--strategy", help="balance_count, balance_arr or round_robin."),
    ] = "balance_count",
    csm: Annotated[
        list[str] | None,
        typer.Option("--csm", help="CSM in the pool; repeat. Default: covering CSMs."),
    ] = None,
) -> None:
    """Add a rule; one without --segment, --country or --plan matches every account."""
    with transaction(workspace_of(ctx).engine) as session:
        rule = add_rule(
            session,
            name=name,
            priority=priority,
            segment=segment,
            country=country,
            plan=plan,
            strategy=strategy,
            csm_ids=csm or (),
        )
    typer.echo(f"added rule {rule.name} ({rule.describe()})")


@rules_app.command("remove")
def rules_remove(ctx: typer.Context, name: str) -> None:
    """Remove a rule by name."""
    with transaction(workspace_of(ctx).engine) as session:
        remove_rule(session, name)
    typer.echo(f"removed rule {name}")


@assignment_app.command("run")
def assignment_run(
    ctx: typer.Context,
    as_of: AsOf = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Preview only.")] = False,
) -> None:
    """Give every account without a CSM one by the rules (ARR as of that day)."""
    day = day_or_today(ctx, as_of)
    with transaction(workspace_of(ctx).engine) as session:
        report = assign_unassigned_accounts(
            session,
            as_of=day,
            arr_by_account=_arr(ctx, session, day),
            dry_run=dry_run,
        )
    print_report(report)


@assignment_app.command("reassign")
def assignment_reassign(
    ctx: typer.Context,
    csm_id: str,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Preview only.")] = False,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of", formats=["%Y-%m-%d"], help="Default: their left_on, else today."
        ),
    ] = None,
) -> None:
    """Move a CSM's whole book to other CSMs by the rules."""
    with transaction(workspace_of(ctx).engine) as session:
        user = get_user_or_raise(session, csm_id)
        day = as_of.date() if as_of else (user.left_on or today(ctx))
        report = reassign_book(
            session,
            csm_id,
            as_of=day,
            dry_run=dry_run,
            arr_by_account=_arr(ctx, session, day),
        )
    print_report(report)


@assignment_app.command("history")
def assignment_history_command(
    ctx: typer.Context, account_id: str, fmt: Format = OutputFormat.table
) -> None:
    """Show every CSM an account has had."""
    with transaction(workspace_of(ctx).engine) as session:
        rows = [
            (s.csm_id, s.starts_on, s.ends_on, s.changed_by, s.reason)
            for s in assignment_history(session, account_id)
        ]
    print_rows(("csm", "starts_on", "ends_on", "changed_by", "reason"), rows, fmt)


@accounts_app.command("assign")
def accounts_assign(
    ctx: typer.Context,
    account_id: str,
    csm_id: str,
    reason: Annotated[str, typer.Option("--reason", help="Why, in a few words.")] = (
        "manual assignment"
    ),
    as_of: AsOf = None,
) -> None:
    """Give an account to a CSM by hand, overriding the rules."""
    with transaction(workspace_of(ctx).engine) as session:
        changed = assign_account(
            session, account_id, csm_id, as_of=day_or_today(ctx, as_of), reason=reason
        )
    typer.echo(
        f"{account_id} assigned to {csm_id}"
        if changed
        else f"{account_id} is already with {csm_id}"
    )
