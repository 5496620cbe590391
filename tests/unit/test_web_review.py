"""The review and conflicts pages' pure logic: queue order, next pair, field comparison, conflicts."""

from __future__ import annotations

import datetime as dt

from web.review_logic import (
    compare_rows,
    conflicts,
    consequence,
    next_key,
    order_pairs,
    pair_key,
    shown,
    split_pair_key,
    uncertainty,
)


def _pair(a: str, b: str, score: float = 10.0, rank_a: int = 0, rank_b: int = 0, records: tuple = (1, 1),
          issues: tuple = (0, 0)) -> dict:
    return {"ref_a": a, "ref_b": b, "score": score,
            "contact_a": {"priority_rank": rank_a, "records": records[0], "issues": issues[0]},
            "contact_b": {"priority_rank": rank_b, "records": records[1], "issues": issues[1]}}


def test_most_uncertain_first_puts_probabilities_nearest_a_half_first_and_unknown_last():
    pairs = [_pair("s:1", "s:2"), _pair("s:3", "s:4"), _pair("s:5", "s:6"), _pair("s:7", "s:8")]
    probabilities = {"s:1|s:2": 0.97, "s:3|s:4": 0.52, "s:5|s:6": 0.4, "s:7|s:8": None}
    ordered = [pair_key(p["ref_a"], p["ref_b"]) for p in order_pairs(pairs, probabilities, "uncertain")]
    assert ordered == ["s:3|s:4", "s:5|s:6", "s:1|s:2", "s:7|s:8"]


def test_ties_in_uncertainty_go_by_score_then_refs():
    pairs = [_pair("s:9", "s:8", score=5), _pair("s:1", "s:2", score=5), _pair("s:3", "s:4", score=7)]
    probabilities = {"s:9|s:8": 0.6, "s:1|s:2": 0.4, "s:3|s:4": 0.6}
    ordered = [p["ref_a"] for p in order_pairs(pairs, probabilities, "uncertain")]
    assert ordered == ["s:3", "s:1", "s:9"]


def test_most_consequential_first_ranks_priority_then_records_then_issues():
    low_many = _pair("s:1", "s:2", rank_a=1, records=(5, 5), issues=(9, 9))
    high = _pair("s:3", "s:4", rank_b=3)
    medium_more_records = _pair("s:5", "s:6", rank_a=2, records=(3, 1))
    medium_more_issues = _pair("s:7", "s:8", rank_a=2, records=(2, 1), issues=(2, 2))
    medium = _pair("s:9", "s:10", rank_a=2, records=(2, 1))
    ordered = [p["ref_a"] for p in order_pairs([low_many, medium, medium_more_issues, high, medium_more_records],
                                               {}, "consequence")]
    assert ordered == ["s:3", "s:5", "s:7", "s:9", "s:1"]
    assert consequence(high) == (3, 2, 0)


def test_a_pair_whose_contact_is_gone_still_has_a_consequence():
    assert consequence({"ref_a": "s:1", "ref_b": "s:2", "contact_a": None, "contact_b": None}) == (0, 0, 0)


def test_an_unknown_sort_falls_back_to_most_uncertain():
    pairs = [_pair("s:1", "s:2"), _pair("s:3", "s:4")]
    assert order_pairs(pairs, {"s:1|s:2": 0.9, "s:3|s:4": 0.5}, "nonsense")[0]["ref_a"] == "s:3"


def test_uncertainty_is_the_distance_from_a_half():
    assert uncertainty(0.5) == 0 and uncertainty(0.9) > uncertainty(0.2) > uncertainty(0.45)


def test_the_next_pair_is_the_one_after_the_current_one_in_the_queue_as_seen():
    ordered = ["p1", "p2", "p3", "p4"]
    assert next_key(ordered, "p2", ["p1", "p3", "p4"]) == "p3"
    assert next_key(ordered, "p2", ["p1", "p2", "p3", "p4"]) == "p3"  # skip: the current one stays waiting
    assert next_key(ordered, "p4", ["p1", "p2", "p3"]) == "p1"  # at the end: back to the first still waiting
    assert next_key(ordered, "p2", ["p2"]) is None
    assert next_key(ordered, "p2", []) is None


def test_pair_keys_round_trip_and_reject_anything_else():
    assert split_pair_key(pair_key("ecd-contacts:ECD-1", "np-contacts:row-2")) == ("ecd-contacts:ECD-1",
                                                                                   "np-contacts:row-2")
    assert split_pair_key("only-one") is None
    assert split_pair_key("a|b|c") is None
    assert split_pair_key("|b") is None


def test_values_are_shown_as_a_steward_reads_them():
    assert shown(None) == "" and shown(float("nan")) == ""
    assert shown(True) == "yes" and shown(False) == "no"
    assert shown(dt.date(2024, 3, 1)) == "2024-03-01"
    assert shown(["protest", "cyber_crime"]) == "protest; cyber_crime"
    assert shown(3) == "3"


def test_rows_compare_field_by_field_marking_real_differences_only():
    a = {"ref": "s:1", "source": "s", "record_id": "1", "row_number": 2, "flags": [], "first_name": "Mei",
         "last_name": "Hansen", "email": "MEI@example.org ", "phone": None, "mobile": "+447700900001",
         "issues": ["protest"], "notes": None, "zeta": "x"}
    b = {"ref": "t:9", "source": "t", "record_id": "9", "row_number": 5, "flags": ["x"], "first_name": "Mei",
         "last_name": "Hanssen", "email": "mei@example.org", "phone": "+442079460000", "mobile": None,
         "issues": ["protest"], "notes": None}
    compared = {c.field: c for c in compare_rows(a, b)}
    assert list(compared) == ["first_name", "last_name", "email", "mobile", "phone", "issues", "zeta"]
    assert compared["last_name"].differs and not compared["last_name"].one_sided
    assert not compared["first_name"].differs
    assert not compared["email"].differs  # case and spacing are not a difference
    assert compared["phone"].one_sided and not compared["phone"].differs
    assert compared["mobile"].a == "+447700900001" and compared["mobile"].b == ""
    assert compared["issues"].a == "protest"
    assert "notes" not in compared and "ref" not in compared and "row_number" not in compared


def test_a_missing_row_compares_as_blank():
    compared = compare_rows({"first_name": "Ann"}, {})
    assert [(c.field, c.a, c.b, c.one_sided) for c in compared] == [("first_name", "Ann", "", True)]


PROVENANCE = {
    "name": {"value": "Mei Hansen", "rule": "most used spelling, then the fuller given name",
             "source": "cyber-contacts:50220",
             "alternatives": [{"value": "Mei Hanseen", "refs": ["city-keyholders:1054"]}]},
    "email": {"value": "mei@example.org", "rule": "the only value", "source": "s:1", "alternatives": []},
    "consent_email": {"value": False, "rule": "contract §6: the most recent explicit value", "source": "s:2",
                      "alternatives": [{"value": True, "refs": ["s:1"]}]},
    "organisation": {"value": "Acme Ltd", "rule": "most recent", "source": "s:1",
                     "alternatives": [{"value": "Acme Holdings", "refs": ["s:2"]}]},
    "categories": {"value": ["business"], "rule": "every value on any row", "source": "", "alternatives": []},
    "priority": {"value": "high", "rule": "steward override by ann on 2025-01-02: checked (D-4)", "source": "D-4",
                 "alternatives": [{"value": "medium", "refs": ["s:1"], "rule": "chosen by the rules: the highest"}]},
}


def test_conflicts_are_the_fields_whose_rows_disagree_in_reading_order():
    found = conflicts(PROVENANCE)
    assert [f["field"] for f in found] == ["name", "organisation", "priority", "consent_email"]
    name = found[0]
    assert name["value"] == "Mei Hansen" and name["source"] == "cyber-contacts:50220"
    assert name["alternatives"] == [{"value": "Mei Hanseen", "refs": ["city-keyholders:1054"], "rule": "",
                                     "choice": "Mei Hanseen"}]
    assert name["overridable"] and name["choice"] == "Mei Hansen" and not name["overridden"]


def test_a_conflict_offers_values_as_the_override_command_takes_them():
    by_field = {f["field"]: f for f in conflicts(PROVENANCE)}
    consent = by_field["consent_email"]
    assert consent["value"] == "no" and consent["choice"] == "no"
    assert consent["alternatives"][0]["value"] == "yes" and consent["alternatives"][0]["choice"] == "yes"
    organisation = by_field["organisation"]
    assert not organisation["overridable"] and organisation["alternatives"][0]["choice"] is None
    priority = by_field["priority"]
    assert priority["overridden"] and priority["alternatives"][0]["rule"].startswith("chosen by the rules")
    assert consent["options"] == [{"choice": "yes", "value": "yes"}]
    assert organisation["options"] == []


def test_an_overridden_field_offers_each_other_value_once_and_not_its_own():
    provenance = {"name": {
        "value": "Mei Hanseen", "rule": "steward override by ann on 2025-01-02: checked (D-5)", "source": "D-5",
        "alternatives": [{"value": "Mei Hansen", "refs": ["s:1"], "rule": "chosen by the rules: most used spelling"},
                         {"value": "Mei Hanseen", "refs": ["s:2"]}, {"value": "Mei Hansen", "refs": ["s:3"]}]}}
    assert conflicts(provenance)[0]["options"] == [{"choice": "Mei Hansen", "value": "Mei Hansen"}]


def test_list_values_are_offered_as_the_override_command_takes_them():
    provenance = {"issues": {"value": ["protest"], "rule": "r", "source": "D-1",
                             "alternatives": [{"value": ["cyber_crime", "protest"], "refs": ["s:1"]}]}}
    assert conflicts(provenance)[0]["options"] == [{"choice": "cyber_crime;protest",
                                                    "value": "cyber_crime; protest"}]


def test_no_conflicts_on_a_contact_whose_rows_agree():
    assert conflicts({"email": PROVENANCE["email"], "categories": PROVENANCE["categories"]}) == []
