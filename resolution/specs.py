"""The specifications the engine runs: PERSON_ADDRESS_SPEC for person tables with name, date of birth,
address and an identity number (the FEBRL benchmark sets), CONTACT_SPEC for the contacts of a sync."""

from __future__ import annotations

from .rules import FieldComparison, Level, TableSpec, TermFrequency, TrainingRule, agree_on

EXACT = Level("exact", "exact")
ADDRESS = "street_number+address_1+address_2+suburb+postcode+state"


def _jw(name: str, threshold: float, column: str = "") -> Level:
    return Level(name, "jaro_winkler", threshold, column=column)


def _lev(name: str, distance: int) -> Level:
    return Level(name, "levenshtein", distance)


def _name(field: str, other: str) -> FieldComparison:
    # "swapped" catches a given name and surname typed into each other's columns
    return FieldComparison(field, (field, other), (EXACT, Level("swapped", "swapped"), _jw("jw92", 0.92),
                                                   _jw("jw80", 0.8)), term_frequency=TermFrequency())


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
    training_rules=(agree_on("given_name", "surname"), agree_on("surname", "date_of_birth"),
                    agree_on("soc_sec_id")),
)


def _identifier(name: str, shared_level: str) -> FieldComparison:
    # agreeing on a mailbox or number that records of clearly different people also use is weak evidence
    return FieldComparison(name, (name,), (Level("exact", "exact", unless_flagged=f"{name}_shared"),
                                           Level(shared_level, "exact")))


# The columns are those of resolution.scoring.contact_table: folded names and identifiers, sharing
# flags, organisation clusters as codes, blocking keys.
CONTACT_SPEC = TableSpec(
    comparisons=(
        FieldComparison("last_name", ("last",), (EXACT, _jw("typo", 0.92), _jw("similar", 0.8)),
                        term_frequency=TermFrequency(below=3, above=5)),
        FieldComparison("first_name", ("first",), (EXACT, Level("nickname", "nickname"), _jw("typo", 0.88),
                                                   Level("initial", "initial")),
                        term_frequency=TermFrequency(below=3, above=5)),
        FieldComparison("email", ("email",), (
            Level("exact", "exact", unless_flagged="email_shared"), Level("shared_mailbox", "exact"),
            Level("same_local_part", "exact", column="email_handle", unless_flagged="email_shared"))),
        _identifier("mobile", "shared_number"),
        _identifier("phone", "shared_number"),
        FieldComparison("organisation", ("organisation",), (Level("same", "exact"),)),
        # a keyholder's occupier against the other record's employer (or occupier): counted only when
        # a keyholder row is involved, since two employers are the comparison above
        FieldComparison("keyholder_affiliation", ("employer_or_occupier",), (Level("same", "exact"),),
                        only_when_either="occupier"),
        FieldComparison("postcode", ("postcode",), (EXACT, Level("same_district", "exact", column="district"))),
        # the first address line of contact rows; a keyholder's is the premises', not theirs
        FieldComparison("address", ("address",), (EXACT, _jw("similar", 0.9))),
    ),
    # each way a true pair can still agree when other fields differ: an identifier, or a name key with
    # typos and nicknames folded away, alone or with the organisation or postcode
    blocking_rules=(
        ("email",), ("mobile",), ("phone",),
        ("last3", "first1"), ("last3", "raw_first1"), ("first_canonical", "organisation"),
        ("last", "organisation"), ("last_tail", "first_canonical"), ("first_canonical", "postcode"),
    ),
    # a very common value ("info@", a switchboard) makes a block this big; its pairs are still reached
    # through the narrower name keys
    max_block=400,
    training_rules=(TrainingRule.at(email=("exact",)), TrainingRule.at(mobile=("exact",)),
                    TrainingRule.at(last_name=("exact",), first_name=("exact", "nickname"))),
    threshold=0.99,
    review_threshold=0.5,
    u_sample_pairs=300_000,
    seed=1,
    session_sample_pairs=10**9,  # every pair of a session: a City's sessions are small
    share_sample_pairs=500_000,
    min_candidate_pairs=2_000,
    min_session_pairs=200,
)
