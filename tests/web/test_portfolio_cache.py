"""The web application keeps one portfolio per as-of day until the store changes."""

import threading
from datetime import UTC, date, datetime

from sqlalchemy import update

from tenure.accounts.models import Account, Note
from tenure.core.db import transaction
from tenure.core.revision import store_revision
from tenure.revenue.models import ContractLine
from tenure.web.portfolio_cache import PortfolioCache
from tests.factories import make_line

AS_OF = date(2024, 6, 30)


def _seed(workspace) -> None:
    with transaction(workspace.engine) as session:
        session.add(Account(id="acct-1", name="First Test"))
        session.flush()
        session.add(make_line())


def test_a_portfolio_is_kept_until_a_figure_table_changes(workspace):
    _seed(workspace)
    cache = PortfolioCache(workspace.engine, workspace.settings)
    first = cache.get(AS_OF)

    with transaction(workspace.engine) as session:
        session.add(
            Note(
                id="n1",
                account_id="acct-1",
                occurred_at=datetime(2024, 6, 1, tzinfo=UTC),
                text="A note changes no figure",
            )
        )
    kept = cache.get(AS_OF)
    with transaction(workspace.engine) as session:
        session.execute(
            update(ContractLine)
            .where(ContractLine.id == "line-1")
            .values(amount_cents=20000)
        )
    rebuilt = cache.get(AS_OF)

    assert kept is first
    assert first.arr_cents("acct-1") == 120000
    assert rebuilt is not first
    assert rebuilt.arr_cents("acct-1") == 240000


def test_every_write_to_a_figure_table_moves_the_revision(workspace):
    _seed(workspace)
    seen = [store_revision(workspace.engine)]
    with transaction(workspace.engine) as session:
        session.execute(update(Account).values(segment="mid"))
    seen.append(store_revision(workspace.engine))
    with transaction(workspace.engine) as session:
        session.query(ContractLine).delete()
    seen.append(store_revision(workspace.engine))

    assert seen == sorted(seen) and len(set(seen)) == 3


def test_concurrent_requests_share_one_build_and_days_are_kept_apart(workspace):
    _seed(workspace)
    cache = PortfolioCache(workspace.engine, workspace.settings)
    got = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get(AS_OF))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({id(portfolio) for portfolio in got}) == 1
    assert cache.get(date(2023, 12, 31)).arr_cents("acct-1") == 0


def test_a_portfolio_older_than_the_age_limit_is_rebuilt(workspace):
    _seed(workspace)
    cache = PortfolioCache(workspace.engine, workspace.settings, max_age_seconds=0)

    assert cache.get(AS_OF) is not cache.get(AS_OF)
