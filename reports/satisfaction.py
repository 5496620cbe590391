"""Satisfaction per period (and group): responses, mean score, the share satisfied, anonymous responses.

The graph counts, per period (``periods.day_periods`` tells it which day is in which) and group, how many
responses scored 1, 2, 3, 4 and 5; this works the figures out. A respondent in two groups counts in both,
so with a grouping the groups of one period may add up to more responses than the period had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .figures import mean, percent

SCORES = (1, 2, 3, 4, 5)  # 5 best
SATISFIED_SCORE = 4  # 4 and 5 are "satisfied"
COLUMNS = ("period", "responses", "mean_score", "satisfied", "satisfied_pct", "anonymous")


@dataclass(frozen=True)
class SatisfactionRow:
    """One period's (and group's) responses. ``group`` is "" without a grouping; ``mean_score`` (one
    decimal) and ``satisfied_pct`` (whole per cent) are None for no response."""

    period: str
    group: str
    responses: int
    mean_score: float | None
    satisfied: int
    satisfied_pct: int | None
    anonymous: int

    def record(self, group_by: str = "") -> dict:
        """The row as the CSV and JSON give it: the group under the grouping's name."""
        values = {"period": self.period, "responses": self.responses, "mean_score": self.mean_score,
                  "satisfied": self.satisfied, "satisfied_pct": self.satisfied_pct, "anonymous": self.anonymous}
        return {"period": self.period, group_by: self.group, **values} if group_by else values


def columns(group_by: str = "") -> tuple[str, ...]:
    return ("period", group_by, *COLUMNS[1:]) if group_by else COLUMNS


def group_order(name: str) -> tuple[bool, str]:
    """Named groups first, alphabetically, then "(anonymous)" and "(none)"."""
    return name.startswith("("), name.lower()


def satisfaction_rows(counts: Iterable[Mapping]) -> list[SatisfactionRow]:
    """``counts``: rows of ``period``, ``grp``, ``anonymous`` (bool) and ``score_1`` .. ``score_5`` (how
    many responses scored each; a period and group may come in several rows). One row per period and group
    that had a response, by period, then group."""
    totals: dict[tuple[str, str], list[int]] = {}
    for row in counts:
        scored = {score: int(row[f"score_{score}"]) for score in SCORES}
        responses = sum(scored.values())
        found = totals.setdefault((row["period"], row["grp"]), [0, 0, 0, 0])
        for i, n in enumerate((responses, sum(score * n for score, n in scored.items()),
                               sum(n for score, n in scored.items() if score >= SATISFIED_SCORE),
                               responses if row["anonymous"] else 0)):
            found[i] += n
    return [SatisfactionRow(period, group, responses, mean(score_total, responses), satisfied,
                            percent(satisfied, responses), anonymous)
            for (period, group), (responses, score_total, satisfied, anonymous)
            in sorted(totals.items(), key=lambda item: (item[0][0], group_order(item[0][1])))]
