"""Run the real `stakeholders` command line in-process against the test Neo4j."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.neo4j_server.launcher import Neo4jConnection
from pipelines.cli import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def csv_rows(self) -> list[dict]:
        return list(csv.DictReader(io.StringIO(self.out)))

    def json(self) -> object:
        return json.loads(self.out)


def neo4j_environ(connection: Neo4jConnection | str) -> dict[str, str]:
    """The environment that points a `stakeholders` process at `connection` (or at a bare URI, no auth)."""
    if isinstance(connection, str):
        return {"NEO4J_URI": connection}
    found = {"NEO4J_URI": connection.uri, "NEO4J_DATABASE": connection.database}
    if connection.user is not None:
        found |= {"NEO4J_USER": connection.user, "NEO4J_PASSWORD": connection.password or ""}
    return found


def run_command(connection: Neo4jConnection, home: Path, *args: str, user: str | None = None) -> int:
    """The real `stakeholders` command, in-process and quiet, against ``connection`` and ``home``, as ``user``
    (once the home has accounts, commands that need a role need one of them); its exit code."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NEO4J_PASSWORD_FILE", raising=False)
        for name, value in neo4j_environ(connection).items():
            patch.setenv(name, value)
        patch.setenv("STAKEHOLDERS_HOME", str(home))
        if user is not None:
            patch.setenv("STAKEHOLDERS_USER", user)
        return main(["--quiet", *args])


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch,
                 connection: Neo4jConnection | str, home: Path):
        self.capsys = capsys
        for name in ("NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE", "NEO4J_DATABASE"):
            monkeypatch.delenv(name, raising=False)
        for name, value in neo4j_environ(connection).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("STAKEHOLDERS_HOME", str(home))

    def __call__(self, *args: str) -> CliResult:
        self.capsys.readouterr()
        code = main(list(args))
        captured = self.capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    def audience_ids(self, *args: str) -> set[str]:
        result = self("audience", *args)
        assert result.code == 0, result.err
        return {row["name"] for row in result.csv_rows()}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip("\n"), encoding=encoding)
    return path
