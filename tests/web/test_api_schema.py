"""Every JSON endpoint, driven from /api/openapi.json: no input makes a 5xx."""

from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tenure.accounts.access import create_token
from tenure.core.db import transaction

# schemathesis.pytest.from_fixture fails on pytest 9 (it reads a node's private
# `_nodeid`), so each operation's strategy is driven with Hypothesis directly.
OPERATIONS = [
    ("/api/health", "GET"),
    ("/api/accounts", "GET"),
    ("/api/accounts/{account_id}", "GET"),
    ("/api/accounts/{account_id}/notes", "POST"),
    ("/api/accounts/{account_id}/health", "GET"),
    ("/api/alerts", "GET"),
    ("/api/alerts/{alert_id}/acknowledge", "POST"),
    ("/api/alerts/{alert_id}/snooze", "POST"),
    ("/api/alerts/{alert_id}/resolve", "POST"),
    ("/api/metrics", "GET"),
    ("/api/renewals", "GET"),
    ("/api/users", "GET"),
    ("/api/users", "POST"),
    ("/api/users/{user_id}", "GET"),
    ("/api/users/{user_id}", "PATCH"),
    ("/api/users/{user_id}/book", "GET"),
    ("/api/users/{user_id}/departure/preview", "POST"),
    ("/api/users/{user_id}/departure", "POST"),
    ("/api/assignment-rules", "GET"),
    ("/api/assignment-rules", "POST"),
    ("/api/assignment-rules/{rule_id}", "GET"),
    ("/api/assignment-rules/{rule_id}", "PUT"),
    ("/api/assignment-rules/{rule_id}", "DELETE"),
    ("/api/accounts/{account_id}/csm", "GET"),
    ("/api/accounts/{account_id}/csm", "PUT"),
    ("/api/accounts/{account_id}/milestones/{name}", "PUT"),
    ("/api/onboarding/templates", "GET"),
    ("/api/onboarding/templates/{segment}", "PUT"),
    ("/api/onboarding/milestones", "GET"),
    ("/api/note-tags", "GET"),
    ("/api/note-tags", "POST"),
    ("/api/note-tags/{name}", "DELETE"),
    ("/api/notes", "GET"),
    ("/api/notes/{note_id}/tags", "PUT"),
    ("/api/churn-reasons", "GET"),
    ("/api/scorecards", "GET"),
    ("/api/scorecards/{scorecard_id}", "GET"),
    ("/api/scorecards/{scorecard_id}", "PUT"),
    ("/api/alert-rules", "GET"),
    ("/api/alert-rules", "POST"),
    ("/api/alert-rules/{rule_id}", "GET"),
    ("/api/alert-rules/{rule_id}", "PUT"),
    ("/api/tokens", "GET"),
    ("/api/tokens", "POST"),
    ("/api/tokens/{token_id}", "DELETE"),
    ("/api/surveys", "GET"),
    ("/api/surveys/results", "GET"),
    ("/api/surveys/{survey_id}/responses", "POST"),
]
EXAMPLES = 15


@pytest.fixture
def api_token(scored_site) -> str:
    with transaction(scored_site.workspace.engine) as session:
        plain, _ = create_token(
            session,
            name="schema test",
            email=scored_site.admin_email,
            now=datetime(2026, 12, 1, tzinfo=UTC),
        )
    return plain


def test_the_list_covers_every_documented_operation(client):
    """Every JSON API operation is fuzzed; the Segment-compatible tracking API
    under /v1 authenticates with write keys and has its own tests."""
    document = client.get("/api/openapi.json").json()
    documented = {
        (path, method.upper())
        for path, methods in document["paths"].items()
        for method in methods
        if path.startswith("/api/")
    }
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_request_makes_a_server_error(scored_site, api_token, path, method):
    schema = schemathesis.openapi.from_url(f"{scored_site.url}/api/openapi.json")
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {api_token}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(
            base_url=scored_site.url,
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance],
            timeout=120,
        )

    run()
