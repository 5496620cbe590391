"""Writing the synthetic sources as the files users would hand over: .xlsx and .csv.

Files are byte-for-byte reproducible for a seed: workbook timestamps and zip
entry times are pinned, so a regenerated sample does not churn in git.
"""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from synthetic.dialects import Dialect
from synthetic.rows import Layout, SourceRow

_PINNED_TIME = "2025-07-01T09:00:00Z"
_PINNED_ZIP_TIME = (2025, 7, 1, 9, 0, 0)
_READ_ME = (
    ("Economic Crime Directorate: stakeholder contacts",),
    ("OFFICIAL-SENSITIVE. Do not share outside City of London Police.",),
    (),
    ("The contact list is on the 'Contacts' sheet. One row per contact; add new rows at the bottom.",),
    ("Priority Level: H / M / L. OK to email: y, n or x (x = yes, opted in by form).",),
)


def _value(layout: Layout, row: SourceRow, field: str, header: str) -> object:
    if field == "record_id":
        return int(row.record_id) if layout.dialect.record_ids == "int" and layout.dialect.is_xlsx else row.record_id
    return row.cells.get(field or header)


def _values(layout: Layout, row: SourceRow) -> list[object]:
    return [_value(layout, row, f, h) for h, f in layout.dialect.headers]


def write_source(out_dir: Path, layout: Layout) -> Path:
    """Write one source's rows to its file under ``out_dir``; returns the file's path."""
    return write_table(out_dir, layout.dialect, [None if r is None else _values(layout, r) for r in layout.lines])


def write_table(out_dir: Path, dialect: Dialect, lines: list[list[object] | None]) -> Path:
    """Write rows of cell values, in the dialect's header order (None is a blank row), to its file."""
    path = out_dir / dialect.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if dialect.is_xlsx:
        _write_xlsx(path, dialect, lines)
    else:
        write_csv(path, [h for h, _ in dialect.headers], lines, dialect.encoding)
    return path


def write_csv(path: Path, header: list[str], lines: list[list[object] | None], encoding: str = "utf-8") -> None:
    """A CSV as Excel saves it (CRLF line ends); None values and None lines are blank."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for line in lines:
            writer.writerow([] if line is None else ["" if v is None else v for v in line])


def _write_xlsx(path: Path, dialect: Dialect, lines: list[list[object] | None]) -> None:
    book = Workbook(write_only=True)
    for name in dialect.preceding_sheets:
        sheet = book.create_sheet(name)
        for line in _READ_ME:
            sheet.append(list(line))
    sheet = book.create_sheet(dialect.sheet or "Sheet1")
    bold = Font(bold=True)
    header = []
    for text, _ in dialect.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for line in lines:
        if line is None:
            sheet.append([])
            continue
        values = []
        for value in line:
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "dd/mm/yyyy"
                value = cell
            values.append(value)
        sheet.append(values)
    book.save(path)
    pin_timestamps(path)


def pin_timestamps(path: Path) -> None:
    """Rewrite a workbook with fixed document and zip-entry times, so the bytes depend on content only."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rf"\g<1>{_PINNED_TIME}",
                              data.decode("utf-8"))
                data = text.encode("utf-8")
            pinned = zipfile.ZipInfo(info.filename, date_time=_PINNED_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            target.writestr(pinned, data)
