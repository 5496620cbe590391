"""A message, its versions and its recipients' deliveries, as the graph keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("spontaneous", "pre_planned", "wider_london", "cssc_cascade")
GRADES = (1, 2, 3, 4)  # 1 critical … 4 routine
CHANNELS = ("email", "sms", "app", "social")
PERSONAL_CHANNELS = ("email", "sms")  # sent to each recipient; app and social are public feeds
STATES = ("draft", "submitted", "authorised", "issued", "closed", "rejected", "withdrawn")
OPEN_STATES = ("draft", "submitted", "authorised", "issued")
DELIVERY_STATUSES = ("pending", "sent", "delivered", "permanent-failure", "temporary-failure",
                     "technical-failure", "opted-out", "skipped")


@dataclass(frozen=True)
class Message:
    message_id: str
    type: str
    grade: int
    title: str
    body: str
    channels: tuple[str, ...]
    audience: dict  # the audience's filters, as `stakeholders audience` takes them (or {"saved": NAME})
    author: str
    state: str = "draft"
    public: bool = False  # published on the App and social feeds
    created_at: str = ""
    submitted_at: str = ""
    authorised_by: str = ""
    authorised_at: str = ""
    issued_at: str = ""
    issued_via: str = ""
    closed_at: str = ""
    next_update_due: str = ""  # ISO datetime of the update a holding message promised; "" when none
    reason: str = ""  # why it was rejected or withdrawn
    versions: int = 0  # how many times it went out: the issue, then each update and the closure
    prompted_for: str = ""  # the due update or closure its inspectors were last prompted about
    # a priority stakeholder's own message to its own staff (an event report sent on from the portal): the
    # organisation's ID; it needs no police authorisation, as it reaches no one else
    from_organisation: str = ""
    history: tuple[dict, ...] = field(default=())  # each transition: state, who, at, why


@dataclass(frozen=True)
class Delivery:
    """One recipient on one channel of one message version."""

    contact_id: str
    channel: str
    address: str  # the email or mobile it went to ("" once the contact is erased)
    status: str = "pending"
    provider_id: str = ""
    at: str = ""
    version: int = 1
