"""Every kind of bad input is reported exactly and leaves the store untouched."""

import pytest

from tenure.ingest.errors import ImportRejected
from tests.ingest.bad_cases import CASES
from tests.ingest.conftest import dump, run_import, write_files


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_and_nothing_is_written(name, seeded, tmp_path):
    files, mapping, expected = CASES[name]
    folder = write_files(tmp_path / "input", files)
    options = {}
    if mapping is not None:
        (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
        options["mapping_path"] = tmp_path / "mapping.yaml"
    before = dump(seeded)

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, folder, **options)

    assert caught.value.problems == expected
    assert dump(seeded) == before
