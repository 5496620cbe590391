"""Stable IDs with lineage: table-driven over small clusters of record refs."""

from __future__ import annotations

import hashlib
import re

from resolution.identity import KnownId, assign_ids


def events(assignment) -> list[tuple]:
    return [(e.kind, e.entity_id, e.related_ids, e.refs) for e in assignment.events]


def test_a_rerun_keeps_every_id_and_records_nothing():
    previous = {"s:1": "C-A", "s:2": "C-A", "s:3": "C-B"}
    known = {"C-A": KnownId(seq=1), "C-B": KnownId(seq=2)}
    result = assign_ids([["s:1", "s:2"], ["s:3"]], previous, "C", known)
    assert result.ids == ["C-A", "C-B"]
    assert result.events == []


def test_new_records_are_minted_and_ids_unknown_to_the_registry_are_registered():
    result = assign_ids([["s:1"], ["s:2"]], {"s:1": "C-A"}, "C", {})
    assert result.ids[0] == "C-A"
    assert events(result) == [("registered", "C-A", (), ("s:1",)), ("minted", result.ids[1], (), ("s:2",))]


def test_the_oldest_id_survives_a_merge_even_when_it_has_fewer_records():
    previous = {"s:1": "C-NEW", "s:2": "C-NEW", "s:3": "C-NEW", "s:9": "C-OLD"}
    known = {"C-OLD": KnownId(seq=1), "C-NEW": KnownId(seq=7)}
    result = assign_ids([["s:1", "s:2", "s:3", "s:9"]], previous, "C", known)
    assert result.ids == ["C-OLD"]
    assert events(result) == [("merged", "C-NEW", ("C-OLD",), ("s:1", "s:2", "s:3"))]


def test_a_split_keeps_the_id_with_the_larger_share_and_records_the_new_one():
    previous = {"s:1": "C-A", "s:2": "C-A", "s:3": "C-A"}
    known = {"C-A": KnownId(seq=1)}
    result = assign_ids([["s:1"], ["s:2", "s:3"]], previous, "C", known)
    assert result.ids[1] == "C-A"
    assert result.ids[0] not in ("C-A", None)
    assert events(result) == [("split", result.ids[0], ("C-A",), ("s:1",))]


def test_a_record_a_steward_took_out_does_not_take_the_id_along():
    previous = {"s:1": "C-A", "s:2": "C-A"}
    kept = assign_ids([["s:1"], ["s:2"]], previous, "C", {"C-A": KnownId(seq=1)}, detached={"s:1"})
    assert kept.ids[1] == "C-A"
    assert events(kept) == [("split", kept.ids[0], ("C-A",), ("s:1",))]


def test_undoing_a_merge_gives_the_absorbed_id_back():
    # C-B (record s:2) was merged into the older C-A; the records come apart again
    previous = {"s:1": "C-A", "s:2": "C-A"}
    known = {"C-A": KnownId(seq=1), "C-B": KnownId(seq=2, status="merged", former_refs=("s:2",), ended_at="t1")}
    result = assign_ids([["s:1"], ["s:2"]], previous, "C", known)
    assert result.ids == ["C-A", "C-B"]
    assert events(result) == [("restored", "C-B", ("C-A",), ("s:2",))]


def test_an_id_whose_records_are_gone_is_retired_and_never_reused():
    previous = {"s:1": "C-A", "s:2": "C-B"}
    known = {"C-A": KnownId(seq=1), "C-B": KnownId(seq=2)}
    result = assign_ids([["s:1"]], previous, "C", known)
    assert result.ids == ["C-A"]
    assert events(result) == [("retired", "C-B", (), ("s:2",))]
    again = assign_ids([["s:3"]], {}, "C", {**known, "C-B": KnownId(seq=2, status="retired", former_refs=("s:2",))})
    assert again.ids[0] not in known


def test_a_returning_record_takes_back_its_retired_id():
    known = {"C-B": KnownId(seq=2, status="retired", former_refs=("s:2",), ended_at="t1")}
    result = assign_ids([["s:2"]], {}, "C", known)
    assert result.ids == ["C-B"]
    assert events(result) == [("restored", "C-B", (), ("s:2",))]


def test_new_ids_cannot_be_worked_out_from_the_records():
    # Once derived from sha1 of the smallest ref: anyone knowing a person's source reference had their ID.
    clusters = [["a:1", "b:7"], ["a:2"]]
    first, second = assign_ids(clusters, {}, "C").ids, assign_ids(clusters, {}, "C").ids
    assert not set(first) & set(second)
    old_style = {f"C-{hashlib.sha1(f'{ref}#0'.encode()).hexdigest()[:10].upper()}" for ref in ("a:1", "a:2")}
    assert not set(first) & old_style
    assert all(re.fullmatch(r"C-[0-9A-F]{16}", i) for i in first)


def test_ids_the_registry_holds_stay_with_their_records_whatever_minted_them():
    minted = assign_ids([["a:1", "b:7"], ["a:2"]], {}, "C")
    previous = {"a:1": minted.ids[0], "b:7": minted.ids[0], "a:2": minted.ids[1]}
    known = {i: KnownId(seq=n) for n, i in enumerate(minted.ids, start=1)}
    again = assign_ids([["a:2"], ["a:1", "b:7"], ["c:1"]], previous, "C", known)
    assert again.ids[:2] == [minted.ids[1], minted.ids[0]]
    assert again.ids[2] not in minted.ids
