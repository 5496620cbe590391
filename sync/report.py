"""What a sync did, per source and overall, in words a data steward can act on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceOutcome:
    name: str
    kind: str
    status: str  # "synced" | "held back"
    rows_read: int = 0
    rows_used: int = 0
    quarantined: int = 0
    reason: str = ""  # why it was held back, in words
    hold_back: list[str] = field(default_factory=list)  # why, as codes (kernel.reasons.HoldBack)
    warnings: list[str] = field(default_factory=list)
    kept_previous: bool = False  # a held-back source whose last good batch was used instead
    suppressed: int = 0  # rows of erased people, quarantined (resolution.suppression); part of quarantined
    checks: list[dict] = field(default_factory=list)  # the quality gate's checks: name, success, detail

    def as_properties(self) -> dict:
        return {"kind": self.kind, "status": self.status, "rows_read": self.rows_read,
                "rows_used": self.rows_used, "quarantined": self.quarantined, "reason": self.reason}


@dataclass
class SyncReport:
    outcomes: list[SourceOutcome]
    changed: bool
    contacts: int = 0
    organisations: int = 0
    premises: int = 0
    postcodes: int = 0
    review_pairs: int = 0
    decisions_applied: int = 0
    identity_events: dict[str, int] = field(default_factory=dict)  # event kind -> count (resolution.identity)
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    resumed: bool = False  # it first finished the load of a sync that was interrupted

    @property
    def held_back(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status != "synced"]

    @property
    def exit_code(self) -> int:
        """0 when every source synced; 3 when any source was held back (the others still synced)."""
        return 3 if self.held_back else 0

    def lines(self) -> list[str]:
        out = ["finished the load of an earlier sync that was interrupted"] if self.resumed else []
        for o in self.outcomes:
            line = f"  {o.name} ({o.kind}): {o.status}, {o.rows_read} rows read"
            if o.status == "synced":
                line += f", {o.rows_used} used, {o.quarantined} quarantined"
                if o.suppressed:
                    line += f" ({o.suppressed} suppressed: erasure requests)"
            else:
                line += f" — {o.reason}"
                if o.kept_previous:
                    line += " (its previous data is kept)"
            out.append(line)
            out.extend(f"    warning: {w}" for w in o.warnings)
        out.append("graph unchanged: nothing changed since the last sync" if not self.changed else
                   "graph updated")
        out.append(f"  {self.contacts} contacts, {self.organisations} organisations, {self.premises} premises, "
                   f"{self.postcodes} postcodes; {self.review_pairs} pairs for review; "
                   f"{self.nodes} nodes, {self.relationships} relationships; {self.seconds:.1f} s")
        if self.decisions_applied:
            out.append(f"  {self.decisions_applied} steward decision(s) applied")
        if self.identity_events:
            out.append("  IDs: " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.identity_events.items())))
        if self.held_back:
            out.append(f"{len(self.held_back)} source(s) held back: "
                       + ", ".join(o.name for o in self.held_back))
        return out
