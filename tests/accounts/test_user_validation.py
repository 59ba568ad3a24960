"""`tenure import` of users refuses exactly what `tenure users add` refuses."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tenure.accounts.errors import InvalidRosterEntry
from tenure.accounts.roster import add_user, list_users
from tenure.core.db import make_session_factory, transaction
from tenure.ingest.errors import ImportRejected
from tenure.ingest.service import import_path
from tests.ingest.conftest import write_files

NOW = datetime(2024, 6, 1, tzinfo=UTC)

BAD = [
    ("email", "bo.example.test", "'bo.example.test' is not an e-mail address"),
    ("email", "bo@localhost", "'bo@localhost' is not an e-mail address"),
    ("fte", "1.5", "FTE 1.5 is out of range"),
    ("fte", "0", "FTE 0 is out of range"),
]


@pytest.mark.parametrize(("field", "value", "reason"), BAD)
def test_the_import_and_users_add_refuse_the_same_values(
    workspace, tmp_path, field, value, reason
):
    values = {"id": "bo", "email": "bo@example.test", "name": "Bo", "fte": "1"}
    values[field] = value
    users = "id,email,name,fte\n" + ",".join(values.values()) + "\n"

    with pytest.raises(ImportRejected) as rejected:
        import_path(workspace, write_files(tmp_path, {"users.csv": users}), now=NOW)
    with (
        pytest.raises(InvalidRosterEntry, match=reason),
        transaction(workspace.engine) as session,
    ):
        add_user(
            session,
            user_id="bo",
            email=values["email"],
            name="Bo",
            fte=Decimal(values["fte"]),
        )

    (problem,) = rejected.value.problems
    assert problem.startswith(f"users.csv, row 2, column {field}")
    assert reason in problem


def test_emails_differing_only_in_case_are_one_e_mail_in_an_import(workspace, tmp_path):
    users = "id,email,name\nada,ada@example.test,Ada\nbo,ADA@Example.Test,Bo\n"

    with pytest.raises(ImportRejected) as rejected:
        import_path(workspace, write_files(tmp_path, {"users.csv": users}), now=NOW)

    (problem,) = rejected.value.problems
    assert problem.startswith("users.csv, row 3, column email")
    assert "also in users.csv row 2 (case does not count)" in problem
    with make_session_factory(workspace.engine)() as session:
        assert list_users(session) == []


def test_a_user_may_change_the_case_of_their_own_email_by_import(workspace, tmp_path):
    with transaction(workspace.engine) as session:
        add_user(session, user_id="ada", email="ada@example.test", name="Ada")
    users = "id,email,name\nada,Ada@Example.test,Ada\n"

    import_path(workspace, write_files(tmp_path, {"users.csv": users}), now=NOW)

    with make_session_factory(workspace.engine)() as session:
        (user,) = list_users(session)
        assert user.email == "Ada@Example.test"
