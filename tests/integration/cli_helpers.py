"""Run the real `stakeholders` command line in-process against the test Neo4j."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

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


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, uri: str, home: Path):
        self.capsys = capsys
        monkeypatch.setenv("NEO4J_URI", uri)
        monkeypatch.delenv("NEO4J_USER", raising=False)
        monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
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
