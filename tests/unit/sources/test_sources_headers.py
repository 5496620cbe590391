"""Header synonyms of contract section 3, explicit columns, unknown and duplicate headers."""

from __future__ import annotations

import pytest

from sources.headers import map_headers, missing_required, normalise_header

# Written out from the contract rather than read from sources.headers, so a synonym
# dropped from the code fails here.
CONTRACT = {
    "contacts": {
        "record_id": ["record id", "id", "ref", "reference", "contact id"],
        "title": ["title", "salutation"],
        "first_name": ["first name", "forename", "given name", "firstname"],
        "last_name": ["last name", "surname", "family name", "lastname"],
        "full_name": ["name", "full name", "contact name", "contact"],
        "job_title": ["job title", "position", "role"],
        "organisation": ["organisation", "organization", "company", "business", "employer", "firm"],
        "email": ["email", "e-mail", "email address"],
        "phone": ["phone", "telephone", "tel", "landline", "work phone"],
        "mobile": ["mobile", "mobile phone", "mobile number", "cell"],
        "address_line_1": ["address", "address 1", "address line 1", "street"],
        "address_line_2": ["address 2", "address line 2"],
        "town": ["town", "city"],
        "postcode": ["postcode", "post code", "postal code"],
        "category": ["category", "type", "stakeholder type"],
        "priority": ["priority", "priority level"],
        "issues": ["issues", "interests", "concerns", "topics"],
        "consent_email": ["email consent", "consent email", "email opt in", "ok to email"],
        "consent_sms": ["sms consent", "consent sms", "text consent", "sms opt in", "ok to text"],
        "restricted": ["restricted", "restricted record", "sensitive"],
        "last_contacted": ["last contacted", "last contact", "date last contacted", "last updated"],
        "notes": ["notes", "comments"],
    },
    "keyholders": {
        "record_id": ["keyholder id", "record id"],
        "premises_ref": ["premises ref", "uprn", "premises id", "property ref"],
        "premises_name": ["premises name", "building", "building name"],
        "address_line_1": ["address", "address 1", "address line 1", "street"],
        "address_line_2": ["address 2", "address line 2"],
        "postcode": ["postcode", "post code", "postal code"],
        "occupier": ["occupier", "occupant", "business name"],
        "keyholder_name": ["keyholder", "keyholder name"],
        "keyholder_phone": ["keyholder phone", "keyholder telephone"],
        "keyholder_mobile": ["keyholder mobile"],
        "keyholder_email": ["keyholder email"],
        "keyholder_order": ["order", "keyholder number", "sequence"],
        "last_verified": ["last verified", "date verified", "verified"],
    },
    "mosaic": {
        "postcode": ["postcode", "pcd", "pcds"],
        "mosaic_type": ["mosaic_type", "mosaic type", "type"],
        "mosaic_group": ["mosaic_group", "mosaic group", "group"],
        "households": ["households"],
    },
    "postcodes": {
        "postcode": ["postcode", "pcd", "pcds"],
        "latitude": ["latitude", "lat"],
        "longitude": ["longitude", "long", "lon", "lng"],
        "ward": ["ward", "ward name"],
        "district": ["district"],
    },
}
CASES = [
    (kind, field, synonym)
    for kind, fields in CONTRACT.items()
    for field, synonyms in fields.items()
    for synonym in (field, *synonyms)
]


@pytest.mark.parametrize(("kind", "field", "synonym"), CASES)
def test_every_synonym_maps_to_its_field(kind: str, field: str, synonym: str) -> None:
    assert map_headers([synonym], kind).header_map == {field: synonym}


@pytest.mark.parametrize(
    "header", ["E-Mail", "E_MAIL:", " email ", "e.mail", "EMAIL ADDRESS", "Email-Addr.ess:"]
)
def test_case_and_punctuation_are_ignored(header: str) -> None:
    assert map_headers([header], "contacts").columns == {"email": 0}


def test_normalise_header() -> None:
    assert normalise_header(" Date Last-Contacted: ") == "datelastcontacted"


def test_explicit_columns_win_over_synonyms() -> None:
    mapping = map_headers(["Name", "Contact", "Email"], "contacts", {"full_name": "contact"})
    assert mapping.columns == {"full_name": 1, "email": 2}
    assert mapping.header_map["full_name"] == "Contact"
    assert any("'Name' also matches full_name" in w for w in mapping.warnings)


def test_explicit_column_can_name_any_header() -> None:
    mapping = map_headers(["Who", "Addr"], "contacts", {"full_name": "Who", "address_line_1": "ADDR"})
    assert mapping.columns == {"full_name": 0, "address_line_1": 1}
    assert mapping.unknown == []


def test_explicit_column_not_in_file_is_a_warning() -> None:
    mapping = map_headers(["Name"], "contacts", {"email": "Mail"})
    assert mapping.warnings == ["manifest maps email to header 'Mail', which is not in the file"]


def test_unknown_headers_are_reported_in_order() -> None:
    mapping = map_headers(["Name", "Shoe size", "", "Email", "Favourite colour"], "contacts")
    assert mapping.unknown == ["Shoe size", "Favourite colour"]


def test_duplicate_headers_first_wins_and_is_reported() -> None:
    mapping = map_headers(["Phone", "Telephone"], "contacts")
    assert mapping.header_map == {"phone": "Phone"}
    assert mapping.warnings == ["header 'Telephone' also matches phone; using 'Phone' and ignoring it"]


def test_same_word_means_different_fields_per_kind() -> None:
    assert map_headers(["Type"], "contacts").columns == {"category": 0}
    assert map_headers(["Type"], "mosaic").columns == {"mosaic_type": 0}
    assert map_headers(["Business Name"], "keyholders").columns == {"occupier": 0}


@pytest.mark.parametrize(
    ("kind", "fields", "missing"),
    [
        ("contacts", {"full_name", "email"}, []),
        ("contacts", {"first_name", "last_name", "mobile"}, []),
        ("contacts", {"first_name", "phone"}, ["full_name (or first_name and last_name)"]),
        ("contacts", {"full_name", "notes"}, ["one of email, phone, mobile"]),
        ("keyholders", {"keyholder_name", "keyholder_mobile"}, []),
        ("keyholders", {"occupier"},
         ["keyholder_name", "one of keyholder_phone, keyholder_mobile, keyholder_email"]),
        ("mosaic", {"postcode", "mosaic_type"}, []),
        ("mosaic", {"postcode", "households"}, ["mosaic_type"]),
        ("postcodes", {"postcode", "latitude", "longitude", "ward"}, []),
        ("postcodes", {"postcode", "district"}, ["latitude", "longitude", "ward"]),
    ],
)
def test_required_fields(kind: str, fields: set[str], missing: list[str]) -> None:
    assert missing_required(kind, fields) == missing
