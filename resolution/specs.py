"""Ready-made TableSpecs. PERSON_ADDRESS_SPEC suits person tables with name, date of birth,
address and an identity number, such as the FEBRL benchmark sets."""

from __future__ import annotations

from .table import FieldComparison, Level, TableSpec

EXACT = Level("exact", "exact")
ADDRESS = "street_number+address_1+address_2+suburb+postcode+state"


def _jw(name: str, threshold: float) -> Level:
    return Level(name, "jaro_winkler", threshold)


def _lev(name: str, distance: int) -> Level:
    return Level(name, "levenshtein", distance)


def _name(field: str, other: str) -> FieldComparison:
    # "swapped" catches a given name and surname typed into each other's columns
    return FieldComparison(field, (field, other), (EXACT, Level("swapped", "swapped"), _jw("jw92", 0.92),
                                                   _jw("jw80", 0.8)), term_frequency=True)


PERSON_ADDRESS_SPEC = TableSpec(
    comparisons=(
        _name("given_name", "surname"),
        _name("surname", "given_name"),
        FieldComparison("date_of_birth", ("date_of_birth",), (EXACT, _lev("one_digit", 1), _lev("two_digits", 2))),
        FieldComparison("soc_sec_id", ("soc_sec_id",), (EXACT, _lev("one_digit", 1), _lev("two_digits", 2))),
        # one comparison for the whole address: its parts agree or differ together (a household
        # shares all of them), so weighing them separately would count one fact four times
        FieldComparison("address", (ADDRESS,), (EXACT, _jw("jw95", 0.95), _jw("jw85", 0.85), _jw("jw70", 0.7))),
    ),
    blocking_rules=(
        # names with the suburb: the same common given name and surname elsewhere is rarely one person,
        # and at a million rows the name pair alone brings 5M candidate pairs for 0.02 % more recall
        ("surname", "date_of_birth"), ("given_name", "date_of_birth"), ("soc_sec_id",),
        ("given_name", "surname", "suburb"),
        ("postcode", "surname"), ("postcode", "given_name"), ("date_of_birth", "postcode"),
        ("address_1", "street_number"),
    ),
    training_rules=(("given_name", "surname"), ("surname", "date_of_birth"), ("soc_sec_id",)),
)
