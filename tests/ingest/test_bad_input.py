"""Every kind of bad input is reported exactly and leaves the store untouched."""

import pytest

from tenure.ingest.errors import ImportRejected, UnreadableSource
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


UNREADABLE = {
    "bad_yaml_bundle": (
        {"bundle.yaml": "accounts:\n  - {id: a3, name: Third\n  - {id: a4}\n"},
        "bundle.yaml, line 3: the file is not valid YAML (expected ',' or '}', but "
        "got '{'); fix the syntax",
    ),
    "duplicate_key_bundle": (
        {
            "bundle.yaml": "accounts:\n  - {id: a3, name: Third}\n"
            "accounts:\n  - {id: a4}\n"
        },
        "bundle.yaml, line 3: the file is not valid YAML (key 'accounts' is written "
        "twice in one mapping); fix the syntax",
    ),
    "bad_json_bundle": (
        {"bundle.json": '{"accounts": [{"id": "a3",}]}'},
        "bundle.json, line 1: the file is not valid JSON (Expecting property name "
        "enclosed in double quotes); fix the syntax",
    ),
    "bundle_not_a_mapping": (
        {"bundle.yaml": "- id: a3\n"},
        "bundle.yaml: a bundle must map table names to lists of rows, for example "
        "`accounts: [...]`",
    ),
    "only_non_data_files": (
        {"README.md": "# notes\n"},
        "{folder} holds no data files; add CSV, Parquet, JSON lines or bundle files",
    ),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_input_names_the_file_and_writes_nothing(name, seeded, tmp_path):
    files, expected = UNREADABLE[name]
    folder = write_files(tmp_path / "input", files)
    before = dump(seeded)

    with pytest.raises(UnreadableSource) as caught:
        run_import(seeded, folder)

    assert str(caught.value) == expected.replace("{folder}", str(folder))
    assert dump(seeded) == before


def test_a_missing_path_is_refused(seeded, tmp_path):
    with pytest.raises(UnreadableSource) as caught:
        run_import(seeded, tmp_path / "nowhere")

    assert str(caught.value) == f"{tmp_path / 'nowhere'} does not exist; check the path"


def test_an_email_the_store_holds_already_rejects_the_whole_import(seeded, tmp_path):
    # u9 reuses the e-mail of u1, which is already in the store, in other case.
    files = {
        "accounts.csv": "id,name\na7,Seventh Test\n",
        "users.csv": "id,email,name\nu9,CSM.One@example.test,Other Person\n",
    }
    before = dump(seeded)

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, write_files(tmp_path / "input", files))

    (problem,) = caught.value.problems
    assert "user 'u1' in the store has the e-mail 'CSM.One@example.test'" in problem
    assert problem.startswith("users.csv, row 2, column email")
    assert dump(seeded) == before
