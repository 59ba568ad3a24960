"""Mistakes in a mapping file are refused with a message naming the mapping key."""

import pytest

from tenure.ingest.errors import InvalidMapping
from tests.ingest.conftest import dump, run_import, write_files

EXPORT = {"export.csv": "acct,title,tier\na3,Third Test,Pro\n"}

BAD_MAPPINGS = {
    "unknown_entity": (
        "tables:\n- {entity: acounts, file: export.csv, columns: {id: acct}}\n",
        "mapping mapping.yaml, key tables[0].entity: unknown entity 'acounts'; use "
        "one of users, accounts, contacts, contract_lines, discounts, pauses, "
        "cancellations, renewals, exchange_rates, costs, survey_responses, tickets, "
        "notes, events",
    ),
    "unknown_field": (
        "tables:\n- {entity: accounts, file: export.csv, columns: {id: acct, "
        "title: title}}\n",
        "mapping mapping.yaml, key tables[0].columns.title: accounts has no field "
        "'title'; use one of id, name, billing_id, crm_id, segment, industry, "
        "country, plan, created_on, onboarding_stage, csm_id, parent_id",
    ),
    "misspelt_option": (
        "tables:\n- entity: accounts\n  file: export.csv\n  columns:\n"
        "    id: acct\n    name: {colum: title}\n",
        "mapping mapping.yaml, key tables[0].columns.name.colum: unknown key; check "
        "its spelling against docs/mappings.md",
    ),
    "two_sources": (
        "tables:\n- entity: accounts\n  file: export.csv\n  columns:\n"
        "    id: acct\n    name: {column: title, constant: Fixed}\n",
        "mapping mapping.yaml, key tables[0].columns.name: give exactly one of "
        "column, constant, template, choose or object (found column, constant)",
    ),
    "missing_file_key": (
        "tables:\n- {entity: accounts, columns: {id: acct}}\n",
        "mapping mapping.yaml, key tables[0].file: this key is required",
    ),
    "tables_not_a_list": (
        "tables: {entity: accounts}\n",
        "mapping mapping.yaml, key tables: Input should be a valid list",
    ),
    "choose_without_cases": (
        "tables:\n- entity: accounts\n  file: export.csv\n  columns:\n"
        "    id: acct\n    name: {choose: {by: tier}}\n",
        "mapping mapping.yaml, key tables[0].columns.name.choose.cases: this key is "
        "required",
    ),
    "plan_history_unknown_field": (
        "tables:\n- entity: contract_lines\n  file: export.csv\n  columns: {id: acct}"
        "\n  plan_history: {group_by: customer}\n",
        "mapping mapping.yaml, key tables[0].plan_history.group_by: 'customer' is "
        "not a field of contract_lines",
    ),
    "column_not_in_file": (
        "tables:\n- {entity: accounts, file: export.csv, columns: {id: acct, "
        "name: company}}\n",
        "mapping key tables[0].columns.name.column: export.csv has no column "
        "'company'; its columns are acct, title, tier",
    ),
    "template_column_not_in_file": (
        "tables:\n- entity: accounts\n  file: export.csv\n  columns:\n"
        "    id: acct\n    name: {template: 'Customer {customer_id}'}\n",
        "mapping key tables[0].columns.name.template: export.csv has no column "
        "'customer_id'; its columns are acct, title, tier",
    ),
    "where_column_not_in_file": (
        "tables:\n- entity: accounts\n  file: export.csv\n  where: {active: 'yes'}\n"
        "  columns: {id: acct, name: title}\n",
        "mapping key tables[0].where.active: export.csv has no column 'active'; its "
        "columns are acct, title, tier",
    ),
    "file_not_in_folder": (
        "tables:\n- {entity: accounts, file: exports.csv, columns: {id: acct}}\n",
        "mapping key tables[0].file: file 'exports.csv' is not in {folder}; check "
        "the file name",
    ),
    "duplicate_key": (
        "tables:\n- entity: accounts\n  file: export.csv\n  columns:\n"
        "    id: acct\n    name: title\n    name: tier\n",
        "mapping mapping.yaml, line 7: not valid YAML (key 'name' is written twice "
        "in one mapping); fix the syntax",
    ),
    "not_yaml": (
        "tables:\n- entity: accounts\n  file: [unclosed\n",
        "mapping mapping.yaml, line 4: not valid YAML (expected ',' or ']', but got "
        "'<stream end>'); fix the syntax",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_MAPPINGS))
def test_bad_mapping_names_the_key_and_writes_nothing(name, seeded, tmp_path):
    text, expected = BAD_MAPPINGS[name]
    folder = write_files(tmp_path / "input", EXPORT)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text, encoding="utf-8")
    before = dump(seeded)

    with pytest.raises(InvalidMapping) as caught:
        run_import(seeded, folder, mapping_path=mapping)

    assert str(caught.value) == expected.format(folder=folder)
    assert dump(seeded) == before
