"""Mapping rules used by event imports: `first_in_group` and `pick_by_hash`."""

import hashlib

import pytest
import yaml

from tenure.ingest.errors import InvalidMapping
from tenure.ingest.mapping import parse_mapping
from tenure.ingest.service import read_tables

CLICKS = (
    "user,session,event,at\n"
    "u1,s1,search,2024-01-01 10:00:05\n"
    "u1,s1,home,2024-01-01 10:00:00\n"
    "u1,s2,cart,2024-01-02 09:00:00\n"
    "u2,s3,home,2024-01-03 11:00:00\n"
    "u2,s3,home,2024-01-03 11:00:00\n"
)
ACCOUNTS = "id,name\nacc-c,C\nacc-a,A\nacc-b,B\n"


def _tables(tmp_path, columns, *, entity="events"):
    (tmp_path / "clicks.csv").write_text(CLICKS)
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    mapping = {
        "version": 1,
        "tables": [
            {"entity": entity, "file": "clicks.csv", "columns": columns},
        ],
    }
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(mapping))
    return read_tables(tmp_path / "clicks.csv", mapping_path=path)


def test_first_event_of_each_session_becomes_a_login(tmp_path):
    (table,) = _tables(
        tmp_path,
        {
            "message_id": {"template": "{session}/{at}/{event}"},
            "name": {
                "column": "event",
                "first_in_group": {
                    "group_by": "session",
                    "order_by": "at",
                    "value": "login",
                },
            },
        },
    )

    names = [row.values["name"] for row in table.rows]

    # s1 starts with `home` at 10:00:00 (the second row); s3's two equal rows
    # keep file order, so only the first becomes the login.
    assert names == ["search", "login", "login", "login", "home"]


def test_pick_by_hash_is_the_sha256_position_in_the_sorted_values(tmp_path):
    (table,) = _tables(
        tmp_path,
        {
            "id": {"template": "contact-{user}"},
            "account_id": {
                "column": "user",
                "pick_by_hash": {"file": "accounts.csv", "column": "id"},
            },
        },
        entity="contacts",
    )
    choices = ["acc-a", "acc-b", "acc-c"]

    def expected(user):
        digest = hashlib.sha256(user.encode()).digest()
        return choices[int.from_bytes(digest[:8], "big") % 3]

    assert [row.values["account_id"] for row in table.rows] == [
        expected(user) for user in ("u1", "u1", "u1", "u2", "u2")
    ]


def test_pick_by_hash_names_a_missing_column(tmp_path):
    with pytest.raises(InvalidMapping) as caught:
        _tables(
            tmp_path,
            {
                "id": {"template": "contact-{user}"},
                "account_id": {
                    "column": "user",
                    "pick_by_hash": {"file": "accounts.csv", "column": "account"},
                },
            },
            entity="contacts",
        )
    assert str(caught.value) == (
        "mapping key tables[0].columns.account_id.pick_by_hash.column: accounts.csv "
        "has no column 'account'"
    )


def test_first_in_group_needs_its_columns(tmp_path):
    with pytest.raises(InvalidMapping) as caught:
        _tables(
            tmp_path,
            {
                "message_id": {"template": "{session}/{at}"},
                "name": {
                    "column": "event",
                    "first_in_group": {
                        "group_by": "visit",
                        "order_by": "at",
                        "value": "login",
                    },
                },
            },
        )
    assert "first_in_group.group_by: clicks.csv has no column 'visit'" in str(
        caught.value
    )


def test_first_in_group_rejects_unknown_keys():
    with pytest.raises(InvalidMapping) as caught:
        parse_mapping(
            {
                "tables": [
                    {
                        "entity": "events",
                        "file": "x.csv",
                        "columns": {
                            "name": {
                                "column": "event",
                                "first_in_group": {
                                    "group_by": "s",
                                    "order_by": "t",
                                    "value": "login",
                                    "sort": "desc",
                                },
                            }
                        },
                    }
                ]
            },
            source="m.yaml",
        )
    assert "unknown key" in str(caught.value)


def test_a_broken_gzip_file_is_named_with_the_fix(tmp_path):
    broken = tmp_path / "events.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not really gzip")

    (table,) = read_tables(broken)

    assert table.entity == "events"
    assert [problem.describe() for problem in table.problems] == [
        table.problems[0].describe()
    ]
    assert "the file is not valid gzip" in table.problems[0].describe()
    assert "compress it again or unzip it" in table.problems[0].describe()
