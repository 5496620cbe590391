"""Score the resolver's clusters against a synthetic dataset's truth.

    python bench/city_score.py --truth DIR/truth.csv --clusters CLUSTERS.csv [--quarantine Q.csv]

CLUSTERS.csv is `stakeholders export clusters` (contract section 7:
entity_type,entity_id,source,record_id); Q.csv is `stakeholders export
quarantine` (source,record_id,reason). Prints pairwise precision, recall and F1
for contacts (rows sharing an entity_id vs rows of the same person) and for
organisations, then the row accounting: every usable row in exactly one
contact, every unusable row in quarantine.

Pairs are counted from group sizes (sum of C(n, 2) over predicted clusters,
truth groups and their intersections), so 60k rows score in about a second.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

Ref = tuple[str, str]  # (source, record_id)


@dataclass(frozen=True)
class TruthRow:
    person_id: str
    organisation_id: str
    usable: bool


@dataclass(frozen=True)
class PairScore:
    """Pairwise agreement between a predicted clustering and the truth."""

    true_pairs: int
    predicted_pairs: int
    agreed_pairs: int

    @property
    def precision(self) -> float:
        return self.agreed_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.agreed_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Accounting:
    """Where the truth's rows ended up."""

    usable: int
    usable_in_one_contact: int
    usable_missing: int  # in no contact
    usable_in_several_contacts: int
    usable_quarantined: int
    unusable: int
    unusable_quarantined: int
    unusable_clustered: int  # an unusable row that became part of a contact
    unknown_rows: int  # rows in the clusters or quarantine that the truth does not have


@dataclass(frozen=True)
class Score:
    contacts: PairScore
    organisations: PairScore
    accounting: Accounting


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_score(truth: Mapping[Ref, str], predicted: Mapping[Ref, str]) -> PairScore:
    """Pairwise scores over the rows of ``truth``; a blank truth id or a row missing from
    ``predicted`` is a singleton."""
    truth_groups = Counter(g for g in truth.values() if g)
    predicted_groups = Counter(predicted[r] for r in truth if r in predicted)
    both = Counter((g, predicted[r]) for r, g in truth.items() if g and r in predicted)
    return PairScore(
        true_pairs=sum(_pairs(n) for n in truth_groups.values()),
        predicted_pairs=sum(_pairs(n) for n in predicted_groups.values()),
        agreed_pairs=sum(_pairs(n) for n in both.values()),
    )


def _ref(source: str, record_id: str) -> Ref:
    prefix = f"{source}:"  # tolerate "source:record_id" in the record_id column
    return source, record_id[len(prefix):] if record_id.startswith(prefix) else record_id


def score(truth: Mapping[Ref, TruthRow], clusters: Iterable[Mapping[str, str]],
          quarantine: Iterable[Mapping[str, str]] = ()) -> Score:
    """Score clusters (dicts with entity_type, entity_id, source, record_id) and quarantine rows."""
    contact_of: dict[Ref, str] = {}
    organisation_of: dict[Ref, str] = {}
    contact_count: Counter[Ref] = Counter()
    unknown: set[Ref] = set()
    for line in clusters:
        ref = _ref(line["source"], line["record_id"])
        if ref not in truth:
            unknown.add(ref)
            continue
        if line["entity_type"] == "contact":
            contact_count[ref] += 1
            contact_of.setdefault(ref, line["entity_id"])
        elif line["entity_type"] == "organisation":
            organisation_of.setdefault(ref, line["entity_id"])
    quarantined: set[Ref] = set()
    for line in quarantine:
        ref = _ref(line["source"], line["record_id"])
        (quarantined if ref in truth else unknown).add(ref)

    usable = {ref: row for ref, row in truth.items() if row.usable}
    unusable = [ref for ref, row in truth.items() if not row.usable]
    accounting = Accounting(
        usable=len(usable),
        usable_in_one_contact=sum(contact_count[r] == 1 for r in usable),
        usable_missing=sum(contact_count[r] == 0 for r in usable),
        usable_in_several_contacts=sum(contact_count[r] > 1 for r in usable),
        usable_quarantined=sum(r in quarantined for r in usable),
        unusable=len(unusable),
        unusable_quarantined=sum(r in quarantined for r in unusable),
        unusable_clustered=sum(contact_count[r] > 0 for r in unusable),
        unknown_rows=len(unknown),
    )
    return Score(
        contacts=pair_score({r: row.person_id for r, row in usable.items()}, contact_of),
        organisations=pair_score({r: row.organisation_id for r, row in usable.items()}, organisation_of),
        accounting=accounting,
    )


def read_truth(path: Path) -> dict[Ref, TruthRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(line["source"], line["record_id"]): TruthRow(line["person_id"], line["organisation_id"],
                                                              line["usable"].strip().lower() == "true")
                for line in csv.DictReader(handle)}


def _read_csv(path: Path | None) -> list[dict[str, str]]:
    if path is None:
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def render(result: Score) -> str:
    """One table: pairwise scores, then row accounting."""
    lines = [f"{'entity':<14}{'precision':>10}{'recall':>8}{'F1':>8}{'true pairs':>12}{'found':>10}{'agreed':>10}"]
    for name, pairs in (("contacts", result.contacts), ("organisations", result.organisations)):
        lines.append(f"{name:<14}{pairs.precision:>10.4f}{pairs.recall:>8.4f}{pairs.f1:>8.4f}"
                     f"{pairs.true_pairs:>12}{pairs.predicted_pairs:>10}{pairs.agreed_pairs:>10}")
    a = result.accounting
    lines += [
        "",
        f"{'rows':<38}{'count':>8}",
        f"{'usable':<38}{a.usable:>8}",
        f"{'  in exactly one contact':<38}{a.usable_in_one_contact:>8}",
        f"{'  in no contact':<38}{a.usable_missing:>8}",
        f"{'  in several contacts':<38}{a.usable_in_several_contacts:>8}",
        f"{'  quarantined (should not be)':<38}{a.usable_quarantined:>8}",
        f"{'unusable':<38}{a.unusable:>8}",
        f"{'  quarantined':<38}{a.unusable_quarantined:>8}",
        f"{'  in a contact (should not be)':<38}{a.unusable_clustered:>8}",
        f"{'rows the truth does not know':<38}{a.unknown_rows:>8}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pairwise precision/recall/F1 of resolved clusters vs truth.")
    parser.add_argument("--truth", type=Path, required=True, help="truth.csv written by synthetic.generate")
    parser.add_argument("--clusters", type=Path, required=True, help="output of `stakeholders export clusters`")
    parser.add_argument("--quarantine", type=Path, help="output of `stakeholders export quarantine`")
    args = parser.parse_args(argv)
    result = score(read_truth(args.truth), _read_csv(args.clusters), _read_csv(args.quarantine))
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
