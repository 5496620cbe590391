"""Steward decisions as data: match, no-match and field overrides, applied on every run.

A decision names source records (``source:record_id`` refs), never contact IDs, so
it keeps its meaning however IDs change:

- ``match`` (A, B): the two records are one person, a must-link for clustering.
- ``no_match`` (R, M1, M2, ...): R is not the person of any of M1, M2, ...; a
  pair is the case of one M, and a record leaving its contact stores the refs of
  the contact it leaves, as they were at decision time, with that contact's ID
  as ``contact_id`` (R does not take the ID along).
- ``override`` (the contact's refs at decision time, field, value): after
  survivorship, the contact now holding most of those refs takes the value.

Revoked decisions are kept for the record and ignored. When decisions on the same
pair of records disagree, the latest wins; a no-match always beats a chain of
matches (clustering never joins records kept apart).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sources.normalise.booleans import parse_bool
from sources.normalise.category import parse_category
from sources.normalise.email import parse_email
from sources.normalise.issues import parse_issues
from sources.normalise.phone import is_mobile, parse_phone
from sources.normalise.priority import parse_priority
from sources.normalise.text import clean_text

KINDS = ("match", "no_match", "override")

# Fields a steward may override; lists are written "a;b", booleans yes/no.
TEXT_FIELDS = ("name", "title", "first_name", "last_name", "job_title", "email", "mobile", "phone", "priority")
LIST_FIELDS = ("categories", "issues")
BOOLEAN_FIELDS = ("consent_email", "consent_sms", "restricted")
OVERRIDE_FIELDS = TEXT_FIELDS + LIST_FIELDS + BOOLEAN_FIELDS


@dataclass(frozen=True)
class Decision:
    """One steward decision. ``at`` and ``revoked_at`` are ISO datetimes; ``contact_id`` is the
    contact the steward was looking at (shown in history, not used to apply the decision)."""

    decision_id: str
    kind: str  # match | no_match | override
    refs: tuple[str, ...]
    field: str | None = None
    value: str | None = None
    who: str = ""
    at: str = ""
    why: str = ""
    contact_id: str | None = None
    revoked_at: str | None = None
    revoked_by: str | None = None
    revoked_why: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def pairs(self) -> list[tuple[str, str]]:
        """The record pairs a match or no-match is about: the first ref with each of the others."""
        if self.kind == "override" or not self.refs:
            return []
        head, *others = self.refs
        return [(head, other) for other in others if other != head]


@dataclass(frozen=True)
class Constraints:
    """What the active decisions ask of one run. Positions index the person mention frame."""

    must_link: list[tuple[int, int]]
    cannot_link: list[tuple[int, int]]
    overrides: list[Decision]  # active overrides, oldest first
    applied: tuple[str, ...]  # IDs of the decisions that concern at least one record of this run
    detached: frozenset[str]  # records a steward took out of their contact ("leave" no-matches)


def decision_order(decision: Decision) -> tuple[str, int]:
    """Oldest first: by time, then by the number in the decision ID ("D-12")."""
    number = decision.decision_id.rsplit("-", 1)[-1]
    return decision.at, int(number) if number.isdigit() else 0


def pair_verdicts(decisions: Iterable[Decision]) -> dict[frozenset[str], str]:
    """The latest active verdict ("match" or "no_match") on every pair of records decided on."""
    verdicts: dict[frozenset[str], str] = {}
    for decision in sorted((d for d in decisions if d.active), key=decision_order):
        for a, b in decision.pairs():
            verdicts[frozenset((a, b))] = decision.kind
    return verdicts


def active_constraints(decisions: Sequence[Decision], ref_position: Mapping[str, int]) -> Constraints:
    """Must-links, cannot-links (as pairs of positions) and overrides for the records present."""
    must, cannot = [], []
    for pair, verdict in pair_verdicts(decisions).items():
        a, b = sorted(pair)
        if a in ref_position and b in ref_position:
            (must if verdict == "match" else cannot).append((ref_position[a], ref_position[b]))
    active = sorted((d for d in decisions if d.active), key=decision_order)
    applied = tuple(d.decision_id for d in active
                    if (d.kind == "override" and any(r in ref_position for r in d.refs))
                    or any(a in ref_position and b in ref_position for a, b in d.pairs()))
    return Constraints(must_link=must, cannot_link=cannot,
                       overrides=[d for d in active if d.kind == "override"], applied=applied,
                       detached=frozenset(d.refs[0] for d in active if d.kind == "no_match" and d.contact_id))


def undecided_pairs(pairs: Iterable[tuple[str, str]], decisions: Iterable[Decision]) -> list[bool]:
    """For each (ref_a, ref_b), whether it still awaits a steward (no active decision covers it)."""
    verdicts = pair_verdicts(decisions)
    return [frozenset((a, b)) not in verdicts for a, b in pairs]


def override_target(decision: Decision, contact_of_ref: Mapping[str, str]) -> str | None:
    """The contact now holding most of the records the override was made on (None: none left).

    On a tie, the contact the steward named, if it is one of them, else the smallest ID.
    """
    counts = Counter(contact_of_ref[r] for r in decision.refs if r in contact_of_ref)
    if not counts:
        return None
    best = max(counts.values())
    tied = sorted(c for c, n in counts.items() if n == best)
    return decision.contact_id if decision.contact_id in tied else tied[0]


def latest_overrides(overrides: Sequence[Decision], contact_of_ref: Mapping[str, str]
                     ) -> dict[str, dict[str, Decision]]:
    """contact ID -> field -> the latest override that applies to it."""
    chosen: dict[str, dict[str, Decision]] = {}
    for decision in sorted(overrides, key=decision_order):
        target = override_target(decision, contact_of_ref)
        if target is not None and decision.field in OVERRIDE_FIELDS:
            chosen.setdefault(target, {})[decision.field] = decision
    return chosen


def parse_override(field: str, raw: str) -> str:
    """The value to store for an override, normalised as the contract normalises source cells.

    Raises ValueError with a one-line reason when the field or value is not acceptable. An empty
    value clears a text or list field.
    """
    if field not in OVERRIDE_FIELDS:
        raise ValueError(f"{field!r} cannot be overridden (one of: {', '.join(OVERRIDE_FIELDS)})")
    text = raw.strip()
    if field in BOOLEAN_FIELDS:
        value, problem = parse_bool(text)
        if value is None:
            raise ValueError(f"{field}: {problem or 'give yes or no'}")
        return "yes" if value else "no"
    if not text:
        return ""
    if field == "issues":
        issues, problems = parse_issues(text)
        if problems:
            raise ValueError(f"issues: {'; '.join(problems)}")
        return ";".join(issues)
    if field == "categories":
        found = []
        for term in text.replace(",", ";").split(";"):
            value, problem = parse_category(term)
            if problem:
                raise ValueError(f"categories: {problem}")
            if value and value not in found:
                found.append(value)
        return ";".join(found)
    parser = {"email": parse_email, "mobile": parse_phone, "phone": parse_phone, "priority": parse_priority}.get(field)
    if parser is None:
        return clean_text(text) or ""
    value, problem = parser(text)
    if value is None or (problem and field == "email"):
        raise ValueError(f"{field}: {problem}")
    if field == "mobile" and not is_mobile(value):
        raise ValueError(f"mobile: {text!r} is not a UK mobile number")
    return value


def override_value(field: str, stored: str) -> object:
    """The typed value of a stored override: bool, list of str or str."""
    if field in BOOLEAN_FIELDS:
        return stored == "yes"
    if field in LIST_FIELDS:
        return sorted(v for v in stored.split(";") if v)
    return stored
