"""The import rules of the house (shared style): shells over services over a pure core.

Read from the source with `ast`, so a forbidden import fails here even when nothing runs it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kernel", "sources", "resolution", "quality", "graph", "messages", "reports", "delivery", "sync", "portal",
            "services", "accounts", "exports", "assets", "pipelines", "web", "synthetic")
CORE = ("sources", "resolution", "quality", "graph", "messages", "reports")
# what the core never imports: the shells (CLI and composition root, Dagster, the web), and the layers above it
OUTER = ("dagster", "dagster_webserver", "fastapi", "starlette", "uvicorn", "pipelines", "web", "services",
         "sync", "assets", "delivery")


def imports(folder: Path) -> Iterator[tuple[Path, str]]:
    """(file, top-level name) for every absolute import of every Python file below ``folder``."""
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name.split(".")[0]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path, node.module.split(".")[0]


def violations(root: Path) -> list[str]:
    """Every import of ``root``'s packages that breaks a rule, as "file: imports name (rule)"."""
    found = []
    for package in PACKAGES:
        for path, name in imports(root / package):
            where = path.relative_to(root)
            if package in CORE and name in OUTER:
                found.append(f"{where}: imports {name} (the core imports no shell or outer layer)")
            if package == "web" and name == "pipelines":
                found.append(f"{where}: imports pipelines (the web goes through services)")
            if name == "neo4j" and package != "graph":
                found.append(f"{where}: imports neo4j (only graph talks to Neo4j)")
    return found + [f"import cycle: {' -> '.join(cycle)}" for cycle in package_cycles(root)]


def package_cycles(root: Path) -> list[list[str]]:
    """Cycles in the graph of top-level packages (an edge: some module of one imports the other)."""
    edges = {p: {n for _, n in imports(root / p) if n in PACKAGES and n != p} for p in PACKAGES}
    cycles, state = [], dict.fromkeys(PACKAGES, "new")

    def visit(package: str, path: list[str]) -> None:
        state[package] = "open"
        for other in sorted(edges[package]):
            if state[other] == "open":
                cycles.append(path[path.index(other):] + [other])
            elif state[other] == "new":
                visit(other, path + [other])
        state[package] = "done"

    for package in PACKAGES:
        if state[package] == "new":
            visit(package, [package])
    return cycles


def test_the_code_keeps_the_import_rules():
    assert violations(REPO_ROOT) == []


@pytest.mark.parametrize(("file", "line", "rule"), [
    ("resolution/scoring.py", "import dagster", "the core imports no shell"),
    ("graph/audience.py", "from services.sync import run_sync", "the core imports no shell"),
    ("sources/readers.py", "from sync.staging import Staging", "the core imports no shell"),
    ("web/review.py", "from pipelines.settings import Settings", "the web goes through services"),
    ("services/review.py", "from neo4j import GraphDatabase", "only graph talks to Neo4j"),
    ("sync/steps.py", "import services.sync", "import cycle"),
    ("reports/coverage.py", "from services.reports import coverage_report", "the core imports no shell"),
])
def test_a_forbidden_import_is_caught(tmp_path: Path, file: str, line: str, rule: str):
    for package in PACKAGES:
        for path in (REPO_ROOT / package).rglob("*.py"):
            copy = tmp_path / path.relative_to(REPO_ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / file
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    assert any(rule in problem for problem in violations(tmp_path))
