"""A canonical bundle with every entity loads, and loading it again changes nothing."""

import json

from tests.ingest.conftest import dump, run_import, write_files

BUNDLE = {
    "users": [
        {
            "id": "u1",
            "email": "lead@example.test",
            "name": "Robin Vale",
            "role": "leader",
            "fte": "0.5",
            "joined_on": "2023-01-02",
            "capacity_accounts": 40,
            "capacity_arr_cents": 150_000_000,
        }
    ],
    "accounts": [
        {"id": "a1", "name": "Acme Test Co", "csm_id": "u1", "parent_id": "a0"},
        {"id": "a0", "name": "Acme Holding Test", "country": "DE"},
    ],
    "contacts": [
        {"id": "c1", "account_id": "a1", "email": "pat@example.test", "name": "Pat"}
    ],
    "contract_lines": [
        {
            "id": "l1",
            "account_id": "a1",
            "product": "pro",
            "kind": "paid",
            "starts_on": "2024-01-01",
            "ends_on": "2025-01-01",
            "interval": "year",
            "interval_count": 1,
            "amount_cents": 1_200_000,
            "currency": "eur",
            "quantity": 10,
            "auto_renew": True,
            "cancellation_notice_on": "2024-11-01",
        }
    ],
    "discounts": [
        {
            "id": "d1",
            "contract_line_id": "l1",
            "duration": "forever",
            "percent_off": "12.5",
            "starts_on": "2024-01-01",
        }
    ],
    "pauses": [
        {"id": "p1", "account_id": "a1", "starts_on": "2024-06-01", "ends_on": None}
    ],
    "cancellations": [
        {
            "id": "x1",
            "account_id": "a1",
            "contract_line_id": "l1",
            "requested_on": "2024-10-01",
            "effective_on": "2025-01-01",
            "reason": "budget",
        }
    ],
    "renewals": [
        {
            "id": "r1",
            "account_id": "a1",
            "due_on": "2025-01-01",
            "outcome": "churned",
            "arr_before_cents": 1_200_000,
            "arr_after_cents": 0,
            "currency": "EUR",
        }
    ],
    "exchange_rates": [
        {
            "currency": "EUR",
            "quote_currency": "USD",
            "rate_on": "2024-01-01",
            "rate": "1.1041",
        },
        {
            "currency": "EUR",
            "quote_currency": "USD",
            "rate_on": "2024-02-01",
            "rate": "1.0812",
        },
    ],
    "costs": [
        {
            "id": "k1",
            "period": "2024-Q1",
            "category": "cs_opex",
            "amount_cents": 4_500_000,
            "currency": "USD",
        }
    ],
    "survey_responses": [
        {
            "id": "s1",
            "account_id": "a1",
            "contact_id": "c1",
            "kind": "nps",
            "score": 9,
            "responded_at": "2024-03-01T10:00:00+01:00",
        }
    ],
    "tickets": [
        {
            "id": "t1",
            "account_id": "a1",
            "opened_at": "2024-03-01T08:00:00Z",
            "closed_at": "2024-03-02T08:00:00Z",
            "priority": "high",
            "satisfaction": 4,
            "is_escalated": False,
        }
    ],
    "notes": [
        {
            "id": "n1",
            "account_id": "a1",
            "author_id": "u1",
            "kind": "call",
            "occurred_at": "2024-03-03T15:00:00",
            "text": "Quarterly review.",
        }
    ],
    "events": [
        {
            "message_id": "e1",
            "account_id": "a1",
            "contact_id": "c1",
            "name": "login",
            "occurred_at": "2024-03-04T07:00:00-05:00",
            "properties": {"plan": "pro"},
        }
    ],
}


def test_every_entity_loads_from_a_bundle_and_reloads_unchanged(workspace, tmp_path):
    folder = write_files(tmp_path / "in", {"bundle.json": json.dumps(BUNDLE)})

    first = run_import(workspace, folder)
    state = dump(workspace)
    second = run_import(workspace, folder)

    assert [(item.entity, item.new) for item in first.entities] == [
        (name, len(rows)) for name, rows in BUNDLE.items()
    ]
    assert [(item.new, item.changed) for item in second.entities] == [(0, 0)] * 14
    assert dump(workspace) == state
    assert ("EUR", "USD", "2024-02-01", "1.0812000000") in state["exchange_rates"]
    assert [row[:2] for row in state["survey_responses"]] == [("s1", "nps")]
