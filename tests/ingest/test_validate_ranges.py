"""Values that would import and then break every metric run are refused up front."""

import pytest

from tenure.ingest.errors import ImportRejected
from tests.ingest.conftest import dump, run_import, write_files

LINES = "id,account_id,starts_on,ends_on,amount_cents,currency\n"
WHERE = "contract_lines.csv, row 2, column"

CASES = {
    "ends_on_far_future": (
        {"contract_lines.csv": LINES + "l7,a1,2024-01-01,9999-12-31,100,USD\n"},
        f"{WHERE} ends_on (value '9999-12-31'): ends_on is outside "
        "1900-01-01..2999-12-31, the dates Tenure accepts; correct the year, or "
        "leave the cell empty for an open-ended line",
    ),
    "starts_on_far_future": (
        {"contract_lines.csv": LINES + "l7,a1,9999-12-31,,100,USD\n"},
        f"{WHERE} starts_on (value '9999-12-31'): starts_on is outside "
        "1900-01-01..2999-12-31, the dates Tenure accepts; correct the year",
    ),
    "starts_on_year_one": (
        {"contract_lines.csv": LINES + "l7,a1,0001-01-01,,100,USD\n"},
        f"{WHERE} starts_on (value '0001-01-01'): starts_on is outside "
        "1900-01-01..2999-12-31, the dates Tenure accepts; correct the year",
    ),
    "amount_near_two_to_the_63": (
        {"contract_lines.csv": LINES + "l7,a1,2024-01-01,,9223372036854775000,USD\n"},
        f"{WHERE} amount_cents (value '9223372036854775000'): amount_cents is "
        "above the largest amount Tenure accepts (1,000,000,000,000,000 minor "
        "units); check that the column holds cents, not a larger unit",
    ),
    "zero_exchange_rate": (
        {
            "exchange_rates.csv": "currency,quote_currency,rate_on,rate\nEUR,USD,"
            "2024-01-01,0\n"
        },
        "exchange_rates.csv, row 2, column rate (value '0'): rate must be above 0",
    ),
    "month_thirteen": (
        {"costs.csv": "id,period,category,amount_cents\nc1,2024-13,cs_opex,100\n"},
        "costs.csv, row 2, column period (value '2024-13'): expected a month, "
        "quarter or year such as 2024-01, 2024-Q1 or 2024",
    ),
    "period_as_a_range": (
        {
            "costs.csv": "id,period,category,amount_cents\n"
            "c1,2024-01-01..2024-02-01,cs_opex,100\n"
        },
        "costs.csv, row 2, column period (value '2024-01-01..2024-02-01'): "
        "expected a month, quarter or year such as 2024-01, 2024-Q1 or 2024",
    ),
    "own_parent": (
        {"accounts.csv": "id,name,parent_id\na7,Seventh Test,a7\n"},
        "accounts.csv, row 2, column parent_id (value 'a7'): account 'a7' names "
        "itself as its parent; clear parent_id or name another account",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_out_of_range_is_refused_and_nothing_is_written(name, seeded, tmp_path):
    files, expected = CASES[name]
    before = dump(seeded)

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, write_files(tmp_path / "input", files))

    assert caught.value.problems == [expected]
    assert dump(seeded) == before


def test_a_parent_cycle_is_refused_on_every_row_in_it(seeded, tmp_path):
    files = {
        "accounts.csv": "id,name,parent_id\n"
        "a7,Seventh Test,a8\na8,Eighth Test,a9\na9,Ninth Test,a7\n"
    }
    before = dump(seeded)

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, write_files(tmp_path / "input", files))

    assert caught.value.problems == [
        "accounts.csv, row 2, column parent_id (value 'a8'): the parents of "
        "account 'a7' form a cycle (a7 -> a8 -> a9 -> a7); clear parent_id on one "
        "of them",
        "accounts.csv, row 3, column parent_id (value 'a9'): the parents of "
        "account 'a8' form a cycle (a8 -> a9 -> a7 -> a8); clear parent_id on one "
        "of them",
        "accounts.csv, row 4, column parent_id (value 'a7'): the parents of "
        "account 'a9' form a cycle (a9 -> a7 -> a8 -> a9); clear parent_id on one "
        "of them",
    ]
    assert dump(seeded) == before


def test_a_parent_cycle_closed_through_stored_accounts_is_refused(seeded, tmp_path):
    run_import(
        seeded,
        write_files(
            tmp_path / "first",
            {
                "accounts.csv": "id,name,parent_id\n"
                "a7,Seventh Test,a8\na8,Eighth Test,\n"
            },
        ),
    )
    before = dump(seeded)

    with pytest.raises(ImportRejected) as caught:
        run_import(
            seeded,
            write_files(
                tmp_path / "second",
                {"accounts.csv": "id,name,parent_id\na8,Eighth Test,a7\n"},
            ),
        )

    assert caught.value.problems == [
        "accounts.csv, row 2, column parent_id (value 'a7'): the parents of "
        "account 'a8' form a cycle (a8 -> a7 -> a8); clear parent_id on one of them"
    ]
    assert dump(seeded) == before


def test_dates_amounts_and_periods_at_the_limits_are_accepted(seeded, tmp_path):
    files = {
        "contract_lines.csv": LINES + "l7,a1,1900-01-01,2999-12-31,"
        "1000000000000000,USD\n",
        "costs.csv": "id,period,category,amount_cents\n"
        "c1,2024-01,cs_opex,100\nc2,2024-q1,cs_opex,100\nc3,2024,cs_opex,100\n",
        "accounts.csv": "id,name,parent_id\na7,Seventh Test,a1\n",
    }

    report = run_import(seeded, write_files(tmp_path / "input", files))

    assert report.is_written
    assert report.problems == []
