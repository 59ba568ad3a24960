"""`tenure surveys` as a user runs it: create, campaign, list, results."""

import json
import os

from tenure.core.db import transaction
from tenure.surveys.answers import ImportedAnswer, import_answers
from tests.cli.process import run_tenure
from tests.surveys.conftest import SENT_AT, seed_book


def _env(workspace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENURE_")}
    env["TENURE_HOME"] = str(workspace.settings.home)
    env["TENURE_DATABASE_URL"] = workspace.settings.resolved_database_url
    return env


def test_create_campaign_list_and_results(workspace):
    seed_book(workspace)
    env = _env(workspace)
    with transaction(workspace.engine) as session:
        import_answers(
            session,
            "nps-q4",
            [
                ImportedAnswer("x1", "a-north", 10, SENT_AT, "c-n1", "Love it."),
                ImportedAnswer("x2", "a-east", 4, SENT_AT, "c-e1"),
            ],
            now=SENT_AT,
        )

    created = run_tenure(
        "surveys", "create", "csat-onboarding", "--kind", "csat", env=env
    )
    campaign = run_tenure(
        "surveys", "campaign", "spring", "--survey", "csat-onboarding",
        "--segment", "smb", "--role", "admin", "--attribute", "plan=pro",
        "--sample-rate", "0.5", "--starts-at", "2027-03-01T09:00", env=env,
    )  # fmt: skip
    listed = run_tenure("surveys", "list", "--format", "json", env=env)
    results = run_tenure(
        "surveys", "results", "nps-q4", "--period", "2026-11", "--by", "segment",
        "--comments", "--format", "json", env=env,
    )  # fmt: skip

    assert created.stdout.strip() == "survey csat-onboarding created (csat)"
    assert (
        campaign.stdout.strip() == "campaign spring scheduled for 2027-03-01 09:00 UTC"
    )
    assert "csat-onboarding" in listed.stdout
    nps_rows, comment_rows = (json.loads(x) for x in results.stdout.splitlines())
    assert {r["segment"]: r["NPS"] for r in nps_rows} == {
        "enterprise": "-100",
        "smb": "100",
    }
    assert comment_rows == [
        {
            "account": "North Works",
            "score": "10",
            "group": "promoter",
            "on": "2026-11-02",
            "comment": "Love it.",
        }
    ]


def test_an_unknown_segment_ends_in_one_error_line(workspace):
    seed_book(workspace)

    result = run_tenure(
        "surveys", "campaign", "c1", "--survey", "nps-q4", "--segment", "midmarket",
        env=_env(workspace),
    )  # fmt: skip

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: no account is in segment 'midmarket'; known segments: enterprise, smb"
    )
