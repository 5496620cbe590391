"""Reading .csv and .xlsx files into a header row and numbered data rows.

Cells come back as text or, for real .xlsx date cells, as dates: nothing is
inferred, so "007" stays "007". Anything that stops a file being read raises
``SourceReadError`` with a message naming the file, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, time
from pathlib import Path
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from sources.normalise.text import Cell

_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx is a zip archive
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_DELIMITERS = ",;\t|"
_SEP_HINT = re.compile(r"sep=([,;\t|])\r?\n")


class SourceReadError(Exception):
    """The file as a whole cannot be used; the message is for the run report."""


class SheetRow(NamedTuple):
    number: int  # as Excel shows it: the header is row 1, the first data row row 2
    cells: list[Cell]  # one per header column


class Table(NamedTuple):
    headers: list[str]
    rows: list[SheetRow]  # fully blank rows are left out, their numbers skipped
    content_hash: str  # sha256 hex of the file's bytes


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a .csv or .xlsx file; ``sheet`` picks an .xlsx sheet by name (default: the first)."""
    data = _read_bytes(path)
    if not data.strip():
        raise SourceReadError(f"{path}: the file is empty")
    if path.suffix.lower() == ".csv":
        grid, where = _csv_grid(path, data), "the file"
    else:
        grid, where = _xlsx_grid(path, data, sheet)
    headers, rows = _split_header(path, grid, where)
    return Table(headers, rows, hashlib.sha256(data).hexdigest())


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourceReadError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise SourceReadError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot be read ({exc.strerror})") from None


def _csv_grid(path: Path, data: bytes) -> list[list[Cell]]:
    if data.startswith(_ZIP_MAGIC):
        raise SourceReadError(f"{path}: is an Excel workbook (.xlsx), not a CSV file; rename it to .xlsx")
    if data.startswith(_OLE_MAGIC):
        raise SourceReadError(f"{path}: is an old Excel .xls workbook, not a CSV file; save it as .xlsx")
    text = _decode(path, data)
    if "\x00" in text:
        raise SourceReadError(f"{path}: contains binary data, not CSV text")
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's "sep=;" first line: Excel hides it, so the header is still row 1
        delimiter, text = hint.group(1), text[hint.end():]
    else:
        delimiter = _sniff_delimiter(text)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SourceReadError(f"{path}: is not a readable CSV file ({exc})") from None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (BOM allowed), else Windows-1252 as the contract says; UTF-16 only with a BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SourceReadError(f"{path}: is neither UTF-8 nor Windows-1252 text") from None


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields (ties: , ; tab |)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals


def _xlsx_grid(path: Path, data: bytes, sheet: str | None) -> tuple[list[list[Cell]], str]:
    """The chosen sheet's cells, and how to name the sheet in messages."""
    if data.startswith(_OLE_MAGIC):
        raise SourceReadError(
            f"{path}: is an old .xls workbook or password-protected; save it as an unprotected .xlsx"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise SourceReadError(f"{path}: is not an Excel .xlsx workbook (is it a CSV file?)")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged files; all mean the same here
        raise SourceReadError(f"{path}: is corrupt or not a valid .xlsx workbook") from None
    try:
        worksheet = _pick_sheet(path, workbook, sheet)
        # Some writers record wrong sheet dimensions; resetting makes openpyxl read every row.
        worksheet.reset_dimensions()
        grid = [[_xlsx_cell(v) for v in row] for row in worksheet.iter_rows(min_row=1, values_only=True)]
        return grid, f"sheet {worksheet.title!r}"
    except SourceReadError:
        raise
    except Exception:  # a damaged sheet part only shows up while iterating
        raise SourceReadError(f"{path}: is corrupt or not a valid .xlsx workbook") from None
    finally:
        workbook.close()


def _pick_sheet(path: Path, workbook: Workbook, sheet: str | None):
    if not workbook.worksheets:
        raise SourceReadError(f"{path}: has no worksheets")
    if sheet is None:
        return workbook.worksheets[0]
    names = workbook.sheetnames
    wanted = next((n for n in names if n == sheet), None) or next(
        (n for n in names if n.strip().lower() == sheet.strip().lower()), None
    )
    if wanted is None:
        raise SourceReadError(f"{path}: has no sheet {sheet!r} (sheets: {', '.join(map(repr, names))})")
    return workbook[wanted]


def _xlsx_cell(value: object) -> Cell:
    """Text for everything but dates; integral floats lose ".0" so ids and phones survive."""
    if value is None or isinstance(value, str | date):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _is_blank_row(cells: Iterable[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _split_header(path: Path, grid: list[list[Cell]], where: str) -> tuple[list[str], list[SheetRow]]:
    """The first non-blank row is the header; later non-blank rows are data, numbered as in Excel."""
    numbered: Iterator[tuple[int, list[Cell]]] = (
        (n, cells) for n, cells in enumerate(grid, start=1) if not _is_blank_row(cells)
    )
    first = next(numbered, None)
    if first is None:
        raise SourceReadError(f"{path}: {where} is empty")
    header_cells = list(first[1])
    while header_cells and _is_blank_row(header_cells[-1:]):
        header_cells.pop()
    headers = ["" if c is None else str(c).strip() for c in header_cells]
    width = len(headers)
    rows = [
        SheetRow(n, (list(cells[:width]) + [None] * width)[:width])
        for n, cells in numbered
        if not _is_blank_row(cells[:width])
    ]
    if not rows:
        raise SourceReadError(f"{path}: {where} has a header row but no data rows")
    return headers, rows

