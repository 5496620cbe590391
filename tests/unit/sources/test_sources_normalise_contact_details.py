"""Postcodes, phones and emails: every spelling of one value normalises to the same thing."""

from __future__ import annotations

import pytest

from sources.normalise.email import parse_email
from sources.normalise.phone import is_mobile, parse_phone
from sources.normalise.postcode import parse_postcode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("EC2V 7HH", "EC2V 7HH"),
        ("ec2v7hh", "EC2V 7HH"),
        ("  EC2V  7HH ", "EC2V 7HH"),
        ("ec2v\t7hh", "EC2V 7HH"),
        ("sw1a 1aa", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("gir 0aa", "GIR 0AA"),
        ("GIR0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes(raw: str, expected: str) -> None:
    assert parse_postcode(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["XYZ", "EC2V", "12345", "EC2V 7HHH", "Q1 1AA", "EC2V 7CI", "EC2V-7HH!"])
def test_invalid_postcodes(raw: str) -> None:
    assert parse_postcode(raw) == (None, f"{raw!r} is not a UK postcode")


@pytest.mark.parametrize("raw", [None, "", "   ", "n/a", "TBC", "-", "?", "Unknown", "none"])
def test_blank_postcodes(raw: str | None) -> None:
    assert parse_postcode(raw) == (None, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020 7601 2222", "+442076012222"),
        ("+44 (0)20 7601-2222", "+442076012222"),
        ("+44 (0) 20 7601 2222", "+442076012222"),
        ("+44 20 7601 2222", "+442076012222"),
        ("+44 020 7601 2222", "+442076012222"),
        ("0044 20 7601 2222", "+442076012222"),
        ("(020) 7601 2222", "+442076012222"),
        ("020-7601-2222", "+442076012222"),
        ("020.7601.2222", "+442076012222"),
        ("02076012222", "+442076012222"),
        ("2076012222", "+442076012222"),  # stored as a number in Excel: the 0 was lost
        ("442076012222", "+442076012222"),
        ("020 7601 2222 ext 123", "+442076012222"),
        ("020 7601 2222 x123", "+442076012222"),
        ("020 7601 2222 Ext. 45", "+442076012222"),
        ("020 7601 2222 #2", "+442076012222"),
        ("Tel: 020 7601 2222", "+442076012222"),
        ("07700900123", "+447700900123"),
        ("07700 900 123", "+447700900123"),
        ("7700900123", "+447700900123"),
        ("+447700900123", "+447700900123"),
        ("07700 900123 (mobile)", "+447700900123"),
        ("0161 496 0000", "+441614960000"),
        ("1614960000", "+441614960000"),
        ("0300 123 4567", "+443001234567"),
        ("0800 123 456", "+44800123456"),
    ],
)
def test_uk_phones_become_e164(raw: str, expected: str) -> None:
    assert parse_phone(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    ["12345", "020 7601", "+33 1 23 45 67 89", "0033 123456789", "phone me", "0207 601 2222 2222",
     "04123456789"],
)
def test_invalid_phones(raw: str) -> None:
    assert parse_phone(raw) == (None, f"{raw!r} is not a UK phone number")


def test_blank_phone() -> None:
    assert parse_phone("n/a") == (None, None)


# Outcomes that changed when libphonenumber took over from our own digit counting.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0800 1111", "+448001111"),  # seven-digit freephone numbers exist (Childline); we wanted 9 or 10 digits
        ("7700900123.0", "+447700900123"),  # a number that went through a float in a CSV export
        ("2076012222.0", "+442076012222"),
        ("02076012222.0", "+442076012222"),
        ("0161.496.0000", "+441614960000"),  # a dotted number ending in zeros is not a float
        ("01624 612345", "+441624612345"),  # Isle of Man and the Channel Islands share +44
        ("01481 712345", "+441481712345"),
        ("01632 960000", "+441632960000"),  # Ofcom's drama ranges, which libphonenumber does not hold
        ("07700 900999", "+447700900999"),
    ],
)
def test_phones_the_library_accepts(raw: str, expected: str) -> None:
    assert parse_phone(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "07612 345678",  # 076 pager numbers not allocated: ten digits starting 7 were enough for us
        "021 1234 5678",  # 021, 022, 025: no such area codes
        "022 1234 5678",
        "01000 123456",
        "050 1234 5678",  # 050 is not allocated (055 and 056 are)
        "07700 901123",  # just outside the drama range 07700 900000-900999
        "01632 961000",
        "07911 528412",  # a block of 07911 not yet allocated
        "5534320049",  # ten digits starting 5 did not lose a 0 in Excel; the library alone would say 055
        "+447700900123.0",  # a float tail only on a bare number of digits
    ],
)
def test_phones_in_no_allocated_range_are_refused(raw: str) -> None:
    assert parse_phone(raw) == (None, f"{raw!r} is not a UK phone number")


@pytest.mark.parametrize(
    ("e164", "mobile"),
    [
        ("+447700900123", True),
        ("+447400123456", True),
        ("+447624123456", True),  # Isle of Man mobiles
        ("+447012345678", False),  # 070 personal numbering
        ("+447612345678", False),  # 076 pagers
        ("+442076012222", False),
        ("+441614960000", False),
    ],
)
def test_mobile_is_07(e164: str, mobile: bool) -> None:
    assert is_mobile(e164) is mobile


@pytest.mark.parametrize(
    ("e164", "mobile"),
    [
        ("+447700900999", True),  # drama mobiles, by our own table
        ("+441632960000", False),
        ("+447781123456", True),  # Guernsey, Jersey and Isle of Man mobiles share +44 7
        ("+447797123456", True),
        ("+447624123456", True),
        ("+448001111", False),
        ("+447623123456", False),  # a pager number libphonenumber knows
        ("not a number", False),
    ],
)
def test_mobile_is_the_librarys_number_type(e164: str, mobile: bool) -> None:
    assert is_mobile(e164) is mobile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bob@example.com", "bob@example.com"),
        ("  Bob.Smith@Example.CO.UK ", "bob.smith@example.co.uk"),
        ("mailto:bob@example.com", "bob@example.com"),
        ("MAILTO:Bob@Example.com", "bob@example.com"),
        ("Bob Smith <bob@example.com>", "bob@example.com"),
        ("bob+news@sub.example.org", "bob+news@sub.example.org"),
        ("o'neill@example.ie", "o'neill@example.ie"),
        ("bob@example.com (work)", "bob@example.com"),
    ],
)
def test_valid_emails(raw: str, expected: str) -> None:
    assert parse_email(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw", ["bob@", "@example.com", "bob", "bob@example", "bob@@example.com", "bob..smith@example.com",
            "bob smith@example.com x", "bob@-example.com", "bob@example.c"],
)
def test_invalid_emails(raw: str) -> None:
    assert parse_email(raw) == (None, f"{raw!r} is not an email address")


# Outcomes that changed when email-validator took over from our own pattern.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bob@exämple.com", "bob@xn--exmple-cua.com"),  # internationalised domains, kept in ASCII form
        ("Bob@XN--EXMPLE-CUA.com", "bob@xn--exmple-cua.com"),  # so both spellings are one address
        ("bob@пример.рф", "bob@xn--e1afmkfd.xn--p1ai"),
    ],
)
def test_emails_the_library_accepts(raw: str, expected: str) -> None:
    assert parse_email(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "bob@example.test",  # special-use names (RFC 6761) no mail can go to
        "bob@example.local",
        "bob@example.invalid",
        "bob@host.localhost",
        "bob@example.onion",
        "bob@ex--ample.com",  # "--" in the third and fourth place is reserved for IDNA
        "zoë@example.com",  # still refused: a non-ASCII local part needs SMTPUTF8
        "bob@example.c0m",  # still refused: a top-level domain is letters
    ],
)
def test_emails_the_library_refuses(raw: str) -> None:
    assert parse_email(raw) == (None, f"{raw!r} is not an email address")


def test_several_emails_keep_the_first_valid_one() -> None:
    value, problem = parse_email("bob@example.com; jo@example.com")
    assert value == "bob@example.com"
    assert problem == (
        "'bob@example.com; jo@example.com' holds more than one address; kept the first valid one"
    )


def test_blank_email() -> None:
    assert parse_email(" N/A ") == (None, None)
