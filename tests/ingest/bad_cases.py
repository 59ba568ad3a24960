"""Bad inputs and the exact problems an import reports for them."""

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

LINES_HEADER = (
    "id,account_id,kind,starts_on,ends_on,interval,amount_cents,currency,quantity\n"
)


def _parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _lines(*rows: str) -> dict[str, str | bytes]:
    return {"contract_lines.csv": LINES_HEADER + "".join(row + "\n" for row in rows)}


# name -> (files, mapping YAML or None, problems as printed)
CASES: dict[str, tuple[dict[str, str | bytes], str | None, list[str]]] = {
    "truncated_row": (
        _lines(
            "l2,a1,paid,2024-02-01,,month,100", "l3,a2,paid,2024-02-01,,month,1,USD,1"
        ),
        None,
        [
            "contract_lines.csv, row 2: the row has 7 fields but the header has 9; "
            "check the delimiter and quoting"
        ],
    ),
    "wrong_delimiter": (
        _lines("l2;a1;paid;2024-02-01;;month;100;USD;1"),
        None,
        [
            "contract_lines.csv, row 2: the row has 1 fields but the header has 9; "
            "check the delimiter and quoting"
        ],
    ),
    "mixed_date_formats": (
        _lines(
            "l2,a1,paid,2024-02-01,,month,100,USD,1",
            "l3,a1,paid,01/02/2024,,month,100,USD,1",
        ),
        None,
        [
            "contract_lines.csv, row 3, column starts_on (value '01/02/2024'): "
            "expected a date as YYYY-MM-DD; set date_format in a mapping file for "
            "other layouts"
        ],
    ),
    "impossible_date": (
        _lines("l2,a1,paid,2024-02-30,,month,100,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column starts_on (value '2024-02-30'): "
            "not a calendar date (day is out of range for month)"
        ],
    ),
    "text_in_amount": (
        _lines("l2,a1,paid,2024-02-01,,month,12O0,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column amount_cents (value '12O0'): expected "
            "a whole number; write digits only, such as 1200"
        ],
    ),
    "decimal_in_cents": (
        _lines("l2,a1,paid,2024-02-01,,month,12.5,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column amount_cents (value '12.5'): expected "
            "a whole number; remove the decimals"
        ],
    ),
    "negative_seats": (
        _lines("l2,a1,paid,2024-02-01,,month,100,USD,-4"),
        None,
        [
            "contract_lines.csv, row 2, column quantity (value '-4'): quantity must "
            "be 0 or more"
        ],
    ),
    "negative_amount": (
        _lines("l2,a1,paid,2024-02-01,,month,-100,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column amount_cents (value '-100'): "
            "amount_cents must be 0 or more"
        ],
    ),
    "unknown_currency": (
        _lines("l2,a1,paid,2024-02-01,,month,100,USX,1"),
        None,
        [
            "contract_lines.csv, row 2, column currency (value 'USX'): unknown "
            "currency 'USX'; use a three-letter ISO 4217 code such as USD"
        ],
    ),
    "dangling_reference": (
        _lines("l2,a9,paid,2024-02-01,,month,100,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column account_id (value 'a9'): unknown "
            "account 'a9': it is neither in the store nor in this import; import it "
            "too or correct the id"
        ],
    ),
    "duplicate_ids": (
        _lines(
            "l2,a1,paid,2024-02-01,,month,100,USD,1",
            "l2,a2,paid,2024-03-01,,month,100,USD,1",
        ),
        None,
        [
            "contract_lines.csv, row 3, column id (value 'l2'): duplicate id l2: "
            "also in contract_lines.csv row 2; keep one of them"
        ],
    ),
    "unclosed_quote": (
        {"accounts.csv": 'id,name\na1,Alder\na3,"Gamma\na4,Delta\n'},
        None,
        [
            "accounts.csv, row 3: the CSV cannot be parsed from this line on "
            "(unexpected end of data); close the quote opened there or remove the "
            "stray quote"
        ],
    ),
    "text_after_a_closing_quote": (
        {"accounts.csv": 'id,name\na1,"Alder" Analytics\n'},
        None,
        [
            "accounts.csv, row 2: the CSV cannot be parsed from this line on "
            "(',' expected after '\"'); close the quote opened there or remove the "
            "stray quote"
        ],
    ),
    "empty_file": (
        {"accounts.csv": ""},
        None,
        ["accounts.csv: the file is empty; add a header row"],
    ),
    "missing_required_column": (
        {"accounts.csv": "id,segment\na3,smb\n"},
        None,
        [
            "accounts.csv, row 1, column name: the required column name is missing; "
            "add it to the header",
            "accounts.csv, row 2: the file lacks required columns",
        ],
    ),
    "blank_required_value": (
        {"accounts.csv": "id,name\na3,\n"},
        None,
        ["accounts.csv, row 2, column name: name is required; fill it in"],
    ),
    "huge_field": (
        {"accounts.csv": "id,name\na3," + "x" * 10_001 + "\n"},
        None,
        [
            "accounts.csv, row 2, column name (value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxx...'): the value has 10,001 characters, more than the 10,000 "
            "allowed; shorten it"
        ],
    ),
    "invalid_utf8": (
        {"accounts.csv": b"id,name\na3,Caf\xe9 Test\na4,Fine Test\n"},
        None,
        [
            "accounts.csv, row 2, column name: invalid UTF-8 at byte offset 14; "
            "save the file as UTF-8"
        ],
    ),
    "formula_cell": (
        {"accounts.csv": 'id,name\na3,"=HYPERLINK(""http://x.test"")"\n'},
        None,
        [
            "accounts.csv, row 2, column name (value '=HYPERLINK(\"http://x.test\")'): "
            "text starting with =, +, - or @ looks like a spreadsheet formula and "
            "would run when exported; remove the leading character"
        ],
    ),
    "ends_before_starts": (
        _lines("l2,a1,paid,2024-02-01,2024-01-01,month,100,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column ends_on (value '2024-01-01'): ends_on "
            "is before starts_on (2024-02-01); swap or correct the dates"
        ],
    ),
    "bad_enum": (
        _lines("l2,a1,paid,2024-02-01,,fortnight,100,USD,1"),
        None,
        [
            "contract_lines.csv, row 2, column interval (value 'fortnight'): "
            "interval must be one of week, month, quarter, year, once"
        ],
    ),
    "bad_boolean": (
        {"tickets.csv": "id,account_id,opened_at,is_escalated\nt1,a1,2024-03-01,yes\n"},
        None,
        [
            "tickets.csv, row 2, column is_escalated (value 'yes'): expected true or "
            "false; map other words with `boolean:` in a mapping file"
        ],
    ),
    "bad_instant": (
        {"tickets.csv": "id,account_id,opened_at\nt1,a1,yesterday\n"},
        None,
        [
            "tickets.csv, row 2, column opened_at (value 'yesterday'): expected an "
            "ISO 8601 instant such as 2024-05-01T09:30:00Z"
        ],
    ),
    "bad_json_line": (
        {
            "events.jsonl": (
                '{"message_id": "m2", "account_id": "a1", "name": "login", '
                '"occurred_at": "2024-03-02T09:00:00Z"}\n'
                '{"message_id": "m3", "account_id": "a1",\n'
            )
        },
        None,
        [
            'events.jsonl, row 2 (value \'{"message_id": "m3", "account_id": '
            '"a1",\'): the line is not valid JSON (Expecting property name enclosed '
            "in double quotes at character 41); write one JSON object per line"
        ],
    ),
    "event_properties_not_object": (
        {
            "events.jsonl": (
                '{"message_id": "m2", "account_id": "a1", "name": "login", '
                '"occurred_at": "2024-03-02T09:00:00Z", "properties": "[1, 2]"}\n'
            )
        },
        None,
        [
            "events.jsonl, row 1, column properties (value '[1, 2]'): expected a "
            'JSON object such as {"plan": "pro"}'
        ],
    ),
    "event_unknown_account": (
        {
            "events.jsonl": (
                '{"message_id": "m2", "account_id": "zz", "name": "login", '
                '"occurred_at": "2024-03-02T09:00:00Z"}\n'
            )
        },
        None,
        [
            "events.jsonl, row 1, column account_id (value 'zz'): unknown account "
            "'zz': it is neither in the store nor in this import; import it too or "
            "correct the id"
        ],
    ),
    "bundle_table_not_a_list": (
        {"bundle.yaml": "accounts:\n  id: a3\n  name: Third Test\n"},
        None,
        [
            "bundle.yaml#accounts: table 'accounts' is a dict, not a list of rows; "
            "write it as a list of objects"
        ],
    ),
    "bundle_item_not_object": (
        {"bundle.json": json.dumps({"accounts": [{"id": "a3", "name": "T"}, 7]})},
        None,
        [
            "bundle.json#accounts, row 2 (value 7): the item is not an object; "
            "write each row as field: value pairs"
        ],
    ),
    "unknown_entity_file": (
        {"acounts.csv": "id,name\na3,Third Test\n"},
        None,
        [
            "acounts.csv (value 'acounts'): 'acounts' is not an entity; name the "
            "file after one of users, accounts, contacts, contract_lines, "
            "discounts, pauses, cancellations, renewals, exchange_rates, costs, "
            "survey_responses, tickets, notes, events or import it with a mapping"
        ],
    ),
    "parquet_wrong_types": (
        {
            "contract_lines.parquet": _parquet(
                pa.table(
                    {
                        "id": ["l2"],
                        "account_id": ["a1"],
                        "starts_on": [20240201],
                        "amount_cents": [12.5],
                        "auto_renew": ["maybe"],
                    }
                )
            )
        },
        None,
        [
            "contract_lines.parquet, row 2, column starts_on (value 20240201): "
            "expected a date as YYYY-MM-DD; set date_format in a mapping file for "
            "other layouts",
            "contract_lines.parquet, row 2, column amount_cents (value 12.5): "
            "expected a whole number; remove the decimals",
            "contract_lines.parquet, row 2, column auto_renew (value 'maybe'): "
            "expected true or false; map other words with `boolean:` in a mapping "
            "file",
        ],
    ),
    "survey_score_out_of_range": (
        {
            "survey_responses.csv": (
                "id,account_id,kind,score,responded_at\n"
                "r1,a1,nps,11,2024-03-01T10:00:00+01:00\n"
            )
        },
        None,
        [
            "survey_responses.csv, row 2, column score (value '11'): score must be "
            "10 or less"
        ],
    ),
    "mapping_date_format_mismatch": (
        {"export.csv": "acct,title,since\na3,Third Test,2024-03-01\n"},
        """
tables:
  - entity: accounts
    file: export.csv
    columns:
      id: acct
      name: title
      created_on: {column: since, date_format: "%d/%m/%Y"}
""",
        [
            "export.csv, row 2, column since (value '2024-03-01'): the date does not "
            "match the format '%d/%m/%Y'"
        ],
    ),
    "mapping_value_not_in_map": (
        {"export.csv": "acct,title,tier\na3,Third Test,Gold\n"},
        """
tables:
  - entity: accounts
    file: export.csv
    columns:
      id: acct
      name: title
      segment: {column: tier, values: {Basic: smb, Pro: mid}}
""",
        [
            "export.csv, row 2, column tier (value 'Gold'): the value is not in the "
            "mapping's value map; expected one of Basic, Pro"
        ],
    ),
    "mapping_amount_not_a_number": (
        {"export.csv": "sub,acct,start,dollars\ns1,a1,2024-03-01,twelve\n"},
        """
tables:
  - entity: contract_lines
    file: export.csv
    columns:
      id: sub
      account_id: acct
      starts_on: start
      amount_cents: {column: dollars, to_cents: true}
""",
        [
            "export.csv, row 2, column dollars (value 'twelve'): the amount is not a "
            "number; write digits such as 12.50"
        ],
    ),
}

CASES["repeated_column"] = (
    {"accounts.csv": "id,name,name\na3,Third Test,Other\n"},
    None,
    [
        "accounts.csv, row 1, column name: the column name appears 2 times in the "
        "header; keep one"
    ],
)

CASES["longer_than_the_column"] = (
    {"accounts.csv": "id,name,segment\na3,Third Test," + "s" * 65 + "\n"},
    None,
    [
        "accounts.csv, row 2, column segment (value 'sssssssssssssssssssssssssssssss"
        "ssssss...'): segment has 65 characters, more than the 64 it can hold; "
        "shorten it"
    ],
)

CASES["too_many_decimals"] = (
    {"users.csv": "id,email,name,fte\nu2,two@example.test,Sam Reed,0.555\n"},
    None,
    [
        "users.csv, row 2, column fte (value '0.555'): fte has more than 2 decimals; "
        "round it"
    ],
)

CASES["number_too_large_for_the_store"] = (
    _lines("l2,a1,paid,2024-02-01,,month,100,USD,3000000000"),
    None,
    [
        "contract_lines.csv, row 2, column quantity (value '3000000000'): quantity "
        "is larger than the store can hold (2,147,483,647)"
    ],
)

CASES["duplicate_user_email"] = (
    {
        "users.csv": (
            "id,email,name\nu2,same@example.test,Sam Reed\n"
            "u3,same@example.test,Kim Lee\n"
        )
    },
    None,
    [
        "users.csv, row 3, column email (value 'same@example.test'): duplicate email "
        "same@example.test: also in users.csv row 2; keep one of them"
    ],
)

CASES["absurdly_large_number"] = (
    _lines("l2,a1,paid,2024-02-01,,month,1e999999999,USD,1"),
    None,
    [
        "contract_lines.csv, row 2, column amount_cents (value '1e999999999'): the "
        "number is too large"
    ],
)

CASES["invalid_utf8_json_line"] = (
    {
        "events.jsonl": (
            b'\xef\xbb\xbf{"message_id": "m2", "account_id": "a1", "name": "login", '
            b'"occurred_at": "2024-03-02T09:00:00Z"}\n{"name": "\xc3("}\n'
        ),
    },
    None,
    ["events.jsonl, row 2: invalid UTF-8 at byte offset 110; save the file as UTF-8"],
)
