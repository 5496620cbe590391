"""The generic table resolver: blocking, levels, weights learned without labels, clusters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resolution.fellegi_sunter import NULL_LEVEL, level_frequencies, train_em
from resolution.rules import TableSpec, TermFrequency, TrainingRule
from resolution.specs import CONTACT_SPEC, PERSON_ADDRESS_SPEC
from resolution.table import FieldComparison, Level, candidate_pairs, comparison_levels, prepare_columns, resolve_table

GIVEN = ["james", "olivia", "jack", "amelia", "noah", "isla", "leo", "ava", "oscar", "mia", "harry", "ella",
         "george", "grace", "arthur", "lily", "freddie", "sophia", "theo", "evie"]
SURNAMES = ["okafor", "nguyen", "smith", "patel", "brown", "kowalski", "obi", "walsh", "haddad", "ferreira",
            "jones", "khan", "murphy", "rossi", "novak", "tanaka", "silva", "dubois", "jensen", "moreau"]


def people_table(entities: int = 300, seed: int = 1) -> pd.DataFrame:
    """Each entity once, a third of them again with one field mistyped or missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for entity in range(entities):
        base = {
            "given_name": GIVEN[rng.integers(len(GIVEN))], "surname": SURNAMES[rng.integers(len(SURNAMES))],
            "street_number": str(rng.integers(1, 200)), "address_1": f"{rng.integers(1, 90)} station road",
            "suburb": ["camden", "islington", "hackney", "bow"][rng.integers(4)],
            "postcode": str(rng.integers(2000, 2999)), "state": ["nsw", "vic", "qld", "wa"][rng.integers(4)],
            "date_of_birth": f"19{rng.integers(40, 99)}0{rng.integers(1, 9)}1{rng.integers(0, 9)}",
            "soc_sec_id": str(rng.integers(1_000_000, 9_999_999)), "entity": entity,
        }
        rows.append(base)
        if entity % 3 == 0:
            duplicate = dict(base)
            field = ["given_name", "surname", "postcode", "date_of_birth", "address_1"][entity % 5]
            value = duplicate[field]
            duplicate[field] = value[:-2] + value[-1] + value[-2] if entity % 2 else None  # swap or drop
            rows.append(duplicate)
    return pd.DataFrame(rows)


def pair_counts(labels: np.ndarray, truth: np.ndarray) -> tuple[int, int, int]:
    def pairs(groups: pd.Series) -> int:
        return int(sum(c * (c - 1) // 2 for c in groups.value_counts()))

    both = pd.Series([f"{a}|{b}" for a, b in zip(labels, truth, strict=True)])
    return pairs(both), pairs(pd.Series(labels)), pairs(pd.Series(truth))


def test_duplicates_with_a_typo_or_a_gap_join_and_strangers_stay_apart():
    table = people_table()
    result = resolve_table(table, PERSON_ADDRESS_SPEC)
    agreed, found, true = pair_counts(result.labels, table["entity"].to_numpy())
    assert true == 100
    assert agreed / found >= 0.99  # precision
    assert agreed / true >= 0.97  # recall


def test_learned_weights_favour_agreement():
    result = resolve_table(people_table(), PERSON_ADDRESS_SPEC)
    for comparison, weights in zip(PERSON_ADDRESS_SPEC.comparisons, result.weights.level_weights(), strict=True):
        assert weights[0] > 0, f"exact agreement on {comparison.name} should count for a match"
        assert weights[-1] < 0, f"disagreement on {comparison.name} should count against"
    assert 0 < result.weights.match_share < 1


def test_levels_are_exact_then_fuzzy_then_different_and_missing_is_null():
    table = pd.DataFrame({"name": ["jonathan", "jonathan", "jonathon", "zebedee", None]})
    columns = prepare_columns(table, {"name"})
    comparison = FieldComparison("name", ("name",), (Level("exact", "exact"), Level("close", "jaro_winkler", 0.9)))
    i, j = np.array([0, 0, 0, 0]), np.array([1, 2, 3, 4])
    assert comparison_levels(comparison, columns, i, j).tolist() == [0, 1, 2, NULL_LEVEL]


def test_blocking_pairs_only_rows_sharing_a_key():
    table = pd.DataFrame({"a": ["x", "x", "y", "y", None], "b": ["1", "2", "1", "1", "1"]})
    columns = prepare_columns(table, {"a", "b"})
    assert candidate_pairs(columns, (("a",),), 100).tolist() == [[0, 1], [2, 3]]
    assert candidate_pairs(columns, (("a", "b"),), 100).tolist() == [[2, 3]]


def test_em_recovers_a_clear_split_without_labels():
    rng = np.random.default_rng(3)
    matches = rng.random(2000) < 0.3
    level = np.where(matches, (rng.random(2000) > 0.95).astype(int), (rng.random(2000) > 0.05).astype(int))
    u = level_frequencies(rng.integers(0, 2, 5000) * 0 + 1, 2)  # random pairs almost never agree
    weights = train_em([level], [2], [u])
    assert abs(weights.match_share - 0.3) < 0.05
    assert weights.m[0][0] > 0.9


def test_city_levels_nickname_initial_and_shared_identifiers():
    table = pd.DataFrame({
        "first": ["robert", "bob", "r", "rupert", "robert"],
        "email": ["info@x.org", "info@x.org", "bob@y.org", "bob@z.org", "rob@x.org"],
        "shared": ["yes", "", "", "", ""],
        "local": ["info", "info", "bob", "bob", "rob"],
    })
    columns = prepare_columns(table, {"first", "email", "shared", "local"})
    first = FieldComparison("first", ("first",), (Level("exact", "exact"), Level("nickname", "nickname"),
                                                  Level("initial", "initial")))
    email = FieldComparison("email", ("email",), (Level("exact", "exact", unless_flagged="shared"),
                                                  Level("shared_mailbox", "exact"),
                                                  Level("same_local_part", "exact", column="local")))
    i, j = np.array([0, 0, 0, 1, 2]), np.array([4, 1, 2, 3, 3])
    assert comparison_levels(first, columns, i, j).tolist() == [0, 1, 2, 3, 2]
    assert comparison_levels(email, columns, i, j).tolist() == [3, 1, 3, 3, 2]


def test_a_field_can_count_only_when_either_record_is_flagged():
    table = pd.DataFrame({"employer": ["7", "7", "7"], "occupier": ["", "", "7"]})
    columns = prepare_columns(table, {"employer", "occupier"})
    comparison = FieldComparison("affiliation", ("employer",), (Level("same", "exact"),), only_when_either="occupier")
    assert comparison_levels(comparison, columns, np.array([0, 0]), np.array([1, 2])).tolist() == [NULL_LEVEL, 0]


@pytest.mark.parametrize("make", [
    lambda: Level("close", "soundex"),
    lambda: Level("close", "jaro_winkler", 1.5),
    lambda: Level("different", "exact"),
    lambda: FieldComparison("name", ("name",), (Level("swapped", "swapped"),)),
    lambda: FieldComparison("name", ("name",), (Level("close", "jaro_winkler", 0.9),), term_frequency=TermFrequency()),
    lambda: TableSpec(CONTACT_SPEC.comparisons, (("a", "b", "c", "d"),), ()),
    lambda: TableSpec(CONTACT_SPEC.comparisons, (), (TrainingRule.at(email=("typo",)),)),
])
def test_rules_that_cannot_run_are_refused_where_they_are_written(make):
    with pytest.raises(ValueError):
        make()
