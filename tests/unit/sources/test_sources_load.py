"""load_source end to end on real files: identity, normalised rows, quarantine, source failures."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from sources import SourceBatch, SourceSpec, load_source, records
from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS

Load = Callable[..., SourceBatch]


def accounted(batch: SourceBatch) -> None:
    assert batch.failure is None, batch.failure
    assert len(batch.rows) + len(batch.quarantine) == batch.rows_read
    assert tuple(batch.rows.columns) == COLUMNS_BY_KIND[batch.spec.kind]
    assert tuple(batch.quarantine.columns) == QUARANTINE_COLUMNS


def quarantine(batch: SourceBatch) -> list[tuple[str, int, str]]:
    return list(batch.quarantine[["record_id", "row_number", "reason"]].itertuples(index=False, name=None))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_contact_row_is_fully_normalised(load: Load, fmt: str) -> None:
    batch = load([
        ["Contact ID", "Title", "Name", "Job Title", "Company", "E-mail", "Telephone", "Mobile Number",
         "Address", "Address 2", "City", "Post Code", "Stakeholder Type", "Priority Level", "Topics",
         "OK to email", "Text consent", "Sensitive", "Last Contacted", "Comments", "Shoe Size"],
        ["C-1", "dr.", "SMITH, John M", "Head of Security", " Acme  Ltd ", "mailto:John.Smith@Acme.co.uk",
         "+44 (0)20 7601-2222", "07700 900123", "1 Poultry", "Floor 2", "London", "ec2v7hh", "Business", "H",
         "ASB; protests / Fraud", "Y", "no", "x", "03/04/2024", "Met at \nbriefing", "9"],
    ], fmt=fmt, name="ecd-contacts", directorate="Economic Crime")
    accounted(batch)
    (row,) = batch.rows.to_dict("records")
    assert row == {
        "ref": "ecd-contacts:C-1", "source": "ecd-contacts", "record_id": "C-1", "row_number": 2, "flags": [],
        "directorate": "Economic Crime", "title": "Dr", "first_name": "John", "middle_name": "M",
        "last_name": "Smith", "full_name": "John M Smith", "job_title": "Head of Security",
        "organisation": "Acme Ltd", "email": "john.smith@acme.co.uk", "phone": "+442076012222",
        "mobile": "+447700900123", "address_line_1": "1 Poultry", "address_line_2": "Floor 2",
        "town": "London",
        "postcode": "EC2V 7HH", "category": "business", "priority": "high",
        "issues": ["anti_social_behaviour", "protest", "fraud"], "consent_email": True, "consent_sms": False,
        "restricted": True, "last_contacted": date(2024, 4, 3), "notes": "Met at \nbriefing",
    }
    assert batch.unknown_headers == ["Shoe Size"]
    assert batch.header_map["full_name"] == "Name"
    assert len(batch.content_hash) == 64


def test_blank_values_are_none_not_nan(load: Load) -> None:
    batch = load([["Name", "Email", "Phone"], ["Ann Lee", "ann@example.com", ""]])
    accounted(batch)
    row = batch.rows.iloc[0]
    assert row["phone"] is None and row["mobile"] is None and row["postcode"] is None
    assert row["issues"] == [] and row["consent_email"] is None
    assert str(batch.rows["row_number"].dtype) == "int64"


def test_name_columns_and_excel_cells(load: Load) -> None:
    batch = load([
        ["Ref", "Forename", "Surname", "Mobile", "Last Updated"],
        [12.0, "JANE", "O'NEILL", 7700900123, datetime(2024, 4, 3, 10, 0)],
    ], fmt="xlsx")
    accounted(batch)
    row = batch.rows.iloc[0]
    assert (row["record_id"], row["ref"]) == ("12", "test-src:12")
    assert (row["first_name"], row["last_name"], row["full_name"]) == ("Jane", "O'Neill", "Jane O'Neill")
    assert row["mobile"] == "+447700900123"
    assert row["last_contacted"] == date(2024, 4, 3)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_row_identity_without_record_id_uses_excel_row_numbers(load: Load, fmt: str) -> None:
    rows = [["Name", "Email"], ["Ann Lee", "a@x.com"], ["", ""], ["Bob Ray", "b@x.com"], [],
            ["Cy Dee", "c@x.com"]]
    batch = load(rows, fmt=fmt, name="ecd")
    accounted(batch)
    assert batch.rows_read == 3
    assert list(batch.rows["ref"]) == ["ecd:row-2", "ecd:row-4", "ecd:row-6"]
    assert list(batch.rows["row_number"]) == [2, 4, 6]


def test_record_id_is_trimmed_and_integral_floats_lose_point_zero(load: Load) -> None:
    batch = load([["ID", "Name", "Email"], [" 7 ", "Ann Lee", "a@x.com"], ["12.0", "Bob Ray", "b@x.com"]])
    assert list(batch.rows["record_id"]) == ["7", "12"]


def test_blank_record_id_falls_back_to_row_number_with_a_flag(load: Load) -> None:
    batch = load([["ID", "Name", "Email"], ["n/a", "Ann Lee", "a@x.com"]])
    accounted(batch)
    assert batch.rows.iloc[0]["record_id"] == "row-2"
    assert batch.rows.iloc[0]["flags"] == ["record_id: blank; using row-2"]


def test_duplicate_record_id_is_quarantined_naming_the_first_row(load: Load) -> None:
    batch = load([["Ref", "Name", "Email"], ["A1", "Ann Lee", "a@x.com"], ["A2", "Bob Ray", "b@x.com"],
                  ["A1", "Ann Leigh", "a@x.com"]])
    accounted(batch)
    assert list(batch.rows["record_id"]) == ["A1", "A2"]
    assert quarantine(batch) == [("A1", 4, "duplicate record_id A1 (first seen on row 2)")]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "a@x.com", "", ""], "no name"),
        (["n/a", "a@x.com", "", ""], "no name"),
        (["Dr", "a@x.com", "", ""], "no name"),
        (["Ann Lee", "", "", ""], "no email, phone or mobile"),
        (["Ann Lee", "tbc", "-", "n/a"], "no email, phone or mobile"),
        (["", "", "", ""] + ["note"], "no name; no email, phone or mobile"),
    ],
)
def test_unusable_contacts_are_quarantined_with_a_reason(load: Load, row: list[str], reason: str) -> None:
    batch = load([["Name", "Email", "Phone", "Mobile", "Notes"], row + [""] * (5 - len(row))])
    accounted(batch)
    assert batch.rows.empty
    assert quarantine(batch) == [("row-2", 2, reason)]


def test_invalid_values_in_a_usable_row_are_dropped_and_flagged(load: Load) -> None:
    batch = load([
        ["Name", "Email", "Phone", "Postcode", "Priority", "Issues", "Email consent", "Last contacted",
         "Type"],
        ["Ann Lee", "bob@", "12345", "XYZ", "urgent", "fraud; parking", "maybe", "31/02/2024", "Celebrity"],
    ])
    accounted(batch)
    (row,) = batch.rows.to_dict("records")
    assert (row["email"], row["phone"], row["postcode"], row["priority"]) == (None, None, None, None)
    assert row["issues"] == ["fraud"]
    assert row["flags"] == [
        "postcode: 'XYZ' is not a UK postcode",
        "category: 'Celebrity' is not a known category "
        "(business, resident, partner_agency, police, voluntary_group, other)",
        "priority: 'urgent' is not a priority (high, medium, low, H/M/L or 1/2/3)",
        "consent_email: 'maybe' is not yes or no",
        "last_contacted: '31/02/2024' is not a real date",
        "issues: 'parking' is not a known issue",
        "email: 'bob@' is not an email address",
        "phone: '12345' is not a UK phone number",
    ]


@pytest.mark.parametrize(
    ("phone", "mobile", "expected_phone", "expected_mobile", "flags"),
    [
        ("07700 900123", "", "+447700900123", "+447700900123", []),
        ("020 7601 2222", "020 7601 2223", "+442076012222", None,
         ["mobile: '+442076012223' is not a mobile number"]),
        ("", "020 7601 2223", "+442076012223", None,
         ["mobile: '+442076012223' is not a mobile number; kept as phone"]),
    ],
)
def test_mobiles_and_landlines_end_up_in_the_right_column(
    load: Load, phone: str, mobile: str, expected_phone: str, expected_mobile: str | None, flags: list[str]
) -> None:
    batch = load([["Name", "Phone", "Mobile"], ["Ann Lee", phone, mobile]])
    row = batch.rows.iloc[0]
    assert (row["phone"], row["mobile"], row["flags"]) == (expected_phone, expected_mobile, flags)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_end_to_end(write_csv: Callable[..., Path], encoding: str) -> None:
    rows = [["Name", "Email", "Notes"], ["Zoë Brontë", "zoe@example.com", "Owes £5"]]
    path = write_csv(rows, encoding=encoding)
    batch = load_source(SourceSpec("enc", "contacts", path, directorate="Test"))
    accounted(batch)
    assert (batch.rows.iloc[0]["full_name"], batch.rows.iloc[0]["notes"]) == ("Zoë Brontë", "Owes £5")


def test_explicit_columns_from_the_manifest(load: Load) -> None:
    batch = load([["Who", "Name", "Mail"], ["Ann Lee", "Team A", "a@x.com"]],
                 columns={"full_name": "Who", "email": "mail", "organisation": "Name"})
    accounted(batch)
    assert (batch.rows.iloc[0]["full_name"], batch.rows.iloc[0]["organisation"]) == ("Ann Lee", "Team A")
    assert batch.header_map == {"full_name": "Who", "email": "Mail", "organisation": "Name"}


def test_duplicate_headers_are_reported(load: Load) -> None:
    batch = load([["Name", "Phone", "Telephone"], ["Ann Lee", "020 7601 2222", "020 7601 9999"]])
    assert batch.rows.iloc[0]["phone"] == "+442076012222"
    assert batch.header_warnings == ["header 'Telephone' also matches phone; using 'Phone' and ignoring it"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_keyholders(load: Load, fmt: str) -> None:
    batch = load([
        ["Keyholder ID", "UPRN", "Building Name", "Address Line 1", "Postcode", "Business Name", "Keyholder",
         "Keyholder Telephone", "Keyholder Mobile", "Keyholder Email", "Order", "Date Verified"],
        ["K1", 100023336956, "One Poultry", "1 Poultry", "EC2R 8AH", "Acme Ltd", "Mr Raj Patel",
         "020 7601 2222", "07700 900456", "RAJ@ACME.COM", "1", "2024-01-31"],
        ["K2", "", "", "", "", "Acme Ltd", "", "020 7601 2222", "", "", "2", ""],
        ["K3", "", "", "", "", "Acme Ltd", "Jo Bloggs", "", "", "", "first", ""],
    ], kind="keyholders", fmt=fmt, name="keyholders")
    accounted(batch)
    (row,) = batch.rows.to_dict("records")
    assert row == {
        "ref": "keyholders:K1", "source": "keyholders", "record_id": "K1", "row_number": 2, "flags": [],
        "premises_ref": "100023336956", "premises_name": "One Poultry", "address_line_1": "1 Poultry",
        "address_line_2": None, "postcode": "EC2R 8AH", "occupier": "Acme Ltd", "title": "Mr",
        "first_name": "Raj", "middle_name": None, "last_name": "Patel", "full_name": "Raj Patel",
        "phone": "+442076012222", "mobile": "+447700900456", "email": "raj@acme.com",
        "keyholder_order": 1, "last_verified": date(2024, 1, 31),
    }
    assert quarantine(batch) == [("K2", 3, "no name"), ("K3", 4, "no email, phone or mobile")]


def test_mosaic(load: Load) -> None:
    batch = load([
        ["pcds", "Mosaic Type", "Mosaic Group", "Households"],
        ["EC2V 7HH", "A01", "", "12"],
        ["ec2r8ah", "b07", "C", ""],
        ["XYZ", "A01", "", "3"],
        ["EC2V 7HH", "Z99", "", "3"],
        ["", "", "", ""],
        ["EC2V 7HH", "A01", "", "-3"],
        ["EC2V 7HH", "", "A", "2.5"],
    ], kind="mosaic")
    accounted(batch)
    rows = batch.rows[["postcode", "mosaic_type", "mosaic_group", "households", "flags"]]
    assert rows.to_dict("records") == [
        {"postcode": "EC2V 7HH", "mosaic_type": "A01", "mosaic_group": "A", "households": 12, "flags": []},
        {"postcode": "EC2R 8AH", "mosaic_type": "B07", "mosaic_group": "B", "households": None,
         "flags": ["mosaic_group: 'C' does not match type 'B07'; using 'B'"]},
        # a bad count is dropped and flagged; the postcode's classification still stands (contract section 5)
        {"postcode": "EC2V 7HH", "mosaic_type": "A01", "mosaic_group": "A", "households": None,
         "flags": ["households: '-3' is not a whole number of 0 or more"]},
    ]
    assert quarantine(batch) == [
        ("row-4", 4, "postcode: 'XYZ' is not a UK postcode"),
        ("row-5", 5, "mosaic_type: 'Z99' is not a Mosaic type (A01 to O66)"),
        ("row-8", 8, "no mosaic_type"),
    ]


def test_mosaic_without_optional_columns(load: Load) -> None:
    batch = load([["Postcode", "Mosaic"], ["EC2V 7HH", "O66"]], kind="mosaic", fmt="xlsx")
    accounted(batch)
    assert batch.rows.iloc[0][["mosaic_group", "households"]].tolist() == ["O", None]


def test_postcodes(load: Load) -> None:
    batch = load([
        ["pcd", "lat", "long", "Ward Name", "District"],
        ["EC2V7HH", "51.51503", "-0.09139", "Cheap", "City of London"],
        ["EC2R 8AH", 51.51396, -0.08897, "", ""],
        ["EC2R 8AH", "99.999999", "0.000000", "Cornhill", ""],
        ["", "51.5", "-0.1", "Cornhill", ""],
        ["EC2V 7HH", "", "-0.1", "Cheap", ""],
    ], kind="postcodes", fmt="xlsx")
    accounted(batch)
    assert batch.rows[["postcode", "latitude", "longitude", "ward", "district"]].to_dict("records") == [
        {"postcode": "EC2V 7HH", "latitude": 51.51503, "longitude": -0.09139, "ward": "Cheap",
         "district": "City of London"},
        {"postcode": "EC2R 8AH", "latitude": 51.51396, "longitude": -0.08897, "ward": None, "district": None},
    ]
    assert str(batch.rows["latitude"].dtype) == "float64"
    assert quarantine(batch) == [
        ("row-4", 4, "latitude: '99.999999' is outside the UK (49.0 to 61.0)"),
        ("row-5", 5, "no postcode"),
        ("row-6", 6, "no latitude"),
    ]


def zip_file(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "file not found"),
        ("empty.csv", b"", "the file is empty"),
        ("header.csv", b"Name,Email\r\n", "the file has a header row but no data rows"),
        ("header.xlsx", [["Name", "Email"]], "sheet 'Sheet1' has a header row but no data rows"),
        ("corrupt.xlsx", zip_file, "is corrupt or not a valid .xlsx workbook"),
        ("truncated.xlsx", b"PK\x03\x04garbage", "is corrupt or not a valid .xlsx workbook"),
        ("no-contact.csv", b"Name,Notes\r\nAnn Lee,hi\r\n",
         "missing required column(s): one of email, phone, mobile"),
        ("no-name.csv", b"Forename,Email\r\nAnn,a@x.com\r\n",
         "missing required column(s): full_name (or first_name and last_name). "
         "Headers found: 'Forename', 'Email'"),
    ],
)
def test_source_failures_name_the_file_and_never_raise(
    tmp_path: Path, write_xlsx: Callable[..., Path], name: str, content: object, message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, list):
        write_xlsx(content).rename(path)
    elif callable(content):
        content(path)
    batch = load_source(SourceSpec("broken", "contacts", path, directorate="Test"))
    assert batch.failure is not None and not batch.ok
    assert batch.failure.startswith(f"{path}: ")
    assert message in batch.failure
    assert batch.rows.empty and batch.quarantine.empty and batch.rows_read == 0
    assert tuple(batch.rows.columns) == COLUMNS_BY_KIND["contacts"]


def test_missing_required_column_with_explicit_mapping_says_so(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"Who,Email\r\nAnn Lee,a@x.com\r\n")
    batch = load_source(SourceSpec("c", "contacts", path, directorate="T", columns={"full_name": "Contact"}))
    assert "manifest maps full_name to header 'Contact', which is not in the file" in batch.failure


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        ("keyholders", b"Keyholder,Occupier", "one of keyholder_phone, keyholder_mobile, keyholder_email"),
        ("mosaic", b"Postcode,Households", "mosaic_type"),
        ("postcodes", b"Postcode,Lat,Long", "ward"),
    ],
)
def test_missing_required_columns_per_kind(tmp_path: Path, kind: str, header: bytes, missing: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(header + b"\r\nx,y,z\r\n")
    batch = load_source(SourceSpec("f", kind, path))
    assert f"missing required column(s): {missing}" in batch.failure


def test_unexpected_errors_become_a_failure_without_personal_data(
    load: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(cells: object) -> None:
        raise ValueError("Ann Lee's secret")

    monkeypatch.setitem(records.BUILDERS, "contacts", explode)
    batch = load([["Name", "Email"], ["Ann Lee", "a@x.com"]])
    assert "unexpected ValueError at" in batch.failure
    assert "Ann" not in batch.failure
