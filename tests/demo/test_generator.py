"""Seeded, streamed generation: same seed, same bytes; bad sizes get clear errors."""

from datetime import date
from pathlib import Path

import pytest

from tenure.core.errors import InvalidInput
from tenure.demo.generator import GeneratedCompany, generate_company
from tenure.demo.timeline import Window, add_months

FILES = (
    "users.csv", "accounts.csv", "contacts.csv", "contract_lines.csv",
    "discounts.csv", "pauses.csv", "cancellations.csv", "renewals.csv",
    "costs.csv", "survey_responses.csv", "tickets.csv", "notes.csv",
    "events.parquet", "README.txt",
)  # fmt: skip


def _generate(out_dir: Path, *, seed: int) -> GeneratedCompany:
    return generate_company(
        out_dir, accounts=120, months=12, seed=seed, end_on=date(2025, 6, 30)
    )


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = _generate(tmp_path / "first", seed=5)
    second = _generate(tmp_path / "second", seed=5)
    assert sorted(_contents(first.out_dir)) == sorted(FILES)
    assert _contents(first.out_dir) == _contents(second.out_dir)
    assert first.counts() == second.counts()


def test_a_different_seed_gives_different_files(tmp_path: Path) -> None:
    first = _contents(_generate(tmp_path / "first", seed=5).out_dir)
    other = _contents(_generate(tmp_path / "other", seed=6).out_dir)
    differing = [name for name in FILES if first[name] != other[name]]
    assert differing == list(FILES)


def test_events_are_written_in_row_groups_per_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from tenure.demo import generator

    monkeypatch.setattr(generator, "EVENT_CHUNK_ACCOUNTS", 50)
    seen: list[int] = []
    company = generate_company(
        tmp_path / "chunked",
        accounts=120,
        months=12,
        seed=5,
        end_on=date(2025, 6, 30),
        on_progress=seen.append,
    )
    metadata = pq.ParquetFile(company.out_dir / "events.parquet").metadata
    assert metadata.num_row_groups == 3
    assert metadata.num_rows == company.events
    assert seen == [50, 50, 20]


def test_counts_match_the_rows_written(tmp_path: Path) -> None:
    company = _generate(tmp_path / "c", seed=9)
    for entity, count in company.counts().items():
        if entity == "events":
            continue
        lines = (company.out_dir / f"{entity}.csv").read_text().splitlines()
        assert len(lines) - 1 == count


def test_every_count_is_positive(company: GeneratedCompany) -> None:
    assert all(count > 0 for count in company.counts().values()), company.counts()
    assert company.accounts == 1_000


@pytest.mark.parametrize(
    ("accounts", "months", "message"),
    [
        (0, 24, "accounts must be at least 1, got 0"),
        (10, 0, "months must be between 1 and 120, got 0"),
        (10, 121, "months must be between 1 and 120, got 121"),
    ],
)
def test_bad_sizes_are_refused_with_a_clear_error(
    tmp_path: Path, accounts: int, months: int, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        generate_company(
            tmp_path, accounts=accounts, months=months, seed=1, end_on=date(2025, 1, 1)
        )


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(InvalidInput, match="is a file, not a folder"):
        _generate(target, seed=1)


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "exchange_rates.csv").write_text("currency\n")
    with pytest.raises(InvalidInput, match=r"already holds other files \(exchange_"):
        _generate(tmp_path, seed=1)


def test_an_earlier_demo_folder_is_overwritten(tmp_path: Path) -> None:
    first = _contents(_generate(tmp_path / "out", seed=1).out_dir)
    again = _contents(_generate(tmp_path / "out", seed=1).out_dir)
    assert first == again


def test_the_window_is_whole_months_ending_on_the_last_day() -> None:
    window = Window.ending(date(2026, 11, 30), months=24)
    assert window.first_on == date(2024, 12, 1)
    assert len(window.month_starts()) == 24


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 15), -3, date(2023, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected
