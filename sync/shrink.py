"""Shrink protection: a source whose usable rows fall sharply since its last good sync is held back.

A nightly run must not wipe hundreds of contacts because someone saved an export with the filter on, or
emptied a sheet by mistake. A source whose usable row count (rows used, not quarantined) fell by more than
its allowed share since its last good batch is held back like a source failing a quality gate (its last
good batch keeps contributing) until someone accepts the new size with ``--accept-shrink SOURCE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kernel.errors import StakeholdersError
from sources.model import SourceBatch

DEFAULT_MAX_SHRINK = 0.2
# How sources.readers words a file without a single data row, which it reports as a read failure.
_EMPTY_FILE = (" is empty", "has a header row but no data rows")


class SyncOptionError(StakeholdersError, ValueError):
    """A sync option that cannot be used as given (an unknown source, a share outside 0..1)."""


@dataclass(frozen=True)
class ShrinkPolicy:
    """``default``: the share of usable rows a source may lose between good syncs (0.2 = 20%; 1 disables
    the check); ``per_source``: the same for named sources; ``accepted``: sources whose new size is
    accepted this run, however much smaller; ``removal_accepted``: sources gone from the manifest whose
    data may now retire (the extreme shrink of a whole manifest)."""

    default: float = DEFAULT_MAX_SHRINK
    per_source: Mapping[str, float] = field(default_factory=dict)
    accepted: frozenset[str] = frozenset()
    removal_accepted: frozenset[str] = frozenset()

    def allowed(self, source: str) -> float:
        return self.per_source.get(source, self.default)

    def named_sources(self) -> set[str]:
        return set(self.per_source) | set(self.accepted)

    def check_names(self, known: Iterable[str]) -> None:
        """``known``: the manifest's sources."""
        known = set(known)
        unknown = sorted(self.named_sources() - known)
        if unknown:
            raise SyncOptionError(f"--max-shrink/--accept-shrink name source(s) not in the manifest: "
                                  f"{', '.join(unknown)}")
        still_there = sorted(self.removal_accepted & known)
        if still_there:
            raise SyncOptionError(f"--accept-removal names source(s) the manifest still has: {', '.join(still_there)}")

    def removal_reason(self, source: str) -> str | None:
        """Why a source gone from the manifest is held back, or None when its removal is accepted."""
        if source in self.removal_accepted:
            return None
        return ("not in the manifest any more; its last good batch is kept until you confirm the removal "
                f"with --accept-removal {source}")

    def held_back_reason(self, source: str, before: int | None, now: int) -> str | None:
        """Why the batch must wait for an acceptance, or None when its size is fine."""
        if source in self.accepted or not before:
            return None
        lost = (before - now) / before
        if lost <= self.allowed(source):
            return None
        return (f"usable rows fell from {before} to {now} (-{lost:.0%}, more than the {self.allowed(source):.0%} "
                f"allowed); if that is right, run the sync with --accept-shrink {source}")


def emptied(batch: SourceBatch) -> bool:
    """A file that was read but holds no data row at all (blank, or a header only): 0 usable rows,
    the extreme case of a shrink, rather than an unreadable file."""
    return batch.failure is not None and batch.rows_read == 0 and batch.failure.endswith(_EMPTY_FILE)


def parse_max_shrink(values: Iterable[str]) -> tuple[float, dict[str, float]]:
    """``--max-shrink`` values: ``SHARE`` sets the default, ``SOURCE=SHARE`` one source's share."""
    default, per_source = DEFAULT_MAX_SHRINK, {}
    for value in values:
        source, _, share = value.rpartition("=")
        try:
            number = float(share.rstrip("%")) / (100 if share.endswith("%") else 1)
        except ValueError:
            number = -1.0
        if not 0 <= number <= 1:
            raise SyncOptionError(f"--max-shrink {value!r}: give a share from 0 to 1 (or 0% to 100%), "
                                  "optionally as SOURCE=SHARE")
        if source:
            per_source[source] = number
        else:
            default = number
    return default, per_source
