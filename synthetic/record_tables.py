"""Rows of the engagement-record files (diaries, groups, sectors, surveys) and how they are laid out.

Each row carries its cells by canonical field and the truth behind it; the truth's type is the
file kind's own (synthetic/record_truth.py), so these tables stay free of contact-list notions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from synthetic.dialects import Dialect
from synthetic.writer import write_table

Truth = TypeVar("Truth")


@dataclass
class RecordRow(Generic[Truth]):
    """One data row: cell values by canonical field, and what the row truly says."""

    cells: dict[str, object]
    truth: Truth
    record_id: str = ""  # contract section 2: the record_id cell's value, else row-<n>


@dataclass
class RecordTable(Generic[Truth]):
    """One file's rows in file order; None is a blank row."""

    dialect: Dialect
    lines: list[RecordRow[Truth] | None] = field(default_factory=list)

    @property
    def rows(self) -> list[RecordRow[Truth]]:
        return [r for r in self.lines if r is not None]

    def write(self, out_dir: Path) -> Path:
        """Write the table to its dialect's file under ``out_dir``."""
        headers = self.dialect.headers
        return write_table(out_dir, self.dialect, [
            None if row is None else [row.cells.get(name or text) for text, name in headers] for row in self.lines])


def _record_ids(rng: random.Random, dialect: Dialect, count: int) -> list[object]:
    """Increasing ids with gaps, as a list that has had rows deleted shows them."""
    numbers = sorted(rng.sample(range(1, 3 * count + 10), count))
    if dialect.record_ids == "int":
        start = rng.choice((100, 1000, 20_000))
        # A workbook holds numbers as numbers; a CSV has only text.
        return [start + n if dialect.is_xlsx else str(start + n) for n in numbers]
    return [str(dialect.record_ids).format(n) for n in numbers]


def lay_out_records(rng: random.Random, dialect: Dialect, rows: list[RecordRow[Truth]]) -> RecordTable[Truth]:
    """Keep the rows' order, give them ids when the file has an id column, scatter the dialect's blank
    rows and name each row as contract section 2 does."""
    if dialect.record_ids:
        for row, record_id in zip(rows, _record_ids(rng, dialect, len(rows)), strict=True):
            row.cells["record_id"] = record_id
            row.record_id = str(record_id)
    table: RecordTable[Truth] = RecordTable(dialect)
    for row in rows:
        while table.lines and rng.random() < dialect.blank_row_rate:
            table.lines.append(None)
        table.lines.append(row)
    for number, line in enumerate(table.lines, start=2):  # the header is row 1
        if line is not None and not line.record_id:
            line.record_id = f"row-{number}"
    return table
