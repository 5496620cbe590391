"""Fixtures that write real .csv and .xlsx files into tmp_path and load them as sources."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from sources import SourceBatch, SourceSpec, load_source

Rows = Sequence[Sequence[object]]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """write_csv(rows, name=..., encoding=..., delimiter=...) -> path of a real CSV file."""

    def write(rows: Rows, name: str = "data.csv", encoding: str = "utf-8", delimiter: str = ",") -> Path:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        path = tmp_path / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """write_xlsx(rows, name=..., sheets={title: rows}) -> path of a real .xlsx workbook.

    ``rows`` go on the first sheet; ``None`` rows leave that Excel row empty.
    """

    def write(rows: Rows, name: str = "data.xlsx", sheets: dict[str, Rows] | None = None) -> Path:
        workbook = Workbook()
        for index, (title, sheet_rows) in enumerate({"Sheet1": rows, **(sheets or {})}.items()):
            sheet = workbook.active if index == 0 else workbook.create_sheet()
            sheet.title = title
            for number, row in enumerate(sheet_rows, start=1):
                for column, value in enumerate(row or (), start=1):
                    if value is not None:
                        sheet.cell(row=number, column=column, value=value)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def load(write_csv: Callable[..., Path], write_xlsx: Callable[..., Path]) -> Callable[..., SourceBatch]:
    """load(rows, kind=..., fmt="csv"|"xlsx", **spec fields) -> SourceBatch of a freshly written file."""

    def run(rows: Rows, kind: str = "contacts", fmt: str = "csv", **spec: object) -> SourceBatch:
        path = write_csv(rows) if fmt == "csv" else write_xlsx(rows)
        directorate = spec.pop("directorate", "Economic Crime" if kind == "contacts" else None)
        name = spec.pop("name", "test-src")
        return load_source(SourceSpec(name=name, kind=kind, path=path, directorate=directorate, **spec))

    return run
