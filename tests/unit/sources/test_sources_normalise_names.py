"""Person names: the one-cell forms of contract section 3, titles, case tidying, name columns."""

from __future__ import annotations

import pytest

from sources.normalise.names import PersonName, parse_full_name, parse_name_parts, tidy_case


@pytest.mark.parametrize(
    ("raw", "title", "first", "middle", "last", "full"),
    [
        ("John Smith", None, "John", None, "Smith", "John Smith"),
        ("  John   Smith ", None, "John", None, "Smith", "John Smith"),
        ("Dr John Smith", "Dr", "John", None, "Smith", "John Smith"),
        ("Dr. John Smith", "Dr", "John", None, "Smith", "John Smith"),
        ("MRS JANE SMITH", "Mrs", "Jane", None, "Smith", "Jane Smith"),
        ("John M. Smith", None, "John", "M", "Smith", "John M Smith"),
        ("John Michael Smith", None, "John", "Michael", "Smith", "John Michael Smith"),
        ("Smith, John", None, "John", None, "Smith", "John Smith"),
        ("SMITH, John M", None, "John", "M", "Smith", "John M Smith"),
        ("Smith, Dr John", "Dr", "John", None, "Smith", "John Smith"),
        ("smith, john", None, "John", None, "Smith", "John Smith"),
        ("Ch Insp Jane Doe", "Ch Insp", "Jane", None, "Doe", "Jane Doe"),
        ("Ch. Insp. Jane Doe", "Ch Insp", "Jane", None, "Doe", "Jane Doe"),
        ("Chief Inspector Jane Doe", "Ch Insp", "Jane", None, "Doe", "Jane Doe"),
        ("Supt Raj Patel", "Supt", "Raj", None, "Patel", "Raj Patel"),
        ("Sgt. Raj Patel", "Sgt", "Raj", None, "Patel", "Raj Patel"),
        ("Insp Raj Patel", "Insp", "Raj", None, "Patel", "Raj Patel"),
        ("Cllr Amy Lee", "Cllr", "Amy", None, "Lee", "Amy Lee"),
        ("Rev Amy Lee", "Rev", "Amy", None, "Lee", "Amy Lee"),
        ("Prof. Amy Lee", "Prof", "Amy", None, "Lee", "Amy Lee"),
        ("Sir Amy Lee", "Sir", "Amy", None, "Lee", "Amy Lee"),
        ("Dame Amy Lee", "Dame", "Amy", None, "Lee", "Amy Lee"),
        ("Lord Amy Lee", "Lord", "Amy", None, "Lee", "Amy Lee"),
        ("Lady Amy Lee", "Lady", "Amy", None, "Lee", "Amy Lee"),
        ("Ms Amy Lee", "Ms", "Amy", None, "Lee", "Amy Lee"),
        ("Miss Amy Lee", "Miss", "Amy", None, "Lee", "Amy Lee"),
        ("Mr Smith", "Mr", None, None, "Smith", "Smith"),
        ("Rt Hon Sir John Major", "Rt Hon Sir", "John", None, "Major", "John Major"),
        ("DI Jane Smith", "DI", "Jane", None, "Smith", "Jane Smith"),
        ("Di Smith", None, "Di", None, "Smith", "Di Smith"),  # a given name, not a rank
        ("Sir John Smith OBE", "Sir", "John", None, "Smith", "John Smith"),
        ("John Smith, QPM", None, "John", None, "Smith", "John Smith"),
        ("John (Jack) Smith", None, "John", None, "Smith", "John Smith"),
        ("Smith, John (Dr)", "Dr", "John", None, "Smith", "John Smith"),
        ("Zoë Brontë", None, "Zoë", None, "Brontë", "Zoë Brontë"),
        ("ZOË BRONTË", None, "Zoë", None, "Brontë", "Zoë Brontë"),
        ("José Álvarez-Núñez", None, "José", None, "Álvarez-Núñez", "José Álvarez-Núñez"),
        ("Siobhan O'Neill", None, "Siobhan", None, "O'Neill", "Siobhan O'Neill"),
        ("SIOBHAN O'NEILL", None, "Siobhan", None, "O'Neill", "Siobhan O'Neill"),
        ("mary smith-jones", None, "Mary", None, "Smith-Jones", "Mary Smith-Jones"),
        ("ANGUS MCDONALD", None, "Angus", None, "McDonald", "Angus McDonald"),
        ("Jean-Luc Picard", None, "Jean-Luc", None, "Picard", "Jean-Luc Picard"),
        ("Vincent van Gogh", None, "Vincent", None, "van Gogh", "Vincent van Gogh"),
        ("MARIA DE LA CRUZ", None, "Maria", None, "de la Cruz", "Maria de la Cruz"),
        ("DE LA CRUZ, Maria", None, "Maria", None, "De la Cruz", "Maria De la Cruz"),
        ("eBay McKenzie", None, "eBay", None, "McKenzie", "eBay McKenzie"),  # mixed case is left alone
        ("Smith", None, None, None, "Smith", "Smith"),
    ],
)
def test_full_name_forms(raw: str, title, first, middle, last, full) -> None:
    name, problem = parse_full_name(raw)
    assert problem is None
    assert name == PersonName(title, first, middle, last)
    assert name.full_name == full


@pytest.mark.parametrize("raw", [None, "", "  ", "n/a", "Unknown", "-", "Dr", "Mr."])
def test_no_name(raw: str | None) -> None:
    assert parse_full_name(raw) == (None, None)


@pytest.mark.parametrize("raw", ["bob@example.com", "020 7601 2222", "12345"])
def test_values_that_are_not_names_are_flagged(raw: str) -> None:
    assert parse_full_name(raw) == (None, f"{raw!r} is not a name")


@pytest.mark.parametrize(
    ("title", "first", "last", "expected"),
    [
        (None, "John", "Smith", PersonName(None, "John", None, "Smith")),
        ("Dr.", " john ", "SMITH", PersonName("Dr", "John", None, "Smith")),
        (None, "Dr John", "Smith", PersonName("Dr", "John", None, "Smith")),
        ("Mrs", "Dr John", "Smith", PersonName("Mrs", "John", None, "Smith")),  # the title cell wins
        ("CH INSP", "Jane", "Doe", PersonName("Ch Insp", "Jane", None, "Doe")),
        ("Brigadier", "Jane", "Doe", PersonName("Brigadier", "Jane", None, "Doe")),
        (None, "John P.", "Smith", PersonName(None, "John", "P", "Smith")),
        (None, "JOHN", "O'NEILL", PersonName(None, "John", None, "O'Neill")),
        (None, "Zoë", "n/a", PersonName(None, "Zoë", None, None)),
        ("Mr", "", "Smith", PersonName("Mr", None, None, "Smith")),
        (None, "Bob", "Smith MBE", PersonName(None, "Bob", None, "Smith")),
    ],
)
def test_name_columns(title, first, last, expected: PersonName) -> None:
    assert parse_name_parts(title, first, last) == (expected, [])


def test_name_columns_all_blank() -> None:
    assert parse_name_parts("Dr", "n/a", "") == (None, [])


def test_name_columns_with_rubbish_are_flagged() -> None:
    name, problems = parse_name_parts(None, "bob@example.com", "Smith")
    assert name == PersonName(None, None, None, "Smith")
    assert problems == ["first_name: 'bob@example.com' is not a name"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("o'neill", "O'Neill"), ("MCDONALD", "McDonald"), ("smith-jones", "Smith-Jones"), ("ZOË", "Zoë"),
     ("d'arcy", "D'Arcy"), ("ann marie", "Ann Marie")],
)
def test_tidy_case(raw: str, expected: str) -> None:
    assert tidy_case(raw) == expected
