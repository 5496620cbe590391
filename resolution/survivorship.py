"""The surviving values of a merged contact, each with the rule that chose it.

Contract section 6 decides consent, restricted, issues and priority. Every other
single-valued field takes the value of the most recent row that has one; between
rows of the same date, the most trusted source (contact lists over the keyholder
export, see ``SOURCE_TRUST``), then the most complete row (most fields filled),
then the most frequent value. The name is the exception: the most used spelling,
so a nickname on the latest list does not rename someone. Values not chosen are
kept as alternatives with the rows that hold them.

Each function takes the merged rows as plain dicts (one per source row), which is
much faster than slicing a DataFrame per contact.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

PRIORITY_RANK = {"low": 1, "medium": 2, "high": 3}
# Higher is more trusted: directorate contact lists are kept by people who deal with the contact;
# the keyholder export is about premises, its people details are secondary.
SOURCE_TRUST = {"contacts": 2, "keyholders": 1}
_UNDATED = dt.date.min  # an undated row counts as the oldest

Row = dict

RULE_ONLY = "the only value"
RULE_NONE = "no row has a value"
# what separated the winner from the best other value, in the order they are compared
_TIE_BREAKS = ("most recent", "most trusted source (rows of the same date)",
               "most complete row (same date and source trust)", "most frequent value (otherwise tied)",
               "alphabetical (otherwise tied)")
RULE_NAME = "most used spelling, then the fuller given name"
RULE_WITH_NAME = "as in the chosen name"
RULE_CONSENT = "contract §6: the most recent explicit value"
RULE_CONSENT_TIE = "contract §6: a yes and a no of the same date give no"
RULE_NO_CONSENT = "contract §6: no explicit value, so no consent"
RULE_RESTRICTED = "contract §6: restricted if any row says so"
RULE_NOT_RESTRICTED = "contract §6: no row says restricted"
RULE_PRIORITY = "contract §6: the highest"
RULE_ISSUES = "contract §6: the union over all rows"
RULE_UNION = "every value on any row"
RULE_LATEST_DATE = "the latest date on any row"
RULE_PERSONAL_MAILBOX = "a personal mailbox over a role mailbox"


class Choice(NamedTuple):
    """A surviving value, the rule that chose it, the deciding row ("" when every row counts or none
    has a value) and the values not chosen: ({"value": ..., "refs": [...]}, ...)."""

    value: object
    rule: str
    source: str = ""
    alternatives: Sequence[dict] = ()

    def as_dict(self) -> dict:
        return {"value": self.value, "rule": self.rule, "source": self.source,
                "alternatives": list(self.alternatives)}


def row_date(row: Row) -> dt.date:
    value = row.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else _UNDATED


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def alternatives(rows: Sequence[Row], column: str, chosen: object, present: Callable[[object], bool] = bool
                 ) -> list[dict]:
    """The values other than ``chosen`` on these rows, each with the refs of the rows holding it."""
    if len(rows) < 2 and (not rows or rows[0].get(column) == chosen):
        return ()
    refs: dict[object, list[str]] = {}
    for r in rows:
        value = r.get(column)
        if value != chosen and present(value) and not isinstance(value, list | float):
            refs.setdefault(value, []).append(r["ref"])
    return [{"value": v, "refs": sorted(refs[v])} for v in sorted(refs, key=str)]


def decide_consent(rows: Sequence[Row], column: str) -> Choice:
    """Most recent explicit value wins; a yes and a no of the same date give no; none at all is no.

    The source is the ref of the row that decided it ("" when no row did).
    """
    explicit = [(row_date(r), bool(r[column]), r["ref"]) for r in rows if isinstance(r.get(column), bool)]
    if not explicit:
        return Choice(False, RULE_NO_CONSENT)
    latest = max(date for date, _, _ in explicit)
    on_latest = [(value, ref) for date, value, ref in explicit if date == latest]
    refusals = sorted(ref for value, ref in on_latest if not value)
    if refusals:
        tie = any(value for value, _ in on_latest)
        return Choice(False, RULE_CONSENT_TIE if tie else RULE_CONSENT, refusals[0],
                      alternatives(rows, column, False, _is_bool))
    return Choice(True, RULE_CONSENT, sorted(ref for _, ref in on_latest)[0],
                  alternatives(rows, column, True, _is_bool))


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def decide_restricted(rows: Sequence[Row]) -> Choice:
    saying_so = sorted(r["ref"] for r in rows if r.get("restricted") is True)
    if saying_so:
        return Choice(True, RULE_RESTRICTED, saying_so[0], alternatives(rows, "restricted", True, _is_bool))
    return Choice(False, RULE_NOT_RESTRICTED)


def highest_priority(rows: Sequence[Row]) -> Choice:
    ranked = [r for r in rows if r.get("priority") in PRIORITY_RANK]
    if not ranked:
        return Choice("", RULE_NONE)
    best = max(ranked, key=lambda r: (PRIORITY_RANK[r["priority"]], r["ref"]))
    return Choice(best["priority"], RULE_PRIORITY, best["ref"], alternatives(ranked, "priority", best["priority"]))


def most_recent_value(rows: Sequence[Row], column: str, prefer: Callable[[str], bool] | None = None) -> Choice:
    """The value on the most recent row that has one; then the most trusted source, the most
    complete row, the most frequent value. ``prefer``: values to take over all others when any."""
    if len(rows) == 1:  # most contacts have one row: nothing to choose between
        value = rows[0].get(column)
        return Choice(value, RULE_ONLY, rows[0]["ref"]) if _text(value) else Choice("", RULE_NONE)
    present = [r for r in rows if _text(r.get(column))]
    if not present:
        return Choice("", RULE_NONE)
    pool = present
    note = ""
    if prefer is not None:
        preferred = [r for r in present if prefer(r[column])]
        if preferred and len(preferred) < len(present):
            pool, note = preferred, RULE_PERSONAL_MAILBOX
    if len(pool) == 1:
        best, rule = pool[0], ""
    else:
        counts = Counter(r[column] for r in pool)

        def rank(r: Row) -> tuple:
            return (row_date(r), SOURCE_TRUST.get(r.get("kind"), 0), r.get("filled_fields", 0), counts[r[column]],
                    r[column])

        best = max(pool, key=rank)
        rivals = [rank(r) for r in pool if r[column] != best[column]]
        rule = ""
        if rivals:
            winner, runner_up = rank(best), max(rivals)
            rule = _TIE_BREAKS[next(i for i, (a, b) in enumerate(zip(winner, runner_up, strict=True)) if a != b)]
    rule = ", then ".join(part for part in (note, rule) if part) or RULE_ONLY
    return Choice(best[column], rule, best["ref"], alternatives(present, column, best[column]))


def display_name(rows: Sequence[Row]) -> tuple[Choice, Row | None]:
    """The full name (the most common spelling, formal given names first) and the row it is from."""
    named = [r for r in rows if _text(r.get("full_name"))]
    if not named:
        return Choice("", RULE_NONE), None
    counts = Counter(r["full_name"] for r in named)
    best = max(named, key=lambda r: (counts[r["full_name"]], len(_text(r.get("first_name"))), r["full_name"]))
    rule = RULE_NAME if len(counts) > 1 else RULE_ONLY
    return Choice(best["full_name"], rule, best["ref"], alternatives(named, "full_name", best["full_name"])), best


def name_part(rows: Sequence[Row], chosen_row: Row | None, column: str) -> Choice:
    """A first or last name: the one on the row the full name came from."""
    if chosen_row is None:
        return Choice("", RULE_NONE)
    value = _text(chosen_row.get(column))
    return Choice(value, RULE_WITH_NAME, chosen_row["ref"], alternatives(rows, column, value))


def union_of_lists(rows: Sequence[Row], column: str) -> Choice:
    items = sorted({item for r in rows if isinstance(r.get(column), list | tuple) for item in r[column]})
    return Choice(items, RULE_ISSUES)


def distinct(rows: Sequence[Row], column: str) -> Choice:
    if len(rows) == 1:
        value = rows[0].get(column)
        return Choice([value] if _text(value) else [], RULE_UNION)
    return Choice(sorted({r[column] for r in rows if _text(r.get(column))}), RULE_UNION)


def latest_date(rows: Sequence[Row]) -> Choice:
    dated = [r for r in rows if row_date(r) != _UNDATED]
    if not dated:
        return Choice("", RULE_NONE)
    best = max(dated, key=lambda r: (row_date(r), r["ref"]))
    return Choice(row_date(best).isoformat(), RULE_LATEST_DATE, best["ref"])
