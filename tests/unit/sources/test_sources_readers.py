"""read_table on real files: encodings, delimiters, xlsx cells, Excel row numbers, unreadable files."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from sources.readers import SheetRow, SourceReadError, read_table

NAMES = [["Name", "Note"], ["Zoë Brontë", "£5 café"]]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the start of a legacy .xls file


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(write_csv: Callable[..., Path], encoding: str) -> None:
    table = read_table(write_csv(NAMES, encoding=encoding))
    assert table.headers == ["Name", "Note"]  # no BOM left on the first header
    assert table.rows == [SheetRow(2, ["Zoë Brontë", "£5 café"])]


def test_utf16_with_bom_is_read_too(write_csv: Callable[..., Path]) -> None:
    assert read_table(write_csv(NAMES, encoding="utf-16")).rows[0].cells == ["Zoë Brontë", "£5 café"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(write_csv: Callable[..., Path], delimiter: str) -> None:
    rows = [["Name", "Address", "Email"], ["Bob", "1 High St, London", "bob@example.com"]]
    table = read_table(write_csv(rows, delimiter=delimiter))
    assert table.headers == ["Name", "Address", "Email"]
    assert table.rows[0].cells == ["Bob", "1 High St, London", "bob@example.com"]


def test_excel_sep_hint_line_sets_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "hint.csv"
    path.write_text("sep=;\r\nName;Address\r\nAnn;1 High St, London\r\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ["Name", "Address"]
    assert table.rows == [SheetRow(2, ["Ann", "1 High St, London"])]


def test_csv_cells_stay_text(write_csv: Callable[..., Path]) -> None:
    table = read_table(write_csv([["a", "b", "c", "d", "e"], ["007", "1e5", "TRUE", "03/04/2024", "12.0"]]))
    assert table.rows[0].cells == ["007", "1e5", "TRUE", "03/04/2024", "12.0"]


def test_csv_blank_rows_are_skipped_but_keep_excel_numbering(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("Name,Email\r\nAnn,a@x.com\r\n\r\n,\r\n  ,  \r\nBob,b@x.com\r\n", encoding="utf-8")
    assert [r.number for r in read_table(path).rows] == [2, 6]


def test_csv_quoted_line_breaks_stay_in_one_row(write_csv: Callable[..., Path]) -> None:
    table = read_table(write_csv([["Name", "Notes"], ["Ann", "line one\nline two"], ["Bob", "x"]]))
    assert [(r.number, r.cells[1]) for r in table.rows] == [(2, "line one\nline two"), (3, "x")]


def test_short_and_long_rows_fit_the_header(write_csv: Callable[..., Path]) -> None:
    table = read_table(write_csv([["A", "B", ""], ["1"], ["1", "2", "3", "4"]]))
    assert table.headers == ["A", "B"]
    assert [r.cells for r in table.rows] == [["1", None], ["1", "2"]]


def test_content_hash_is_sha256_of_the_bytes(write_csv: Callable[..., Path]) -> None:
    path = write_csv(NAMES)
    assert read_table(path).content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_xlsx_cells(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx([
        ["Id", "Phone", "Mobile", "When", "Stamp", "Lat", "Flag", "Text", "Ref"],
        [12, 2076012222, 7700900123.0, date(2024, 4, 3), datetime(2024, 4, 3, 9, 30), 51.515, True, "007",
         12.0],
    ])
    (row,) = read_table(path).rows
    assert row.number == 2
    assert row.cells == ["12", "2076012222", "7700900123", datetime(2024, 4, 3), datetime(2024, 4, 3, 9, 30),
                         "51.515", "TRUE", "007", "12"]


def test_xlsx_blank_rows_keep_excel_numbering(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx([["Name"], ["Ann"], None, None, ["Bob"], [None], ["Cy"]])
    assert [(r.number, r.cells) for r in read_table(path).rows] == [(2, ["Ann"]), (5, ["Bob"]), (7, ["Cy"])]


def test_xlsx_header_below_blank_rows_keeps_real_numbers(write_xlsx: Callable[..., Path]) -> None:
    table = read_table(write_xlsx([None, ["Name"], ["Ann"]]))
    assert table.headers == ["Name"]
    assert table.rows == [SheetRow(3, ["Ann"])]


def test_xlsx_sheet_by_name_or_first(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx([["Name"], ["first sheet"]], sheets={"Contacts": [["Name"], ["second sheet"]]})
    assert read_table(path).rows[0].cells == ["first sheet"]
    assert read_table(path, "Contacts").rows[0].cells == ["second sheet"]
    assert read_table(path, " contacts ").rows[0].cells == ["second sheet"]
    with pytest.raises(SourceReadError, match=r"has no sheet 'People' \(sheets: 'Sheet1', 'Contacts'\)"):
        read_table(path, "People")


def zip_with_garbage(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("absent.csv", None, "file not found"),
        ("empty.csv", lambda p: p.write_bytes(b""), "the file is empty"),
        ("blank.csv", lambda p: p.write_bytes(b"\r\n  \r\n"), "the file is empty"),
        ("commas.csv", lambda p: p.write_bytes(b",,\r\n,,\r\n"), "the file is empty"),
        ("header.csv", lambda p: p.write_bytes(b"Name,Email\r\n\r\n"), "the file has a header row but no"),
        ("book.csv", lambda p: zip_with_garbage(p), "corrupt or not a valid .xlsx workbook"),
        ("old.csv", lambda p: p.write_bytes(OLE + b"\0" * 100), "old .xls"),
        ("bad.csv", lambda p: p.write_bytes(b"Name\r\n\x81\x8d\r\n"), "neither UTF-8 nor Windows-1252"),
        ("binary.xlsx", lambda p: p.write_bytes(b"\x01\x02garbage"), "corrupt or not a valid .xlsx workbook"),
        ("zip.xlsx", lambda p: zip_with_garbage(p), "corrupt or not a valid .xlsx workbook"),
        ("cut.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 50), "corrupt or not a valid .xlsx"),
        ("old.xlsx", lambda p: p.write_bytes(OLE + b"\0" * 100), "old .xls"),
        ("folder.csv", lambda p: p.mkdir(), "is a folder, not a file"),
    ],
)
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, make, message: str) -> None:
    path = tmp_path / name
    if make:
        make(path)
    with pytest.raises(SourceReadError) as caught:
        read_table(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_truncated_real_workbook_is_corrupt(write_xlsx: Callable[..., Path]) -> None:
    path = write_xlsx([["Name"], ["Ann"]])
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(SourceReadError, match="corrupt or not a valid .xlsx workbook"):
        read_table(path)


def test_header_only_and_empty_workbooks(write_xlsx: Callable[..., Path]) -> None:
    with pytest.raises(SourceReadError, match="sheet 'Sheet1' has a header row but no data rows"):
        read_table(write_xlsx([["Name", "Email"]], name="header.xlsx"))
    with pytest.raises(SourceReadError, match="sheet 'Sheet1' is empty"):
        read_table(write_xlsx([], name="empty.xlsx"))
