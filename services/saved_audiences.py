"""Saved audiences and the builder's form: what a user typed and ticked, kept as text, and how it becomes
the graph filter for a role — saved audiences named in its lists drawn now, with the same role. The web
builder, the command line's ``saved:NAME`` references and messages all read saved audiences this way.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph.audience import CHANNELS, AudienceFilter, PolygonError, parse_polygon
from graph.store import GraphStore
from kernel.errors import UsageError
from resolution.survivorship import PRIORITY_RANK

from .audience import UnknownFilterValues, known_filter
from .locations import LocationError, resolve_location

_IDS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class AudienceForm:
    """What the user typed and ticked, as text: kept as is for saved audiences and to refill the form."""

    issues: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    near: str = ""
    radius_m: str = ""
    categories: tuple[str, ...] = ()
    min_priority: str = ""
    channel: str = "any"
    keyholders: bool = False
    polygon: str = ""
    include_contacts: str = ""
    include_organisations: str = ""
    include_saved: tuple[str, ...] = ()
    exclude_contacts: str = ""
    exclude_organisations: str = ""
    exclude_saved: tuple[str, ...] = ()
    within_contacts: str = ""  # "must be": only people also in these lists
    within_organisations: str = ""
    within_saved: tuple[str, ...] = ()
    # the engagement record: group and sector keys, Mosaic codes (a saved audience without them has none)
    groups: tuple[str, ...] = ()
    priority_stakeholder: bool = False
    sectors: tuple[str, ...] = ()
    sector_leads: bool = False
    mosaic_groups: tuple[str, ...] = ()
    mosaic_types: tuple[str, ...] = ()
    purpose: str = ""

    @classmethod
    def from_params(cls, params) -> AudienceForm:
        """From query parameters or form data (anything with ``get`` and ``getlist``)."""
        values: dict = {}
        for name, spec in cls.__dataclass_fields__.items():
            if spec.type == "tuple[str, ...]":
                values[name] = tuple(v.strip() for v in params.getlist(name) if v.strip())
            elif spec.type == "bool":
                values[name] = params.get(name) in ("on", "true", "1")
            else:
                values[name] = (params.get(name) or spec.default).strip()
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> AudienceForm:
        stored = json.loads(text)
        return cls(**{name: tuple(value) if isinstance(value, list) else value
                      for name, value in stored.items() if name in cls.__dataclass_fields__})

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


class FormProblems(UsageError, ValueError):
    """Every problem with the form, one sentence each, naming the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def ids(text: str) -> tuple[str, ...]:
    """IDs typed one after another, separated by commas, semicolons, spaces or new lines."""
    return tuple(dict.fromkeys(part for part in _IDS.split(text.strip()) if part))


def build_filter(form: AudienceForm, role: str, store: GraphStore, saved: Mapping[str, str],
                 seen: frozenset[str] = frozenset()) -> AudienceFilter:
    """The graph filter for ``form``, as ``role`` may see it. Saved audiences named in the include and
    exclude lists are evaluated now, with the same role, and their contacts added to the lists."""
    problems = []
    if form.channel not in CHANNELS:
        problems.append(f"Channel: choose one of {', '.join(CHANNELS)}")
    if form.min_priority and form.min_priority not in PRIORITY_RANK:
        problems.append(f"Minimum priority: choose one of {', '.join(PRIORITY_RANK)}")
    near, radius = None, None
    if form.near or form.radius_m:
        try:
            radius = float(form.radius_m)
            if radius < 0 or radius != radius:
                raise ValueError
        except ValueError:
            problems.append("Radius: give the distance in metres, a number not below 0, with the place it is around")
        if not form.near:
            problems.append("Near: give a postcode or LAT,LON for the radius to be around")
        else:
            try:
                near = resolve_location(form.near, store, None)
            except LocationError as error:
                problems.append("Near: " + str(error).removeprefix("--near "))
    polygon = ()
    if form.polygon:
        try:
            polygon = parse_polygon(form.polygon)
        except PolygonError as error:
            problems.append(f"Polygon: {error}")
    members: dict[str, list[str]] = {"include": [], "exclude": [], "within": []}
    for side, names in (("include", form.include_saved), ("exclude", form.exclude_saved),
                        ("within", form.within_saved)):
        for name in names:
            if name not in saved:
                problems.append(f"{side.capitalize()}: there is no saved audience named {name!r}")
            elif name in seen:
                problems.append(f"{side.capitalize()}: saved audience {name!r} includes itself")
            else:
                inner = build_filter(AudienceForm.from_json(saved[name]), role, store, saved, seen | {name})
                members[side] += [r["contact_id"] for r in store.audience(inner)]
    try:
        known = known_filter(AudienceFilter(issues=form.issues, wards=form.wards, categories=form.categories,
                                            groups=form.groups, sectors=form.sectors, mosaic_groups=form.mosaic_groups,
                                            mosaic_types=form.mosaic_types), store)
    except UnknownFilterValues as error:
        problems += [problem[0].upper() + problem[1:] for problem in error.problems]
    if problems:
        raise FormProblems(problems)
    return AudienceFilter(
        issues=known.issues, wards=known.wards, near=near, radius_m=radius if near else None,
        categories=known.categories, min_priority=form.min_priority or None, channel=form.channel,
        keyholders=form.keyholders, role=role, polygon=polygon,
        include_contacts=tuple(dict.fromkeys([*ids(form.include_contacts), *members["include"]])),
        include_organisations=ids(form.include_organisations),
        exclude_contacts=tuple(dict.fromkeys([*ids(form.exclude_contacts), *members["exclude"]])),
        exclude_organisations=ids(form.exclude_organisations),
        within_contacts=tuple(dict.fromkeys([*ids(form.within_contacts), *members["within"]])),
        within_organisations=ids(form.within_organisations),
        must_be=bool(form.within_contacts.strip() or form.within_organisations.strip() or form.within_saved),
        groups=known.groups, priority_stakeholder=form.priority_stakeholder, sectors=known.sectors,
        sector_leads=form.sector_leads, mosaic_groups=known.mosaic_groups, mosaic_types=known.mosaic_types)


def saved_forms(store: GraphStore) -> dict[str, str]:
    """Every saved audience's name and form (JSON)."""
    return {s["name"]: s["filters"] for s in store.saved_audiences()}


def as_seen_by(form: AudienceForm, role: str, store: GraphStore) -> AudienceForm:
    """A saved ``form`` as ``role`` may see it: for a role that may not see restricted contacts, the contact
    IDs typed into its lists are only those of contacts it may see (a restricted ID goes as an unknown one)."""
    if role == "spoc":
        return form

    def visible(text: str) -> str:
        return ", ".join(store.visible_contact_ids(ids(text), False))
    return dataclasses.replace(form, include_contacts=visible(form.include_contacts),
                               exclude_contacts=visible(form.exclude_contacts),
                               within_contacts=visible(form.within_contacts))


def saved_audience_members(store: GraphStore, name: str, role: str) -> list[str]:
    """The contact IDs of the saved audience ``name`` as ``role`` sees it now; UsageError for an unknown name."""
    saved = saved_forms(store)
    if name not in saved:
        known = ", ".join(sorted(saved)) or "none yet"
        raise UsageError(f"there is no saved audience named {name!r}; the saved ones are: {known}")
    form = as_seen_by(AudienceForm.from_json(saved[name]), role, store)
    return [r["contact_id"] for r in store.audience(build_filter(form, role, store, saved, frozenset({name})))]


@dataclass(frozen=True)
class References:
    """What ``--include/--exclude/--within REF`` name: contact IDs, organisation IDs, saved audiences."""

    contacts: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    saved: tuple[str, ...] = ()

    def contact_ids(self, store: GraphStore, role: str) -> tuple[str, ...]:
        """The contacts named, and those of the saved audiences as ``role`` sees them now."""
        drawn = [i for name in self.saved for i in saved_audience_members(store, name, role)]
        return tuple(dict.fromkeys([*self.contacts, *drawn]))


def parse_references(values: Sequence[str], flag: str) -> References:
    """A contact ID (C-…), an organisation ID (O-…: its people) or ``saved:NAME``; UsageError otherwise."""
    contacts, organisations, saved = [], [], []
    for value in values:
        ref = value.strip()
        if ref.lower().startswith("saved:") and ref[6:].strip():
            saved.append(ref[6:].strip())
        elif ref.upper().startswith("C-"):
            contacts.append(ref.upper())
        elif ref.upper().startswith("O-"):
            organisations.append(ref.upper())
        else:
            raise UsageError(f"{flag} {value!r}: give a contact ID (C-…), an organisation ID (O-…: its people) or "
                             "saved:NAME (a saved audience)")
    return References(tuple(contacts), tuple(organisations), tuple(saved))
