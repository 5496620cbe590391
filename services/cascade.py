"""The CSSC cascade view (data contract section 9): a message sent to sector leads, each passing it on to
the organisations of their sector. For the sectors chosen (or all), as a tree of hub, sector and lead: who
would receive it, and how many organisations and people each lead reaches; a sector with no lead, or with
none reachable on the channel, is where the cascade stops.

The same audience is ``--sector S --sector-leads`` (graph.audience); ``audience_params`` opens it in the
audience builder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.audience import CHANNELS, AudienceFilter
from graph.store import GraphStore
from kernel.errors import UsageError

from .audience import known_filter

NO_HUB = "No hub"


@dataclass(frozen=True)
class SectorLead:
    contact_id: str
    name: str
    organisation: str
    reachable: bool  # has an address and consent on the channel: the message reaches them
    priority_stakeholder: bool


@dataclass(frozen=True)
class CascadeSector:
    key: str
    name: str
    organisations: int  # in the sector
    people: int  # at those organisations, reachable on the channel, the sector's leads aside
    leads: tuple[SectorLead, ...]

    @property
    def reached(self) -> bool:
        """Some lead of the sector receives the message: without one, the cascade stops here."""
        return any(lead.reachable for lead in self.leads)


@dataclass(frozen=True)
class CascadeHub:
    name: str
    sectors: tuple[CascadeSector, ...]


@dataclass(frozen=True)
class Cascade:
    channel: str
    sectors: tuple[str, ...]  # the sector keys chosen; () for every sector
    hubs: tuple[CascadeHub, ...]

    @property
    def recipients(self) -> int:
        """How many leads receive the message (a lead of several sectors once)."""
        return len({lead.contact_id for hub in self.hubs for s in hub.sectors for lead in s.leads if lead.reachable})

    def audience_params(self) -> list[tuple[str, str]]:
        """The audience builder's query for this cascade: the sectors, their leads only, the channel."""
        return [*(("sectors", key) for key in self.sectors), ("sector_leads", "on"), ("channel", self.channel)]


def cascade(store: GraphStore, sectors: Sequence[str], channel: str, can_see_restricted: bool) -> Cascade:
    """The cascade through ``sectors`` (keys or names in any case; none: every sector) on ``channel``.

    UsageError for an unknown channel; services.audience.UnknownFilterValues for an unknown sector.
    """
    if channel not in CHANNELS:
        raise UsageError(f"Channel: choose one of {', '.join(CHANNELS)}")
    chosen = known_filter(AudienceFilter(sectors=tuple(sectors)), store).sectors if sectors else ()
    hubs: dict[str, list[CascadeSector]] = {}
    for row in store.cascade(chosen, channel, can_see_restricted):
        leads = tuple(SectorLead(lead["id"], lead["name"] or "", lead["organisation"] or "", lead["reachable"],
                                 lead["priority_stakeholder"]) for lead in row["leads"])
        hubs.setdefault(row["hub"] or NO_HUB, []).append(
            CascadeSector(row["key"], row["name"] or row["key"], row["organisations"], row["people"], leads))
    ordered = sorted(hubs.items(), key=lambda item: (item[0] == NO_HUB, item[0].lower()))
    return Cascade(channel, tuple(chosen), tuple(CascadeHub(name, tuple(found)) for name, found in ordered))
