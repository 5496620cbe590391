"""Drawing an audience, from any interface (contract sections 7 and 9).

The filter values are checked first: an issue or category in any case or as one of the vocabulary's
synonyms (``--issue asb``) is read as the vocabulary's value; a ward as the graph knows it (the last
sync's wards, by key or name, in any case and spacing); anything else is refused with the known values
listed, rather than silently returning nobody. Every audience drawn is then recorded in the audit log
with who, when, purpose, filters, count and the recipients' IDs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from accounts.audit import AuditLog
from exports.audience_files import audience_digest
from graph.audience import AudienceFilter, filter_summary
from graph.store import GraphStore
from kernel.errors import UsageError
from sources.normalise.category import CATEGORIES, parse_category
from sources.normalise.issues import ISSUES, parse_issues


class UnknownFilterValues(UsageError, ValueError):
    """Filter values the vocabularies and the graph do not know; one sentence each, with the known values."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _unknown(kind: str, plural: str, values: Iterable[str], known: Iterable[str]) -> str:
    return f"unknown {kind} {', '.join(repr(v) for v in values)}; the known {plural} are: {', '.join(known)}"


def _issues(values: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    found: list[str] = []
    unknown = []
    for value in values:
        issues, problems = parse_issues(value)
        if problems or not issues:
            unknown.append(value)
        found += [i for i in issues if i not in found]
    return tuple(found), (_unknown("issue", "issues", unknown, ISSUES) if unknown else None)


def _categories(values: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    found: list[str] = []
    unknown = []
    for value in values:
        category, problem = parse_category(value)
        if problem or category is None:
            unknown.append(value)
        elif category not in found:
            found.append(category)
    return tuple(found), (_unknown("category", "categories", unknown, CATEGORIES) if unknown else None)


def _named(values: Sequence[str], known: Sequence[Sequence[str]], kind: str = "ward", plural: str = "wards",
           none: str = "(none: sync a postcode directory with wards)", aliases: Sequence[Sequence[str]] = ()
           ) -> tuple[tuple[str, ...], str | None]:
    by_spelling = {_letters(spelling): key for key, name in known for spelling in (key, name or key) if spelling}
    by_spelling |= {_letters(alias): key for key, alias in aliases if _letters(alias) not in by_spelling}
    found: list[str] = []
    unknown = []
    for value in values:
        key = by_spelling.get(_letters(value))
        if key is None:
            unknown.append(value)
        elif key not in found:
            found.append(key)
    names = sorted({name or key for key, name in known})
    return tuple(found), (_unknown(kind, plural, unknown, names or [none]) if unknown else None)


def _codes(values: Sequence[str], known: Sequence[str], kind: str, plural: str) -> tuple[tuple[str, ...], str | None]:
    """Mosaic codes in any case ("a01" is A01), as the graph holds them."""
    found = tuple(dict.fromkeys(v.strip().upper() for v in values))
    unknown = [v for v in found if v not in known]
    return found, (_unknown(kind, plural, unknown, known or ["(none: sync a Mosaic file)"]) if unknown else None)


def known_filter(f: AudienceFilter, store: GraphStore) -> AudienceFilter:
    """``f`` with its issues, categories and wards as the vocabularies and the graph spell them.

    Raises UnknownFilterValues (exit 2) naming every value not known, with the known values.
    """
    issues, issue_problem = _issues(f.issues)
    categories, category_problem = _categories(f.categories)
    named = [kind for kind in ("wards", "groups", "sectors", "mosaic_types", "mosaic_groups") if getattr(f, kind)]
    named += [f"{kind[:-1]}_aliases" for kind in ("groups", "sectors") if kind in named]
    choices = store.audience_choices(named) if named else {}
    wards, ward_problem = (_named(f.wards, choices["wards"]) if f.wards else ((), None))
    groups, group_problem = (_named(f.groups, choices["groups"], "group", "groups", "(none: sync a groups source)",
                                    choices["group_aliases"])
                             if f.groups else ((), None))
    sectors, sector_problem = (_named(f.sectors, choices["sectors"], "sector", "sectors",
                                      "(none: sync a sectors source)", choices["sector_aliases"])
                               if f.sectors else ((), None))
    types, type_problem = (_codes(f.mosaic_types, choices["mosaic_types"], "Mosaic type", "Mosaic types")
                           if f.mosaic_types else ((), None))
    mosaic_groups, mosaic_group_problem = (_codes(f.mosaic_groups, choices["mosaic_groups"], "Mosaic group",
                                                  "Mosaic groups") if f.mosaic_groups else ((), None))
    problems = [p for p in (issue_problem, ward_problem, category_problem, group_problem, sector_problem,
                            type_problem, mosaic_group_problem) if p]
    if problems:
        raise UnknownFilterValues(problems)
    return dataclasses.replace(f, issues=issues, categories=categories, wards=wards, groups=groups,
                               sectors=sectors, mosaic_types=types, mosaic_groups=mosaic_groups)


def record(audit: AuditLog, who: str, action: str, f: AudienceFilter, recipients: Sequence[dict], purpose: str,
           interface: str, **details: object) -> None:
    """The audit entry of an audience drawn: who (the log adds when), the purpose, the filters, the count,
    the recipients' IDs and their digest (``audience_digest``). IDs and parameters only, no personal data."""
    audit.append(who, action, {
        "interface": interface, "purpose": purpose.strip(), "filters": filter_summary(f), **details,
        "count": len(recipients), "sha256": audience_digest(recipients),
        "contact_ids": sorted(r["contact_id"] for r in recipients)})


def draw(store: GraphStore, audit: AuditLog, who: str, f: AudienceFilter, purpose: str,
         interface: str = "command line") -> list[dict]:
    """The recipients of ``f`` once its values are checked (``known_filter``), recorded in the audit log."""
    f = known_filter(f, store)
    recipients = store.audience(f)
    record(audit, who, "audience drawn", f, recipients, purpose, interface)
    return recipients
