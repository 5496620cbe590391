"""Matching rules as data: comparisons with their levels, blocking rules and training rules.

Each object checks itself when it is made, so a rule that cannot run fails where it is written, not
half-way through a sync. One place executes them all (``resolution.table``), for the contacts of a
sync and for the benchmark tables alike.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVEL_KINDS = {
    "exact": "equal values",
    "swapped": "a's value equals b's second column and b's value a's second column",
    "jaro_winkler": "Jaro-Winkler similarity at least the threshold",
    "levenshtein": "edit distance at most the threshold",
    "nickname": "given names of one nickname group (bob, robert)",
    "initial": "one side a single letter, the other's first letter",
}
RESERVED_LEVELS = ("missing", "different")  # the null level and the implicit last level


@dataclass(frozen=True)
class Level:
    """One comparison level: tried after the levels above it, on the pairs none of them claimed.

    ``column`` compares another column than the comparison's own (an e-mail's local part, a
    postcode's district); ``unless_flagged`` names a column marking shared values (a switchboard,
    ``info@``): the level does not hold when either side is marked.
    """

    name: str
    kind: str
    threshold: float = 0.0
    column: str = ""
    unless_flagged: str = ""

    def __post_init__(self) -> None:
        if self.kind not in LEVEL_KINDS:
            raise ValueError(f"level {self.name!r}: unknown kind {self.kind!r} (one of {', '.join(LEVEL_KINDS)})")
        if self.name in RESERVED_LEVELS:
            raise ValueError(f"level name {self.name!r} is reserved")
        if self.kind == "jaro_winkler" and not 0 < self.threshold <= 1:
            raise ValueError(f"level {self.name!r}: a Jaro-Winkler threshold is in (0, 1]")
        if self.kind == "levenshtein" and (self.threshold < 1 or self.threshold != int(self.threshold)):
            raise ValueError(f"level {self.name!r}: a Levenshtein threshold is a whole number of edits")

    @property
    def columns(self) -> set[str]:
        return {c for c in (self.column, self.unless_flagged) if c}


@dataclass(frozen=True)
class TermFrequency:
    """Exact agreement on a value weighs log2(m / share of records holding it): a rare surname counts
    for more than "smith". The weight stays within ``below``/``above`` of the level's learned weight."""

    below: float = float("inf")
    above: float = float("inf")


@dataclass(frozen=True)
class FieldComparison:
    """How one field of two records compares: levels most exact first; a pair no level claims is
    "different", a pair with either side missing is "missing" (no evidence)."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]
    term_frequency: TermFrequency | None = None
    # a flag column: the field counts only when either record is flagged (a keyholder's occupier)
    only_when_either: str = ""

    def __post_init__(self) -> None:
        names = [level.name for level in self.levels]
        if not self.levels or len(set(names)) != len(names):
            raise ValueError(f"comparison {self.name!r}: levels must be present and distinctly named")
        if any(level.kind == "swapped" for level in self.levels) and len(self.columns) < 2:
            raise ValueError(f"comparison {self.name!r}: a swapped level needs a second column")
        if self.term_frequency and (self.levels[0].kind != "exact" or self.levels[0].column):
            raise ValueError(f"comparison {self.name!r}: term frequencies adjust an exact first level")

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels) + ("different",)

    @property
    def used_columns(self) -> set[str]:
        used = set(self.columns) | {c for level in self.levels for c in level.columns}
        return used | ({self.only_when_either} if self.only_when_either else set())


@dataclass(frozen=True)
class TrainingRule:
    """One EM session on the candidate pairs at the given levels (comparison -> level names), those
    comparisons left out of the session: they chose the pairs, so they cannot tell matches apart."""

    levels: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def at(cls, **levels: tuple[str, ...]) -> TrainingRule:
        return cls(tuple(levels.items()))


def agree_on(*comparisons: str) -> TrainingRule:
    """A training rule on pairs at each named comparison's first (most exact) level."""
    return TrainingRule(tuple((name, ()) for name in comparisons))


@dataclass(frozen=True)
class TableSpec:
    comparisons: tuple[FieldComparison, ...]
    blocking_rules: tuple[tuple[str, ...], ...]  # columns that must all agree for two rows to be compared
    training_rules: tuple[TrainingRule, ...]
    threshold: float = 0.9  # match probability at which two rows join
    review_threshold: float = 0.5  # match probability from which a pair kept apart is worth a look
    u_sample_pairs: int = 500_000
    max_block: int = 2_000  # rows sharing one blocking key beyond this are not compared on that key
    seed: int = 42
    session_sample_pairs: int = 400_000  # at most this many pairs per EM session
    share_sample_pairs: int = 1_000_000  # pairs the match share is estimated on
    # below these, weights are not learned (the caller keeps its defaults): EM needs enough pairs
    min_candidate_pairs: int = 0
    min_session_pairs: int = 1

    def __post_init__(self) -> None:
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError("comparison names must be distinct")
        for rule in self.blocking_rules:
            if not 1 <= len(rule) <= 3:
                raise ValueError(f"blocking rule {rule}: one to three columns")  # keys are packed into int64
        by_name = {c.name: c for c in self.comparisons}
        for training in self.training_rules:
            for name, levels in training.levels:
                if name not in by_name:
                    raise ValueError(f"training rule names no comparison {name!r}")
                unknown = set(levels) - set(by_name[name].level_names)
                if unknown:
                    raise ValueError(f"training rule: {name} has no level {sorted(unknown)}")

    @property
    def columns(self) -> set[str]:
        return {c for comparison in self.comparisons for c in comparison.used_columns} | {
            c for rule in self.blocking_rules for c in rule}

    def comparison(self, name: str) -> FieldComparison:
        return next(c for c in self.comparisons if c.name == name)
