"""House rules about which package may import which."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tenure"
ADAPTERS = {"web", "cli"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _domain_files() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in ADAPTERS
    ]


def test_domain_packages_never_import_web_or_cli():
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in _domain_files()
        for module in _imported_modules(path)
        if module.split(".")[:2] in (["tenure", "web"], ["tenure", "cli"])
    ]
    assert offenders == []


def test_only_web_imports_fastapi_and_only_cli_imports_typer():
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in PACKAGE.rglob("*.py")
        for module in _imported_modules(path)
        for framework, home in (("fastapi", "web"), ("typer", "cli"))
        if module.split(".")[0] == framework
        and path.relative_to(PACKAGE).parts[0] != home
    ]
    assert offenders == []


def test_the_rule_checker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from tenure.web.app import create_app\nimport typer\n")
    assert {"tenure.web.app", "typer"} <= _imported_modules(sample)
