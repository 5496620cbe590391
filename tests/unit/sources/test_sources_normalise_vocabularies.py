"""Booleans, category, priority, issues, Mosaic codes, numbers and placeholders (contract section 4)."""

from __future__ import annotations

from datetime import date

import pytest

from sources.normalise.booleans import parse_bool
from sources.normalise.category import parse_category
from sources.normalise.email import parse_email
from sources.normalise.issues import parse_issues
from sources.normalise.mosaic import parse_mosaic_group, parse_mosaic_type
from sources.normalise.numbers import parse_count, parse_latitude, parse_longitude, parse_order
from sources.normalise.phone import parse_phone
from sources.normalise.priority import parse_priority
from sources.normalise.text import clean_id, clean_notes, clean_text, is_blank

PLACEHOLDERS = [
    "", "  ", "n/a", "N/A", "na", "NA", "none", "None", "-", "unknown", "UNKNOWN", "tbc", "TBC", "?",
    "#N/A", "null",
]


@pytest.mark.parametrize("raw", PLACEHOLDERS)
@pytest.mark.parametrize("parse", [parse_bool, parse_category, parse_priority, parse_email, parse_phone,
                                   parse_mosaic_type, parse_count, parse_latitude])
def test_placeholders_are_blank_for_every_field(parse, raw: str) -> None:
    assert parse(raw) == (None, None)


@pytest.mark.parametrize("raw", PLACEHOLDERS + [None])
def test_placeholders_in_text_and_lists(raw: str | None) -> None:
    assert is_blank(raw)
    assert clean_text(raw) is None
    assert parse_issues(raw) == ([], [])


@pytest.mark.parametrize("raw", ["0", "n", "x", "Mr", "no"])
def test_short_values_are_not_placeholders(raw: str) -> None:
    assert not is_blank(raw)
    assert not is_blank(date(2024, 1, 1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("y", True), ("Y", True), ("yes", True), ("YES", True), ("true", True), ("TRUE", True),
        ("1", True), ("x", True), ("X", True), (" yes ", True),
        ("n", False), ("N", False), ("no", False), ("No", False), ("false", False), ("FALSE", False),
        ("0", False),
        (None, None), ("", None), ("n/a", None),
    ],
)
def test_booleans(raw: str | None, expected: bool | None) -> None:
    assert parse_bool(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["maybe", "2", "ok", "yes please"])
def test_unknown_booleans_are_flagged(raw: str) -> None:
    assert parse_bool(raw) == (None, f"{raw!r} is not yes or no")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("business", "business"), ("Business", "business"), ("resident", "resident"),
        ("Residents", "resident"), ("partner_agency", "partner_agency"), ("partner", "partner_agency"),
        ("Agency", "partner_agency"), ("Partner Agency", "partner_agency"),
        ("partner-agency", "partner_agency"),
        ("police", "police"), ("Police Force", "police"), ("law enforcement", "police"),
        ("voluntary_group", "voluntary_group"), ("Charity", "voluntary_group"),
        ("voluntary", "voluntary_group"),
        ("Community Group", "voluntary_group"), ("other", "other"), ("OTHER", "other"),
    ],
)
def test_categories(raw: str, expected: str) -> None:
    assert parse_category(raw) == (expected, None)


def test_unknown_category_is_flagged_not_guessed() -> None:
    value, problem = parse_category("Celebrity")
    assert value is None
    assert problem.startswith("'Celebrity' is not a known category")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("high", "high"), ("High", "high"), ("H", "high"), ("h", "high"), ("1", "high"),
        ("medium", "medium"), ("Med", "medium"), ("M", "medium"), ("2", "medium"),
        ("low", "low"), ("LOW", "low"), ("L", "low"), ("3", "low"),
    ],
)
def test_priorities(raw: str, expected: str) -> None:
    assert parse_priority(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["4", "urgent", "0"])
def test_unknown_priority_is_flagged(raw: str) -> None:
    value, problem = parse_priority(raw)
    assert value is None and problem.startswith(f"{raw!r} is not a priority")


@pytest.mark.parametrize(
    ("issue", "terms"),
    [
        ("anti_social_behaviour", ["asb", "ASB", "anti-social behaviour", "antisocial behaviour",
                                   "Anti Social Behaviour", "anti_social_behaviour"]),
        ("crime", ["crime", "acquisitive crime"]),
        ("protest", ["protest", "protests", "demonstration", "demonstrations", "demo"]),
        ("terrorism", ["terrorism", "counter terrorism", "Counter-Terrorism", "CT"]),
        ("security", ["security", "business security"]),
        ("fraud", ["fraud", "economic crime"]),
        ("cyber_crime", ["cyber", "cyber crime", "cybercrime", "Cyber-Crime"]),
        ("road_closures", ["roads", "road closures", "traffic"]),
        ("public_events", ["events", "public events"]),
    ],
)
def test_issue_synonyms(issue: str, terms: list[str]) -> None:
    for term in terms:
        assert parse_issues(term) == ([issue], [])


@pytest.mark.parametrize("separator", [";", ",", "/", "|", " ; ", "\n"])
def test_issue_lists_split_on_every_separator(separator: str) -> None:
    raw = separator.join(["ASB", "protests", "Fraud"])
    assert parse_issues(raw) == (["anti_social_behaviour", "protest", "fraud"], [])


def test_issues_keep_first_seen_order_without_repeats() -> None:
    assert parse_issues("demo; protest; traffic, Demonstrations") == (["protest", "road_closures"], [])


def test_unknown_issue_terms_are_flagged_not_dropped_silently() -> None:
    issues, problems = parse_issues("fraud; parking; ; tbc; litter")
    assert issues == ["fraud"]
    assert problems == ["'parking' is not a known issue", "'litter' is not a known issue"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("A01", "A01"), ("a01", "A01"), ("O66", "O66"), ("k 45", "K45"), ("E21", "E21")]
)
def test_mosaic_types(raw: str, expected: str) -> None:
    assert parse_mosaic_type(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["P01", "A00", "A67", "A1", "A001", "01", "Z99"])
def test_invalid_mosaic_types(raw: str) -> None:
    value, problem = parse_mosaic_type(raw)
    assert value is None and problem == f"{raw!r} is not a Mosaic type (A01 to O66)"


@pytest.mark.parametrize(("raw", "expected"), [("A", ("A", None)), ("o", ("O", None)),
                                               ("P", (None, "'P' is not a Mosaic group (A to O)"))])
def test_mosaic_groups(raw: str, expected: tuple) -> None:
    assert parse_mosaic_group(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("12", 12), ("12.0", 12), ("1,234", 1234)])
def test_counts(raw: str, expected: int) -> None:
    assert parse_count(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["-3", "2.5", "many"])
def test_invalid_counts(raw: str) -> None:
    assert parse_count(raw) == (None, f"{raw!r} is not a whole number of 0 or more")


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("2.0", 2), ("3rd", 3), ("1st", 1)])
def test_keyholder_order(raw: str, expected: int) -> None:
    assert parse_order(raw) == (expected, None)


def test_invalid_keyholder_order() -> None:
    assert parse_order("first") == (None, "'first' is not a position such as 1 or 2")


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        (parse_latitude, "51.51503", (51.51503, None)),
        (parse_longitude, "-0.09139", (-0.09139, None)),
        (parse_latitude, "99.999999", (None, "'99.999999' is outside the UK (49.0 to 61.0)")),
        (parse_longitude, "10", (None, "'10' is outside the UK (-8.7 to 2.0)")),
        (parse_latitude, "north", (None, "'north' is not a number")),
    ],
)
def test_coordinates(parse, raw: str, expected: tuple) -> None:
    assert parse(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [(" 12.0 ", "12"), ("007", "007"), ("AB-1", "AB-1"), ("n/a", None)]
)
def test_identifiers(raw: str, expected: str | None) -> None:
    assert clean_id(raw) == expected


def test_text_is_trimmed_and_collapsed_but_notes_keep_lines() -> None:
    assert clean_text("  Acme \t  Ltd ") == "Acme Ltd"
    assert clean_notes("  line one\nline two  ") == "line one\nline two"
