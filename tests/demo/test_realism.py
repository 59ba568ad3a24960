"""The demo company behaves like a real one: usage fades before churn, and so on."""

import csv
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tenure.demo.generator import GeneratedCompany, generate_company
from tests.demo.conftest import END_ON, SEED

ANNUAL_FACTOR = {"week": 52, "month": 12, "quarter": 4, "year": 1}


def read(folder: Path, stem: str) -> list[dict[str, str]]:
    with (folder / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def day(value: str) -> date:
    return date.fromisoformat(value[:10])


def login_days_by_account(folder: Path) -> dict[str, list[date]]:
    table = pq.read_table(folder / "events.parquet")
    logins = table.filter(pc.equal(table["name"], "login"))
    days: dict[str, list[date]] = defaultdict(list)
    for account_id, at in zip(
        logins["account_id"].to_pylist(), logins["occurred_at"].to_pylist(), strict=True
    ):
        days[account_id].append(at.date())
    return days


def test_logins_fall_in_the_60_days_before_churn(company: GeneratedCompany) -> None:
    logins = login_days_by_account(company.out_dir)
    first_on = date(2024, 12, 1)
    recent_total = earlier_total = falling = compared = 0
    for row in read(company.out_dir, "cancellations"):
        churned_on = day(row["effective_on"])
        if not first_on + timedelta(days=120) <= churned_on <= END_ON:
            continue
        days = logins[row["account_id"]]
        recent = sum(churned_on - timedelta(60) <= d < churned_on for d in days)
        earlier = sum(
            churned_on - timedelta(120) <= d < churned_on - timedelta(60) for d in days
        )
        recent_total, earlier_total = recent_total + recent, earlier_total + earlier
        if earlier >= 5:
            compared += 1
            falling += recent < earlier
    assert compared >= 30
    assert recent_total < 0.7 * earlier_total
    assert falling >= 0.75 * compared


def test_nps_of_accounts_that_later_churn_is_lower(company: GeneratedCompany) -> None:
    churned_on: dict[str, date] = {}
    for row in read(company.out_dir, "cancellations"):
        if day(row["effective_on"]) <= END_ON:
            churned_on.setdefault(row["account_id"], day(row["effective_on"]))
    before_churn: list[int] = []
    staying: list[int] = []
    for row in read(company.out_dir, "survey_responses"):
        if row["kind"] != "nps":
            continue
        score, account_id = int(row["score"]), row["account_id"]
        if account_id not in churned_on:
            staying.append(score)
        elif day(row["responded_at"]) < churned_on[account_id]:
            before_churn.append(score)
    assert len(before_churn) >= 50
    assert nps(before_churn) + 20 < nps(staying)
    assert sum(before_churn) / len(before_churn) < sum(staying) / len(staying) - 1


def test_every_account_has_a_csm_on_the_roster(company: GeneratedCompany) -> None:
    csms = {
        row["id"]: row for row in read(company.out_dir, "users") if row["role"] == "csm"
    }
    for account in read(company.out_dir, "accounts"):
        assert account["csm_id"] in csms
        assert csms[account["csm_id"]]["left_on"] == ""


def test_csm_notes_are_written_by_the_accounts_csm(company: GeneratedCompany) -> None:
    csm_of = {row["id"]: row["csm_id"] for row in read(company.out_dir, "accounts")}
    for note in read(company.out_dir, "notes"):
        assert note["author_id"] == csm_of[note["account_id"]]


def test_the_roster_is_a_real_cs_team(company: GeneratedCompany) -> None:
    users = read(company.out_dir, "users")
    roles = Counter(row["role"] for row in users)
    assert roles["admin"] == 1 and roles["leader"] == 1 and roles["csm"] >= 3
    assert all(0.5 <= float(row["fte"]) <= 1.0 for row in users)


def test_notes_fall_within_their_authors_tenure(company: GeneratedCompany) -> None:
    users = {row["id"]: row for row in read(company.out_dir, "users")}
    for note in read(company.out_dir, "notes"):
        author = users[note["author_id"]]
        assert day(author["joined_on"]) <= day(note["occurred_at"])
        assert not author["left_on"] or day(note["occurred_at"]) < day(
            author["left_on"]
        )


def nps(scores: list[int]) -> float:
    promoters = sum(score >= 9 for score in scores)
    detractors = sum(score <= 6 for score in scores)
    return 100 * (promoters - detractors) / len(scores)


def arr_on(
    when: date, lines: list[dict[str, str]], discounts: list[dict[str, str]]
) -> Counter[str]:
    """ARR per account on a day, with repeating and forever discounts in force."""

    def in_force(row: dict[str, str], start: str, end: str) -> bool:
        return day(row[start]) <= when and (not row[end] or when < day(row[end]))

    percent_by_line: Counter[str] = Counter()
    percent_by_account: Counter[str] = Counter()
    for row in discounts:
        if row["duration"] == "once" or not in_force(row, "starts_on", "ends_on"):
            continue
        if row["account_id"]:
            percent_by_account[row["account_id"]] += float(row["percent_off"])
        else:
            percent_by_line[row["contract_line_id"]] += float(row["percent_off"])
    arr: Counter[str] = Counter()
    for line in lines:
        if line["kind"] != "paid" or not in_force(line, "starts_on", "ends_on"):
            continue
        percent = percent_by_line[line["id"]] + percent_by_account[line["account_id"]]
        full = int(line["amount_cents"]) * ANNUAL_FACTOR[line["interval"]]
        arr[line["account_id"]] += max(0.0, full * (1 - percent / 100))
    return arr


@pytest.fixture(scope="module")
def calibration_company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("calibration") / "company"
    generate_company(out_dir, accounts=500, months=24, seed=SEED, end_on=END_ON)
    return out_dir


def test_500_accounts_over_24_months_look_like_a_real_company(
    calibration_company: Path,
) -> None:
    lines = read(calibration_company, "contract_lines")
    discounts = read(calibration_company, "discounts")
    month_starts = [
        date(2024 + (11 + i) // 12, (11 + i) % 12 + 1, 1) for i in range(25)
    ]
    snapshots = [
        arr_on(start - timedelta(1), lines, discounts) for start in month_starts
    ]

    monthly_gross = [
        sum(max(0.0, arr - end.get(account, 0.0)) for account, arr in start.items())
        / sum(start.values())
        for start, end in pairwise(snapshots)
    ]
    yearly_nrr = [
        sum(end.get(account, 0.0) for account in start) / sum(start.values())
        for start, end in (
            (snapshots[0], snapshots[12]),
            (snapshots[12], snapshots[24]),
        )
    ]
    scores = [
        int(row["score"])
        for row in read(calibration_company, "survey_responses")
        if row["kind"] == "nps"
    ]
    paying_now = {
        line["account_id"]: line["interval"]
        for line in lines
        if line["kind"] == "paid"
        and day(line["starts_on"]) <= END_ON
        and (not line["ends_on"] or day(line["ends_on"]) > END_ON)
    }
    annual_share = Counter(paying_now.values())["year"] / len(paying_now)

    assert 0.01 <= sum(monthly_gross) / len(monthly_gross) <= 0.03
    assert all(0.95 <= nrr <= 1.15 for nrr in yearly_nrr), yearly_nrr
    assert 10 <= nps(scores) <= 50
    assert 0.25 <= annual_share <= 0.45
