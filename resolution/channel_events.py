"""What came back from messages, as evidence about a person's channels (data contract sections 6, 10).

An SMS ``STOP`` or an unsubscribe is a dated explicit "no" for that channel at that address: it joins
the consent rule like a source row dated the day it came (the newest explicit value wins, so a later
"yes" on a source row gives consent back). A permanent delivery failure marks the address undeliverable:
the contact keeps it on record but no longer offers it for that channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

OPT_OUT = "opt_out"
UNDELIVERABLE = "undeliverable"
_CONSENT_COLUMN = {"email": "consent_email", "sms": "consent_sms"}
_ADDRESS_COLUMN = {"email": "email", "sms": "mobile"}


@dataclass(frozen=True)
class ChannelEvent:
    kind: str  # OPT_OUT | UNDELIVERABLE
    channel: str  # email | sms
    address: str  # the email (lower case) or the mobile (E.164)
    at: dt.date
    source: str  # what said so, e.g. "M-3 SMS reply STOP": where the profile says the "no" came from


def by_address(events: Iterable[ChannelEvent]) -> dict[tuple[str, str], list[ChannelEvent]]:
    found: dict[tuple[str, str], list[ChannelEvent]] = {}
    for event in events:
        found.setdefault((event.channel, event.address), []).append(event)
    return found


def consent_rows(rows: Sequence[Mapping], events: Mapping[tuple[str, str], list[ChannelEvent]]) -> list[dict]:
    """Rows to weigh beside a contact's own: one explicit "no" per opt-out at one of its addresses."""
    extra = []
    for channel, column in _ADDRESS_COLUMN.items():
        addresses = {r.get(column) for r in rows if isinstance(r.get(column), str) and r.get(column)}
        for address in sorted(addresses):
            for event in events.get((channel, address), ()):
                if event.kind == OPT_OUT:
                    extra.append({"ref": event.source, "date": event.at, _CONSENT_COLUMN[channel]: False})
    return extra


def without_undeliverable(rows: Sequence[Mapping], events: Mapping[tuple[str, str], list[ChannelEvent]]
                          ) -> list[dict]:
    """The rows with every address marked undeliverable blanked, for choosing the address to offer."""
    out = []
    for row in rows:
        changed = dict(row)
        for channel, column in _ADDRESS_COLUMN.items():
            value = row.get(column)
            if isinstance(value, str) and any(e.kind == UNDELIVERABLE for e in events.get((channel, value), ())):
                changed[column] = ""
        out.append(changed)
    return out
