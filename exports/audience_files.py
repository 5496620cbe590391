"""An audience as a file to hand to a messaging system or open in a spreadsheet: CSV or .xlsx.

The columns are the `stakeholders audience` CSV's (a keyholder call list's have the premises and the
numbers to ring, ``graph.audience.KEYHOLDER_COLUMNS``); every cell goes through `cells.neutralise`, so a
name such as ``=HYPERLINK(...)`` arrives as text, never as a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from graph.audience import AUDIENCE_COLUMNS

from .cells import neutralise

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def audience_cells(recipients: Sequence[dict], columns: Sequence[str] = AUDIENCE_COLUMNS) -> list[list[object]]:
    """One row of spreadsheet-safe cells per recipient, in ``columns`` order (source records joined by ";")."""
    rows = []
    for recipient in recipients:
        values = {**recipient, "source_records": ";".join(recipient.get("source_records") or ())}
        rows.append([neutralise("" if values.get(column) is None else values[column]) for column in columns])
    return rows


def audience_csv(recipients: Sequence[dict], columns: Sequence[str] = AUDIENCE_COLUMNS) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accented names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(audience_cells(recipients, columns))
    return out.getvalue().encode("utf-8-sig")


def audience_xlsx(recipients: Sequence[dict], columns: Sequence[str] = AUDIENCE_COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Audience"
    sheet.append(list(columns))
    for row in audience_cells(recipients, columns):
        # Every cell is stored as text (phone numbers keep their leading + and zeros).
        sheet.append([str(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def audience_file(recipients: Sequence[dict], form: str, columns: Sequence[str] = AUDIENCE_COLUMNS) -> bytes:
    """The audience in ``form`` ("csv" or "xlsx"), with ``columns`` (``graph.audience.audience_columns``)."""
    return {"csv": audience_csv, "xlsx": audience_xlsx}[form](recipients, columns)


def audience_digest(recipients: Sequence[dict]) -> str:
    """SHA-256 of the sorted contact IDs, one per line (UTF-8, a newline after each): identifies the list of
    people whatever the file format or column order, and can be recomputed from any copy of the list."""
    ids = sorted(r["contact_id"] for r in recipients)
    return hashlib.sha256("".join(f"{contact_id}\n" for contact_id in ids).encode()).hexdigest()
