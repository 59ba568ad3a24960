"""Mapping conversions, derived entities, filters and plan histories."""

from datetime import date

import pytest
from sqlalchemy import select

from tenure.core.db import make_session_factory
from tenure.ingest.errors import ImportRejected
from tenure.revenue.models import ContractLine
from tests.ingest.conftest import run_import, write_files

EXPORT = (
    "sub;cust;plan;trial;from;to;billing;monthly;yearly;renews;live\n"
    "s1;7;Pro;No;01/01/2024;;monthly;49.50;594;Yes;y\n"
    "s2;7;Pro;No;01/03/2024;;annual;49.50;594.00;No;y\n"
    "s3;7;Pro;Yes;15/01/2024;29/01/2024;monthly;0;0;No;y\n"
    "s4;7;Basic;No;01/06/2024;01/05/2025;monthly;19;228;Yes;y\n"
    "s5;8;Basic;No;01/02/2024;;monthly;19;228;Yes;n\n"
)

MAPPING = """
tables:
  - entity: accounts
    file: export.csv
    distinct: true
    columns:
      id: cust
      name: {template: "Customer {cust}"}
      segment: {constant: smb}
  - entity: contract_lines
    file: export.csv
    where: {live: y}
    columns:
      id: sub
      account_id: cust
      product: {column: plan, values: {Pro: pro, Basic: basic}}
      kind: {column: trial, values: {"Yes": trial, "No": paid}}
      starts_on: {column: from, date_format: "%d/%m/%Y"}
      ends_on: {column: to, date_format: "%d/%m/%Y"}
      interval: {column: billing, values: {monthly: month, annual: year}}
      amount_cents:
        choose: {by: billing, cases: {monthly: monthly, annual: yearly}}
        to_cents: true
      currency: {constant: EUR}
      auto_renew: {column: renews, boolean: {true: ["Yes"], false: ["No"]}}
    plan_history: {group_by: account_id, order_by: starts_on, when: {kind: paid}}
"""


def test_mapping_converts_derives_filters_and_builds_a_plan_history(
    workspace, tmp_path
):
    folder = write_files(tmp_path / "in", {"export.csv": EXPORT})
    (tmp_path / "map.yaml").write_text(MAPPING)

    report = run_import(workspace, folder, mapping_path=tmp_path / "map.yaml")

    with make_session_factory(workspace.engine)() as session:
        lines = session.scalars(select(ContractLine).order_by(ContractLine.id)).all()
    assert [(item.entity, item.read, item.new) for item in report.entities] == [
        ("accounts", 2, 2),
        ("contract_lines", 4, 4),
    ]
    # s1 ends where s2 starts; s2 ends where s4 starts; s3 is a trial and keeps
    # its own end; s4 keeps its own end (no later paid row); s5 is filtered out.
    assert [
        (
            line.id,
            line.product,
            line.kind,
            line.starts_on,
            line.ends_on,
            line.interval,
            line.amount_cents,
            line.currency,
            line.auto_renew,
        )
        for line in lines
    ] == [
        (
            "s1",
            "pro",
            "paid",
            date(2024, 1, 1),
            date(2024, 3, 1),
            "month",
            4950,
            "EUR",
            True,
        ),
        (
            "s2",
            "pro",
            "paid",
            date(2024, 3, 1),
            date(2024, 6, 1),
            "year",
            59400,
            "EUR",
            False,
        ),
        (
            "s3",
            "pro",
            "trial",
            date(2024, 1, 15),
            date(2024, 1, 29),
            "month",
            0,
            "EUR",
            False,
        ),
        (
            "s4",
            "basic",
            "paid",
            date(2024, 6, 1),
            date(2025, 5, 1),
            "month",
            1900,
            "EUR",
            True,
        ),
    ]


def test_plan_history_keeps_an_earlier_own_end(workspace, tmp_path):
    export = "sub,cust,start,end\ns1,1,2024-01-01,2024-02-01\ns2,1,2024-03-01,\n"
    mapping = """
tables:
  - entity: accounts
    file: export.csv
    distinct: true
    columns: {id: cust, name: {template: "Customer {cust}"}}
  - entity: contract_lines
    file: export.csv
    columns: {id: sub, account_id: cust, starts_on: start, ends_on: end}
    plan_history: {}
"""
    folder = write_files(tmp_path / "in", {"export.csv": export})
    (tmp_path / "map.yaml").write_text(mapping)

    run_import(workspace, folder, mapping_path=tmp_path / "map.yaml")

    with make_session_factory(workspace.engine)() as session:
        ends = session.execute(
            select(ContractLine.id, ContractLine.ends_on).order_by(ContractLine.id)
        ).all()
    assert [tuple(row) for row in ends] == [("s1", date(2024, 2, 1)), ("s2", None)]


def test_a_bad_row_of_a_file_feeding_two_tables_is_reported_once(workspace, tmp_path):
    export = b"sub,cust,start\ns1,1,2024-01-01\ns2,\xff,2024-02-01\n"
    mapping = """
tables:
  - entity: accounts
    file: export.csv
    distinct: true
    columns: {id: cust, name: {template: "Customer {cust}"}}
  - entity: contract_lines
    file: export.csv
    columns: {id: sub, account_id: cust, starts_on: start}
"""
    folder = write_files(tmp_path / "in", {"export.csv": export})
    (tmp_path / "map.yaml").write_text(mapping)

    with pytest.raises(ImportRejected) as caught:
        run_import(workspace, folder, mapping_path=tmp_path / "map.yaml")

    assert caught.value.problems == [
        "export.csv, row 3, column cust: invalid UTF-8 at byte offset 34; save the "
        "file as UTF-8"
    ]
