"""Write the bad-input corpus next to this script: python tests/data/bad/make_corpus.py

The files are committed so tests read real files; rerun this after changing it. Everyone in them is
fictional. Text files are written byte for byte (fixed line endings); workbooks are made with openpyxl
and then given a fixed timestamp so that reruns do not churn.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["Contact ID", "Name", "Organisation", "Email", "Mobile", "Post Code", "Last Contacted", "Notes"]
GOOD = [
    ["B1", "Ada Lovelace", "Analytical Engines Ltd", "ada@example.com", "07700 900001", "EC2V 7HH", "01/03/2024", ""],
    ["B2", "Alan Turing", "Bletchley Works", "alan@example.com", "07700 900002", "EC1A 1BB", "2024-03-02", ""],
    ["B3", "Grace Hopper", "Compiler Co", "grace@example.com", "07700 900003", "EC4M 7AA", "3 Mar 2024", ""],
]
INJECTIONS = ["' OR 1=1 //", "}) DETACH DELETE n //", '=HYPERLINK("http://x","y")']
CONTACT_FIELDS = [
    "Contact ID", "Title", "First Name", "Last Name", "Name", "Job Title", "Organisation", "Email", "Phone",
    "Mobile", "Address", "Address 2", "Town", "Post Code", "Category", "Priority", "Issues", "Email Consent",
    "SMS Consent", "Restricted", "Last Contacted", "Notes",
]
MOSAIC_HEADER = ["Postcode", "Mosaic Type", "Mosaic Group", "Households"]
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def csv_bytes(rows: Sequence[Sequence[object]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved workbook with every zip entry and document date fixed, so reruns give equal bytes."""
    raw = io.BytesIO()
    workbook.properties.created = workbook.properties.modified = datetime(2024, 1, 1)
    workbook.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()



def sheet(workbook: Workbook, title: str, rows: Sequence[Sequence[object]], first: bool = False):
    worksheet = workbook.active if first else workbook.create_sheet()
    worksheet.title = title
    for row in rows:
        worksheet.append(list(row))
    return worksheet


def good_workbook() -> bytes:
    workbook = Workbook()
    sheet(workbook, "Contacts", [HEADER, *GOOD], first=True)
    return workbook_bytes(workbook)


def title_above_header() -> bytes:
    """A title and a note above the header, as lists kept by hand often have."""
    workbook = Workbook()
    sheet(workbook, "Contacts", [["Economic Crime contacts: March 2024"], [], ["Kept by the ECD office"], HEADER,
                                 *GOOD], first=True)
    return workbook_bytes(workbook)


def merged_and_formulas() -> bytes:
    """An organisation merged down two rows; formulas with and without a saved (cached) value."""
    workbook = Workbook()
    worksheet = sheet(workbook, "Contacts", [
        HEADER,
        ["M1", "Ada Lovelace", "Analytical Engines Ltd", "ada@example.com", "07700 900001", "EC2V 7HH", "", ""],
        ["M2", "Alan Turing", None, "alan@example.com", "07700 900002", "EC1A 1BB", "", ""],
        ["M3", "Grace Hopper", "Compiler Co", '=LOWER("GRACE@EXAMPLE.COM")', "07700 900003", "EC4M 7AA",
         "", ""],
        ["M4", '=CONCAT("Edsger"," ","Dijkstra")', "Compiler Co", "edsger@example.com", "07700 900004",
         "EC4M 7AA", "", ""],
    ], first=True)
    worksheet.merge_cells("C2:C3")
    data = workbook_bytes(workbook)
    # openpyxl never saves a formula's result; give M3's e-mail formula the value Excel would have saved.
    return _with_cached_value(data, "D4", "grace@example.com")


def _with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = part.decode("utf-8")
                start = text.index(f'<c r="{cell}"')
                end = text.index("</c>", start)
                formula = text[text.index("<f>", start):text.index("</f>", start) + len("</f>")]
                text = text[:start] + f'<c r="{cell}" t="str">{formula}<v>{value}</v>' + text[end:]
                part = text.encode("utf-8")
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), part, zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def hidden_first_sheet() -> bytes:
    workbook = Workbook()
    old = sheet(workbook, "Old list", [["Name", "Email"], ["Someone Old", "old@example.com"]], first=True)
    old.sheet_state = "hidden"
    sheet(workbook, "Contacts", [HEADER, *GOOD])
    return workbook_bytes(workbook)


def injection_rows() -> list[list[str]]:
    """Each injection string in every contacts field, one row per string."""
    rows = [CONTACT_FIELDS]
    for number, attack in enumerate(INJECTIONS, start=1):
        row = [attack] * len(CONTACT_FIELDS)
        if attack.startswith("="):  # a formula as record_id would make every export cell a formula
            row[0] = f"I{number}"
        rows.append(row)
    # and a usable row whose free-text fields carry the attacks, with a real way to reach the person
    usable = ["I4", "", "Mary", "Somerville"] + [INJECTIONS[1]] * (len(CONTACT_FIELDS) - 4)
    usable[CONTACT_FIELDS.index("Mobile")] = "07700 900009"
    rows.append(usable)
    return rows


def files() -> dict[str, bytes]:
    good = good_workbook()
    long_text = "x" * 100_000
    return {
        "empty.csv": b"",
        "header-only.csv": csv_bytes([HEADER]),
        "truncated.xlsx": good[: len(good) // 2],
        "xlsx-named.csv": good,
        "csv-named.xlsx": csv_bytes([HEADER, *GOOD]),
        "semicolon.csv": csv_bytes([HEADER, *GOOD], delimiter=";"),
        "tab.csv": csv_bytes([HEADER, *GOOD], delimiter="\t"),
        "duplicate-headers.csv": csv_bytes([
            ["Contact ID", "Name", "Email", "Email", "Mobile", "Notes", "Notes"],
            ["D1", "Ada Lovelace", "ada@example.com", "other@example.com", "07700 900001", "a", "b"],
            ["D2", "Alan Turing", "", "alan@example.com", "07700 900002", "", ""],
        ]),
        "merged-and-formulas.xlsx": merged_and_formulas(),
        "hidden-sheet.xlsx": hidden_first_sheet(),
        "long-cells.csv": csv_bytes([
            HEADER,
            ["L1", long_text, "Long Names Ltd", "long@example.com", "07700 900001", "EC2V 7HH", "", ""],
            ["L2", "Alan Turing", long_text, "alan@example.com", "07700 900002", "EC1A 1BB", "", long_text],
            ["L3", "Grace Hopper", "Compiler Co", long_text + "@example.com", "07700 900003", "EC4M 7AA", "", ""],
        ]),
        "control-emoji-rtl.csv": csv_bytes([
            HEADER,
            ["U1", "Ada\x07 Love\x1blace", "Bell\x00 Ltd".replace("\x00", "\x08"), "ada@example.com",
             "07700 900001", "EC2V 7HH", "", "line one\nline two\x0c"],
            ["U2", "Zoë 🙂 Smith", "Café ☕ Co", "zoe@example.com", "07700 900002", "EC1A 1BB", "", "🎉"],
            ["U3", "محمد علي", "شركة المدينة", "mohammed@example.com", "07700 900003", "EC4M 7AA", "", ""],
            ["U4", "\u202eevil\u202c Name", "\u2066Isolated\u2069 Org", "evil@example.com", "07700 900004",
             "EC4M 7AA", "", ""],
        ]),
        "injection.csv": csv_bytes(injection_rows()),
        "bad-dates.csv": csv_bytes([
            HEADER,
            ["T1", "Ada Lovelace", "", "ada@example.com", "07700 900001", "EC2V 7HH", "31/02/2024", ""],
            ["T2", "Alan Turing", "", "alan@example.com", "07700 900002", "EC1A 1BB", "1899-12-31", ""],
            ["T3", "Grace Hopper", "", "grace@example.com", "07700 900003", "EC4M 7AA", "01/01/1899", ""],
            ["T4", "Edsger Dijkstra", "", "edsger@example.com", "07700 900004", "EC4M 7AA", "02/13/2024", ""],
        ]),
        "ragged-rows.csv": csv_bytes([
            HEADER,
            ["R1", "Ada Lovelace", "", "ada@example.com", "07700 900001", "EC2V 7HH", "", "", "stray", "cells"],
            *GOOD,
            ["R2", "Alan Turing"],
            ["", "", "", "", "", "", "", "", "only beyond the header"],
        ]),
        "unclosed-quote.csv": csv_bytes([HEADER, *GOOD])[:-2].replace(b'"', b"")
        .replace(b"B2,Alan", b'B2,"Alan', 1) + b"\r\n",
        "blank-header-row.csv": csv_bytes([[""] * len(HEADER), ["", ""], ["B1", "Ada Lovelace"]]),
        "title-above-header.xlsx": title_above_header(),
        "utf16.csv": ("\ufeff" + csv_bytes([HEADER, *GOOD]).decode("utf-8")).encode("utf-16-le"),
        "mosaic-negative-households.csv": csv_bytes([
            MOSAIC_HEADER,
            ["EC2V 7HH", "A01", "A", "120"],
            ["EC1A 1BB", "B05", "B", "-5"],
            ["EC4M 7AA", "C10", "C", "-1,200"],
        ]),
        "mosaic-unknown-codes.csv": csv_bytes([
            MOSAIC_HEADER,
            ["EC2V 7HH", "A01", "A", "120"],
            ["EC1A 1BB", "B05", "B", "30"],
            ["EC4M 7AA", "C10", "C", "12"],
            ["EC2M 1WH", "Z99", "Z", "40"],
            ["EC1A 8LF", "A67", "A", "10"],
        ]),
    }


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
