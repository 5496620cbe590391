"""Reading .csv and .xlsx files into a header row and numbered data rows.

Cells come back as text or, for real .xlsx date cells, as dates: nothing is
inferred, so "007" stays "007". Anything that stops a file being read raises
``SourceReadError`` with a message naming the file, never a traceback. What the
reader worked around (a workbook named .csv, a ";" delimiter, a hidden first
sheet, merged cells) comes back as warnings; cells it had to blank (a formula
without a saved result, text longer than Excel allows) as cell problems.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook

from sources.normalise.text import Cell

_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx is a zip archive
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_DELIMITERS = ",;\t|"
_SEP_HINT = re.compile(r"sep=([,;\t|])\r?\n")
_DELIMITER_NAMES = {";": "semicolons", "\t": "tabs", "|": "'|' characters"}
# Invisible characters that garble names and exports: C0/C1 controls (tab and line breaks are
# kept) and the bidirectional embedding, override and isolate marks used to disguise text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell; longer text cannot be a real value
TITLE_ROWS = 10  # how far below the first row a header is looked for when that row is a title
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_SCAN_CHUNK = 1 << 20  # the sheet's XML is scanned for merges and formulas this much at a time
PROGRESS_EVERY = 100_000  # rows between progress lines while reading a large file

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may hold before it is refused as not a contact list (a zip bomb, a runaway
    export). The defaults are Excel's own sheet limits and 500 MB of text."""

    max_bytes: int = 500_000_000  # the CSV text, or everything an .xlsx decompresses to
    max_rows: int = 1_048_576
    max_columns: int = 16_384


DEFAULT_LIMITS = ReadLimits()


class SourceReadError(Exception):
    """The file as a whole cannot be used; the message is for the run report."""


class SheetRow(NamedTuple):
    number: int  # as Excel shows it: the header is row 1, the first data row row 2
    cells: list[Cell]  # one per header column


class Table(NamedTuple):
    headers: list[str]
    rows: list[SheetRow]  # fully blank rows are left out, their numbers skipped
    content_hash: str  # sha256 hex of the file's bytes
    warnings: list[str]  # what the reader worked around, for the run report (no cell values)
    # (row number, 0-based column) -> why the reader blanked that cell
    cell_problems: dict[tuple[int, int], str]


class _Grid(NamedTuple):
    cells: list[list[Cell]]
    where: str  # how messages name the part read: "the file" or "sheet 'Contacts'"
    warnings: list[str]
    cell_problems: dict[tuple[int, int], str]


def read_table(path: Path, sheet: str | None = None, name: str | None = None,
               is_header: Callable[[list[str]], bool] | None = None, limits: ReadLimits = DEFAULT_LIMITS,
               progress: Progress | None = None) -> Table:
    """Read a .csv or .xlsx file; ``sheet`` picks an .xlsx sheet by name (default: the first visible).

    The file's content decides how it is read, whatever its extension. ``name`` is how messages
    name the file (default: ``path``). ``is_header`` recognises a header row: when the first
    non-blank row is not one, a header a few rows down (below a title) is used instead. A file beyond
    ``limits`` is refused with a one-line message; ``progress`` hears how far a large file has got.
    """
    shown = name or str(path)
    data = read_bytes(path, shown, limits)
    reading = _Reading(shown, limits, progress)
    if not data.strip():
        raise SourceReadError(f"{shown}: the file is empty")
    named_xlsx = path.suffix.lower() == ".xlsx"
    if data.startswith(_OLE_MAGIC):
        raise SourceReadError(f"{shown}: is an old .xls workbook or password-protected; "
                              "save it as an unprotected .xlsx")
    if data.startswith(_ZIP_MAGIC):
        grid = _xlsx_grid(reading, data, sheet)
        if not named_xlsx:
            grid.warnings.insert(0, "the file is an Excel workbook though named .csv; read it as .xlsx")
    elif named_xlsx and _looks_like_text(data):
        grid = _csv_grid(reading, data)
        grid.warnings.insert(0, "the file is CSV text though named .xlsx; read it as CSV")
    elif named_xlsx:
        raise SourceReadError(f"{shown}: is corrupt or not a valid .xlsx workbook")
    else:
        grid = _csv_grid(reading, data)
    cells, warnings, problems = _clean(grid)
    headers, rows = _split_header(shown, cells, grid.where, warnings, is_header)
    return Table(headers, rows, hashlib.sha256(data).hexdigest(), warnings, problems)


class _Reading:
    """One file being read: how it is named, its limits, and the rows counted so far."""

    def __init__(self, shown: str, limits: ReadLimits, progress: Progress | None) -> None:
        self.shown, self.limits, self.progress = shown, limits, progress

    def rows(self, rows: Iterable[list[Cell]]) -> Iterator[list[Cell]]:
        """``rows`` as they come, refused past the row or column limit, with a progress line now and then."""
        for number, row in enumerate(rows, start=1):
            if number > self.limits.max_rows:
                raise SourceReadError(f"{self.shown}: has more than {self.limits.max_rows:,} rows, more than a "
                                      "source may hold; split it or check the export")
            if len(row) > self.limits.max_columns and not _is_blank_row(row[self.limits.max_columns:]):
                raise SourceReadError(f"{self.shown}: row {number} has {len(row):,} columns, more than a source "
                                      f"may hold ({self.limits.max_columns:,}); check the export")
            if self.progress is not None and number % PROGRESS_EVERY == 0:
                self.progress(f"{self.shown}: {number:,} rows read")
            yield row[:self.limits.max_columns]


def _looks_like_text(data: bytes) -> bool:
    """No control bytes but tab and line breaks at the start: text, not a damaged binary."""
    return not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data[:4096])


def _clean(grid: _Grid) -> tuple[list[list[Cell]], list[str], dict[tuple[int, int], str]]:
    """Strip invisible control characters; blank text longer than a spreadsheet cell can hold."""
    warnings, problems = list(grid.warnings), dict(grid.cell_problems)
    controlled: list[int] = []
    cells = []
    for number, row in enumerate(grid.cells, start=1):
        cleaned = list(row)
        for column, value in enumerate(row):
            if not isinstance(value, str):
                continue
            if len(value) > MAX_CELL_CHARS:
                cleaned[column] = None
                problems[(number, column)] = (f"{len(value):,} characters, longer than a spreadsheet cell holds "
                                              f"({MAX_CELL_CHARS:,}); dropped")
            elif _CONTROL.search(value):
                cleaned[column] = _CONTROL.sub("", value)
                if not controlled or controlled[-1] != number:
                    controlled.append(number)
        cells.append(cleaned)
    if controlled:
        warnings.append(f"invisible control characters removed on {_rows(controlled)}")
    return cells, warnings, problems


def _rows(numbers: list[int], limit: int = 5) -> str:
    """ "row 3" / "rows 2, 5 and 9" / "rows 2, 3, 4, 5, 6 and 7 more" for messages."""
    shown = [str(n) for n in numbers[:limit]]
    more = len(numbers) - len(shown)
    if more:
        return f"rows {', '.join(shown)} and {more} more"
    if len(shown) == 1:
        return f"row {shown[0]}"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"


def read_bytes(path: Path, shown: str, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes, refused with a one-line message when missing, unreadable or beyond ``limits``."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise SourceReadError(f"{shown}: is {_megabytes(size)}, more than a source may hold "
                                  f"({_megabytes(limits.max_bytes)})")
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(f"{shown}: file not found") from None
    except IsADirectoryError:
        raise SourceReadError(f"{shown}: is a folder, not a file") from None
    except PermissionError:
        raise SourceReadError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise SourceReadError(f"{shown}: cannot be read ({exc.strerror})") from None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB"


def _csv_grid(reading: _Reading, data: bytes) -> _Grid:
    shown = reading.shown
    text = _decode(shown, data)
    if "\x00" in text:
        raise SourceReadError(f"{shown}: contains binary data, not CSV text")
    warnings = []
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's "sep=;" first line: Excel hides it, so the header is still row 1
        delimiter, text = hint.group(1), text[hint.end():]
    else:
        delimiter = _sniff_delimiter(reading, text)
        if delimiter != ",":
            warnings.append(f"columns are separated by {_DELIMITER_NAMES[delimiter]}, not commas; read them so")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        grid = _Grid(list(reading.rows(reader)), "the file", warnings, {})
    except csv.Error as exc:
        raise SourceReadError(f"{shown}: is not a readable CSV file at line {reader.line_num} ({exc})") from None
    _check_quotes_closed(shown, text, delimiter)
    return grid


def _check_quotes_closed(shown: str, text: str, delimiter: str) -> None:
    """A quote that is never closed makes every later line part of one cell: rows would vanish into it.
    Only the strict reader notices (it stops at the end of the data inside the quote)."""
    strict = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    started = 1
    try:
        for _ in strict:
            started = strict.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise SourceReadError(f"{shown}: a quote mark opened on line {started} is never closed, so every "
                                  "line after it would be read as one cell; close or remove it") from None


def _decode(shown: str, data: bytes) -> str:
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
        raise SourceReadError(f"{shown}: is neither UTF-8 nor Windows-1252 text") from None


def _sniff_delimiter(reading: _Reading, text: str) -> str:
    """The delimiter that splits the header line into the most fields (ties: , ; tab |)."""
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    widest = max(header.count(d) for d in _DELIMITERS) + 1
    if widest > reading.limits.max_columns:
        raise SourceReadError(f"{reading.shown}: its first line has {widest:,} columns, more than a source may "
                              f"hold ({reading.limits.max_columns:,}); check the export")
    try:
        counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    except csv.Error as exc:
        raise SourceReadError(f"{reading.shown}: is not a readable CSV file at line 1 ({exc})") from None
    return max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals


def _xlsx_grid(reading: _Reading, data: bytes, sheet: str | None) -> _Grid:
    """The chosen sheet's cells; merged ranges filled, formulas without a saved result blanked."""
    shown = reading.shown
    corrupt = SourceReadError(f"{shown}: is corrupt or not a valid .xlsx workbook")
    _check_unpacked_size(reading, data, corrupt)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged files; all mean the same here
        raise corrupt from None
    try:
        worksheet, warnings = _pick_sheet(shown, workbook, sheet)
        # Some writers record wrong sheet dimensions; resetting makes openpyxl read every row.
        worksheet.reset_dimensions()
        cells = [[_xlsx_cell(v) for v in row]
                 for row in reading.rows(worksheet.iter_rows(min_row=1, values_only=True))]
        # read-only sheets expose neither merges nor formulas
        merges, has_formulas = _scan_sheet_part(data, worksheet._worksheet_path)
        problems = _uncalculated(data, worksheet.title, cells) if has_formulas else {}
        warnings += _fill_merged(merges, cells, worksheet.title)
        return _Grid(cells, f"sheet {worksheet.title!r}", warnings, problems)
    except SourceReadError:
        raise
    except Exception:  # a damaged sheet part only shows up while iterating
        raise corrupt from None
    finally:
        workbook.close()


def _check_unpacked_size(reading: _Reading, data: bytes, corrupt: SourceReadError) -> None:
    """Refuse a workbook that decompresses to more than the limit before any of it is decompressed (zip
    readers stop at the sizes the archive declares, so the declared sizes are what can be read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise corrupt from None
    if unpacked > reading.limits.max_bytes:
        raise SourceReadError(f"{reading.shown}: decompresses to {_megabytes(unpacked)}, more than a source may "
                              f"hold ({_megabytes(reading.limits.max_bytes)}); it is not a contact list")


def _scan_sheet_part(data: bytes, part: str) -> tuple[list[str], bool]:
    """The merged ranges of a sheet and whether it has formulas, read from its XML a chunk at a time."""
    merges, has_formulas, tail = [], False, b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            window = tail + chunk
            # a tag cut at the chunk's end is found whole in the next window
            cut = max(window.rfind(b"<"), len(tail))
            merges += [match.decode() for match in _MERGE.findall(window[:cut])]
            has_formulas = has_formulas or bool(_FORMULA_TAG.search(window[:cut]))
            tail = window[cut:]
        merges += [match.decode() for match in _MERGE.findall(tail)]
        has_formulas = has_formulas or bool(_FORMULA_TAG.search(tail))
    return merges, has_formulas


def _uncalculated(data: bytes, title: str, cells: list[list[Cell]]) -> dict[tuple[int, int], str]:
    """Formula cells that have no result saved with them (openpyxl and some exporters never save one).

    Reading such a cell as blank would silently lose it, and its formula text is not a value.
    """
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        worksheet = workbook[title]
        worksheet.reset_dimensions()
        problems = {}
        for number, row in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
            for column, formula in enumerate(row):
                saved = cells[number - 1][column] if column < len(cells[number - 1]) else None
                if isinstance(formula, str) and formula.startswith("=") and saved is None:
                    problems[(number, column)] = ("a formula with no saved result; "
                                                  "open and save the file in Excel to calculate it")
        return problems
    finally:
        workbook.close()


def _fill_merged(ranges: list[str], cells: list[list[Cell]], title: str) -> list[str]:
    """Every cell of a merged range takes the range's value, as a person sees it in Excel."""
    for merged in ranges:
        first_column, first_row, last_column, last_row = range_boundaries(merged)
        while len(cells) < last_row:
            cells.append([])
        value = _cell(cells, first_row, first_column)
        for row in cells[first_row - 1:last_row]:
            row.extend([None] * (last_column - len(row)))
            row[first_column - 1:last_column] = [value] * (last_column - first_column + 1)
    if not ranges:
        return []
    listed = ", ".join(ranges[:5]) + (f" and {len(ranges) - 5} more" if len(ranges) > 5 else "")
    return [f"sheet {title!r} has merged cells ({listed}); each cell of a range takes its value"]


def _cell(cells: list[list[Cell]], row: int, column: int) -> Cell:
    found = cells[row - 1] if row <= len(cells) else []
    return found[column - 1] if column <= len(found) else None


def _pick_sheet(shown: str, workbook: Workbook, sheet: str | None):
    """The sheet named in the manifest, else the first visible one; and any warning about the choice."""
    if not workbook.worksheets:
        raise SourceReadError(f"{shown}: has no worksheets")
    if sheet is None:
        visible = [w for w in workbook.worksheets if w.sheet_state == "visible"]
        if not visible:
            raise SourceReadError(f"{shown}: every sheet is hidden; name the sheet to read in the manifest")
        chosen = visible[0]
        if chosen is workbook.worksheets[0]:
            return chosen, []
        hidden = ", ".join(repr(w.title) for w in workbook.worksheets[:workbook.worksheets.index(chosen)])
        return chosen, [f"hidden sheet(s) {hidden} skipped; read {chosen.title!r}, the first visible sheet "
                        "(name a sheet in the manifest to choose another)"]
    names = workbook.sheetnames
    wanted = next((n for n in names if n == sheet), None) or next(
        (n for n in names if n.strip().lower() == sheet.strip().lower()), None
    )
    if wanted is None:
        raise SourceReadError(f"{shown}: has no sheet {sheet!r} (sheets: {', '.join(map(repr, names))})")
    return workbook[wanted], []


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


def _header_texts(cells: list[Cell]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in cells]


def _split_header(shown: str, grid: list[list[Cell]], where: str, warnings: list[str],
                  is_header: Callable[[list[str]], bool] | None = None) -> tuple[list[str], list[SheetRow]]:
    """The first non-blank row is the header (or, when ``is_header`` refuses it, the first of the next
    few rows it accepts: spreadsheets often start with a title); later non-blank rows are data,
    numbered as in Excel. Notes on skipped title rows and on cells beyond the header go to ``warnings``."""
    non_blank = [(n, cells) for n, cells in enumerate(grid, start=1) if not _is_blank_row(cells)]
    if not non_blank:
        raise SourceReadError(f"{shown}: {where} is empty")
    start = 0
    if is_header is not None and not is_header(_header_texts(non_blank[0][1])):
        found = next((i for i, (_, cells) in enumerate(non_blank[1:TITLE_ROWS + 1], start=1)
                      if is_header(_header_texts(cells))), None)
        if found is not None:
            start = found
            warnings.append(f"{_rows([n for n, _ in non_blank[:found]])} above the header (a title, not "
                            f"data) skipped; the header is row {non_blank[found][0]}")
    numbered: Iterator[tuple[int, list[Cell]]] = iter(non_blank[start:])
    first = next(numbered)
    header_cells = list(first[1])
    while header_cells and _is_blank_row(header_cells[-1:]):
        header_cells.pop()
    headers = _header_texts(header_cells)
    width = len(headers)
    rows, overflowing = [], []
    for n, cells in numbered:
        if not _is_blank_row(cells[width:]):
            overflowing.append(n)
        # A row with values only beyond the header stays a row (it ends in quarantine, not nowhere).
        rows.append(SheetRow(n, (list(cells[:width]) + [None] * width)[:width]))
    if not rows:
        taken = f" (row {first[0]} was taken as the header: the rows above it are blank)" if first[0] > 1 else ""
        raise SourceReadError(f"{shown}: {where} has a header row but no data rows{taken}")
    if overflowing:
        warnings.append(f"{_rows(overflowing)}: more cells than the header has columns; the values beyond "
                        f"column {width} have no header and were ignored")
    return headers, rows

