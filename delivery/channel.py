"""What every delivery channel takes and gives back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from kernel.errors import StakeholdersError


@dataclass(frozen=True)
class Outgoing:
    """One personalised message to one address. ``reference``: unique per message version, recipient and
    channel, the key that keeps a retried issue from sending twice."""

    reference: str
    recipient: str  # the contact ID
    channel: str  # email | sms
    address: str
    subject: str
    body: str
    unsubscribe_url: str = ""  # email: the one-click unsubscribe link (RFC 8058), when the app is reachable


@dataclass(frozen=True)
class Sent:
    reference: str
    status: str  # sent | technical-failure | permanent-failure (refused by the service for this address)
    provider_id: str = ""
    detail: str = ""  # why it failed, in the service's words (no personal data: no address)


class DeliveryUnavailable(StakeholdersError):
    """The channel cannot take messages just now (down, refusing us, rate limit not lifting): what was sent
    is recorded, the rest stays pending for the next try."""


class Channel(Protocol):
    name: str
    carries: frozenset[str]  # the personal channels it can take: email, sms

    def already_sent(self, references: Iterable[str]) -> dict[str, Sent]:
        """Of these references, the ones the service already holds (a try cut short after sending)."""
        ...

    def send(self, messages: Iterable[Outgoing]) -> Iterator[Sent]:
        """Send each, yielding as it goes; DeliveryUnavailable when the service stops answering."""
        ...
