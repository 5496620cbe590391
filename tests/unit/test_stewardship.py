"""Steward decisions applied by the resolver, and survivorship that says why each value won."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from resolution.decisions import Decision, active_constraints, override_target, parse_override
from resolution.resolve import PreviousIdentities, resolve

from .resolution_helpers import batch
from .test_resolution import contact_of


def decision(number: int, kind: str, *refs: str, revoked: bool = False, **extra) -> Decision:
    return Decision(f"D-{number}", kind, refs, who="alice", at=f"2025-01-01T10:00:{number:02d}+00:00",
                    why="checked by phone", revoked_at="2025-02-01T00:00:00+00:00" if revoked else None, **extra)


def jo_bloggs():
    """Two records of one person that the scorer, lacking a shared identifier, keeps apart."""
    ecd = batch("ecd", "contacts", [
        {"first_name": "Joanna", "last_name": "Bloggs", "email": "joanna@residents.org.uk", "postcode": "EC4M 7AA"}])
    ct = batch("ct", "contacts", [
        {"first_name": "Jo", "last_name": "Bloggs", "mobile": "+447700900555", "postcode": "EC4M 7AA"}],
        directorate="Counter Terrorism")
    return [ecd, ct]


def ada_rows(count: int = 3):
    return [batch("ecd", "contacts", [{"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org"}
                                      for _ in range(count)])]


# --- decisions as constraints ------------------------------------------------------------------

def test_constraints_latest_verdict_on_a_pair_wins_and_revoked_decisions_are_ignored():
    position = {"a:1": 0, "a:2": 1, "a:3": 2}
    decisions = [decision(1, "match", "a:1", "a:2"), decision(2, "no_match", "a:2", "a:1"),
                 decision(3, "match", "a:1", "a:3", revoked=True), decision(4, "match", "a:9", "a:1")]
    constraints = active_constraints(decisions, position)
    assert constraints.must_link == []
    assert constraints.cannot_link == [(0, 1)]
    assert constraints.applied == ("D-1", "D-2")  # D-4 names a record not in this run


def test_a_record_leaving_its_contact_is_kept_apart_from_each_record_it_left():
    position = {"a:1": 0, "a:2": 1, "a:3": 2}
    constraints = active_constraints([decision(1, "no_match", "a:3", "a:1", "a:2", contact_id="C-X")], position)
    assert sorted(constraints.cannot_link) == [(0, 2), (1, 2)]


def test_an_override_goes_to_the_contact_holding_most_of_its_records():
    override = decision(1, "override", "a:1", "a:2", "a:3", field="mobile", value="+447700900999",
                        contact_id="C-OLD")
    assert override_target(override, {"a:1": "C-X", "a:2": "C-Y", "a:3": "C-Y"}) == "C-Y"
    assert override_target(override, {"a:1": "C-X", "a:2": "C-OLD"}) == "C-OLD"  # a tie: the one named
    assert override_target(override, {"b:1": "C-Z"}) is None


@pytest.mark.parametrize(("field", "raw", "stored"), [
    ("mobile", "07700 900999", "+447700900999"),
    ("phone", "+44 (0)20 7601-2222", "+442076012222"),
    ("email", " Ada@Q.org ", "ada@q.org"),
    ("priority", "H", "high"),
    ("issues", "asb / demo", "anti_social_behaviour;protest"),
    ("categories", "charity", "voluntary_group"),
    ("consent_sms", "n", "no"),
    ("job_title", "  Head of   Security ", "Head of Security"),
    ("email", "", ""),
])
def test_override_values_are_normalised_like_source_cells(field: str, raw: str, stored: str):
    assert parse_override(field, raw) == stored


@pytest.mark.parametrize(("field", "raw"), [
    ("mobile", "020 7601 2222"), ("email", "bob@"), ("priority", "urgent"), ("consent_email", "maybe"),
    ("issues", "parking"), ("refs", "x"),
])
def test_unacceptable_overrides_are_refused(field: str, raw: str):
    with pytest.raises(ValueError):
        parse_override(field, raw)


# --- decisions in resolution -------------------------------------------------------------------

def test_a_match_joins_records_the_scorer_would_not():
    assert contact_of(resolve(jo_bloggs()), "ecd:row-2") != contact_of(resolve(jo_bloggs()), "ct:row-2")
    world = resolve(jo_bloggs(), decisions=[decision(1, "match", "ecd:row-2", "ct:row-2")])
    assert contact_of(world, "ecd:row-2") == contact_of(world, "ct:row-2")
    assert world.decisions_applied == ("D-1",)
    assert world.review_pairs.empty
    assert list(world.review_pairs.columns) == ["ref_a", "ref_b", "score", "contact_a", "contact_b", "name_a",
                                                "name_b"]


def test_a_decided_pair_leaves_the_review_queue():
    assert len(resolve(jo_bloggs()).review_pairs) == 1
    world = resolve(jo_bloggs(), decisions=[decision(1, "no_match", "ct:row-2", "ecd:row-2")])
    assert world.review_pairs.empty


def test_a_no_match_splits_a_cluster_and_a_revoked_one_does_not():
    assert resolve(ada_rows(2)).contacts.shape[0] == 1
    apart = resolve(ada_rows(2), decisions=[decision(1, "no_match", "ecd:row-2", "ecd:row-3")])
    assert apart.contacts.shape[0] == 2
    undone = resolve(ada_rows(2), decisions=[decision(1, "no_match", "ecd:row-2", "ecd:row-3", revoked=True)])
    assert undone.contacts.shape[0] == 1


def test_a_record_leaving_its_contact_stands_alone_and_the_rest_stay_together():
    leave = decision(1, "no_match", "ecd:row-4", "ecd:row-2", "ecd:row-3", contact_id="C-X")
    world = resolve(ada_rows(3), decisions=[leave])
    assert contact_of(world, "ecd:row-2") == contact_of(world, "ecd:row-3") != contact_of(world, "ecd:row-4")


def test_ids_follow_decisions_the_split_is_recorded_and_undo_restores_them():
    first = resolve(ada_rows(3))
    previous = PreviousIdentities(contacts=dict(zip(first.record_links["ref"], first.record_links["contact_id"],
                                                    strict=True)))
    original = first.contacts["contact_id"].item()
    leave = decision(1, "no_match", "ecd:row-4", "ecd:row-2", "ecd:row-3", contact_id=original)
    split = resolve(ada_rows(3), previous=previous, decisions=[leave])
    assert contact_of(split, "ecd:row-2") == original
    new_id = contact_of(split, "ecd:row-4")
    assert split.lineage[split.lineage["event"] == "split"][["entity_id", "related_ids"]].values.tolist() == [
        [new_id, [original]]]


def test_an_override_wins_over_survivorship_and_says_so():
    rows = ada_rows(2)
    rows[0].rows.loc[0, "mobile"] = "+447700900111"
    override = decision(1, "override", "ecd:row-2", "ecd:row-3", field="mobile", value="+447700900999",
                        contact_id="C-X")
    world = resolve(rows, decisions=[override, decision(2, "override", "ecd:row-2", field="consent_sms", value="yes"),
                                     decision(3, "override", "ecd:row-2", field="issues", value="fraud;protest")])
    contact = world.contacts.iloc[0]
    assert contact["mobile"] == "+447700900999"
    assert bool(contact["consent_sms"]) is True and contact["consent_sms_source"] == "D-2"
    assert contact["issues"] == ["fraud", "protest"]
    fields = world.contact_fields.set_index("field")
    assert fields.loc["mobile", "rule"] == "steward override by alice on 2025-01-01: checked by phone (D-1)"
    assert fields.loc["mobile", "source"] == "D-1"
    assert json.loads(fields.loc["mobile", "alternatives"])[0] == {
        "value": "+447700900111", "refs": ["ecd:row-2"], "rule": "chosen by the rules: the only value"}


def test_the_latest_override_of_a_field_wins_and_a_revoked_one_does_not_count():
    overrides = [decision(1, "override", "ecd:row-2", field="job_title", value="Director"),
                 decision(2, "override", "ecd:row-2", field="job_title", value="Chair"),
                 decision(3, "override", "ecd:row-2", field="job_title", value="Clerk", revoked=True)]
    assert resolve(ada_rows(1), decisions=overrides).contacts["job_title"].item() == "Chair"


# --- survivorship with reasons -----------------------------------------------------------------

def provenance(world, field: str) -> dict:
    return json.loads(world.contacts["field_provenance"].item())[field]


def test_every_field_says_which_rule_chose_it_and_keeps_the_values_it_did_not_choose():
    rows = [
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "job_title": "Chair",
         "consent_email": True, "priority": "low", "last_contacted": dt.date(2024, 1, 5)},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "job_title": "Trustee",
         "consent_email": False, "priority": "high", "restricted": True, "last_contacted": dt.date(2024, 6, 1)},
    ]
    world = resolve([batch("ecd", "contacts", rows)])
    job = provenance(world, "job_title")
    assert (job["value"], job["rule"], job["source"]) == ("Trustee", "most recent", "ecd:row-3")
    assert job["alternatives"] == [{"value": "Chair", "refs": ["ecd:row-2"]}]
    consent = provenance(world, "consent_email")
    assert (consent["value"], consent["rule"]) == (False, "contract §6: the most recent explicit value")
    assert consent["alternatives"] == [{"value": True, "refs": ["ecd:row-2"]}]
    assert provenance(world, "priority")["rule"] == "contract §6: the highest"
    assert provenance(world, "restricted")["rule"] == "contract §6: restricted if any row says so"
    assert provenance(world, "email")["rule"] == "the only value"
    assert set(world.contact_fields["field"]) >= {"name", "first_name", "last_name", "email", "job_title",
                                                  "priority", "issues", "consent_email", "consent_sms",
                                                  "restricted", "last_contacted"}


def test_between_rows_of_one_date_the_contact_list_beats_the_keyholder_export():
    when = dt.date(2024, 3, 1)
    ecd = batch("ecd", "contacts", [{"first_name": "Grace", "last_name": "Adeyemi", "mobile": "+447700900555",
                                     "phone": "+442076000001", "last_contacted": when}])
    keys = batch("keys", "keyholders", [{"premises_ref": "1", "premises_name": "Books", "first_name": "Grace",
                                         "last_name": "Adeyemi", "mobile": "+447700900555",
                                         "phone": "+442076000002", "last_verified": when}])
    world = resolve([ecd, keys])
    phone = provenance(world, "phone")
    assert phone["value"] == "+442076000001"
    assert phone["rule"] == "most trusted source (rows of the same date)"
    assert phone["alternatives"] == [{"value": "+442076000002", "refs": ["keys:row-2"]}]


def test_a_more_complete_row_wins_a_tie_of_date_and_source():
    rows = [{"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "job_title": "Chair"},
            {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "job_title": "Trustee",
             "postcode": "EC2V 7HH", "priority": "high"}]
    job = provenance(resolve([batch("ecd", "contacts", rows)]), "job_title")
    assert (job["value"], job["rule"]) == ("Trustee", "most complete row (same date and source trust)")
