"""Messages in the graph, under labels no sync ever sweeps (data contract section 10).

- ``(:Message {id, request, type, grade, title, body, channels, audience, author, state, public, …})``,
  numbered ``M-1``, ``M-2``… by ``(:MessageState {name: 'messages'})``;
- ``(:MessageVersion {key, message_id, number, kind, body, by, at})-[:OF_MESSAGE]->(:Message)``: the
  issue, each update and the closure, as sent;
- ``(:Delivery {key, message_id, contact_id, channel, address, status, provider_id, at, version,
  reference})-[:OF_MESSAGE]->(:Message)``: the frozen recipient list, one per contact and channel, kept
  whatever later syncs do to the contact; ``(:Message)-[:SENT_TO {channel, status, at, provider_id}]->
  (:Contact)`` while the contact exists.

- ``(:ChannelEvent {key, kind, channel, address, at, source})``: an opt-out or an undeliverable address,
  read by every sync (resolution.channel_events).

Mixed into ``store.GraphStore``: every value a parameter, every write a MERGE on a constrained key.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from messages.model import Delivery, Message
from resolution.channel_events import ChannelEvent

from .numbering import numbered_create

NEW_MESSAGE = numbered_create("Message", "MessageState:messages", "M-")
SAVE_MESSAGE = "MATCH (m:Message {id: $id}) SET m += $props RETURN m {.*} AS message"
MESSAGE = "MATCH (m:Message {id: $id}) RETURN m {.*} AS message"
MESSAGES = "MATCH (m:Message) RETURN m {.*} AS message ORDER BY toInteger(substring(m.id, 2))"
ADD_VERSION = """
MATCH (m:Message {id: $id})
MERGE (v:MessageVersion {key: $id + '/' + toString($number)})
SET v.message_id = $id, v.number = $number, v.kind = $kind, v.body = $body, v.by = $by, v.at = $at
MERGE (v)-[:OF_MESSAGE]->(m)
"""
VERSIONS = """
MATCH (v:MessageVersion {message_id: $id}) RETURN v {.*} AS version ORDER BY v.number
"""
FREEZE_RECIPIENTS = """
MATCH (m:Message {id: $id})
UNWIND $rows AS row
MERGE (d:Delivery {key: $id + '|' + row.contact_id + '|' + row.channel})
ON CREATE SET d.message_id = $id, d.contact_id = row.contact_id, d.channel = row.channel,
              d.address = row.address, d.status = 'pending', d.version = 0
MERGE (d)-[:OF_MESSAGE]->(m)
WITH m, d, row
OPTIONAL MATCH (c:Contact {id: row.contact_id})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END |
  MERGE (m)-[r:SENT_TO {channel: row.channel}]->(c))
"""
DELIVERIES = """
MATCH (d:Delivery {message_id: $id}) RETURN d {.*} AS delivery ORDER BY d.contact_id, d.channel
"""
RECORD_DELIVERIES = """
UNWIND $rows AS row
MATCH (d:Delivery {key: row.key})
SET d.status = row.status, d.provider_id = row.provider_id, d.at = row.at, d.version = row.version,
    d.reference = row.reference
WITH d, row
MATCH (m:Message {id: d.message_id})-[r:SENT_TO {channel: d.channel}]->(:Contact {id: d.contact_id})
SET r.status = row.status, r.at = row.at, r.provider_id = row.provider_id
"""
CURRENT_CONTACTS = """
UNWIND $ids AS id
OPTIONAL MATCH (c:Contact {id: id})
OPTIONAL MATCH (e:EntityId {id: id})
RETURN id, c {.name, .consent_email, .consent_sms, .restricted} AS contact, e.merged_into AS merged_into
"""
RECORD_CHANNEL_EVENTS = """
UNWIND $rows AS row
MERGE (e:ChannelEvent {key: row.key})
SET e.kind = row.kind, e.channel = row.channel, e.address = row.address, e.at = row.at, e.source = row.source
"""
CHANNEL_EVENTS = "MATCH (e:ChannelEvent) RETURN e {.*} AS event ORDER BY e.at, e.key"
DELIVERIES_OF = """
MATCH (d:Delivery) WHERE d.contact_id IN $ids
MATCH (m:Message {id: d.message_id})
RETURN d.message_id AS message_id, m.title AS title, d.channel AS channel, d.status AS status, d.at AS at,
       d.version AS version ORDER BY d.at, d.message_id, d.channel
"""
FORGET_IN_MESSAGES = """
OPTIONAL MATCH (d:Delivery) WHERE d.contact_id = $id
SET d.address = ''
WITH count(d) AS deliveries
OPTIONAL MATCH (e:ChannelEvent) WHERE e.address IN $addresses
DETACH DELETE e
RETURN deliveries, count(e) AS events
"""
DELIVERY_BY_PROVIDER_ID = "MATCH (d:Delivery {provider_id: $provider_id}) RETURN d {.*} AS delivery"
DELIVERY_BY_REFERENCE = "MATCH (d:Delivery {reference: $reference}) RETURN d {.*} AS delivery"


def message_properties(message: Message) -> dict:
    """What the graph keeps of a message: its fields, lists and dicts as JSON where Neo4j has no type."""
    props = {name: getattr(message, name) for name in Message.__dataclass_fields__ if name != "message_id"}
    props["channels"] = list(message.channels)
    props["audience"] = json.dumps(message.audience, sort_keys=True)
    props["history"] = json.dumps(list(message.history))
    return props


def message_from_properties(props: dict) -> Message:
    fields = {name: props[name] for name in Message.__dataclass_fields__ if name in props and name != "message_id"}
    fields["channels"] = tuple(props.get("channels") or ())
    fields["audience"] = json.loads(props.get("audience") or "{}")
    fields["history"] = tuple(json.loads(props.get("history") or "[]"))
    return Message(message_id=props["id"], **fields)


def delivery_from_properties(props: dict) -> Delivery:
    return Delivery(contact_id=props["contact_id"], channel=props["channel"], address=props.get("address") or "",
                    status=props.get("status") or "pending", provider_id=props.get("provider_id") or "",
                    at=props.get("at") or "", version=int(props.get("version") or 0))


def delivery_key(message_id: str, contact_id: str, channel: str) -> str:
    return f"{message_id}|{contact_id}|{channel}"


class MessageQueries:
    """The message methods of the graph store (``_read``/``_write`` are the store's)."""

    def new_message(self, message: Message, request: str | None = None) -> Message:
        """Store a new draft and give it its ID; a retried call with the same ``request`` stores nothing new."""
        rows = self._read_write(NEW_MESSAGE, props=message_properties(message),
                                request=request or secrets.token_hex(16))
        return message_from_properties(rows[0]["node"])

    def save_message(self, message: Message) -> Message:
        rows = self._read_write(SAVE_MESSAGE, id=message.message_id, props=message_properties(message))
        return message_from_properties(rows[0]["message"])

    def message(self, message_id: str) -> Message | None:
        rows = self._read(MESSAGE, id=message_id)
        return message_from_properties(rows[0]["message"]) if rows else None

    def messages(self) -> list[Message]:
        return [message_from_properties(r["message"]) for r in self._read(MESSAGES)]

    def add_version(self, message_id: str, number: int, kind: str, body: str, by: str, at: str) -> None:
        self._write(ADD_VERSION, id=message_id, number=number, kind=kind, body=body, by=by, at=at)

    def versions(self, message_id: str) -> list[dict]:
        return [r["version"] for r in self._read(VERSIONS, id=message_id)]

    def freeze_recipients(self, message_id: str, rows: list[dict]) -> None:
        """``rows``: contact_id, channel, address; a recipient already frozen keeps what it had."""
        for start in range(0, len(rows), 5000):
            self._write(FREEZE_RECIPIENTS, id=message_id, rows=rows[start:start + 5000])

    def deliveries(self, message_id: str) -> list[Delivery]:
        return [delivery_from_properties(r["delivery"]) for r in self._read(DELIVERIES, id=message_id)]

    def record_deliveries(self, rows: list[dict]) -> None:
        """``rows``: key, status, provider_id, at, version, reference."""
        for start in range(0, len(rows), 5000):
            self._write(RECORD_DELIVERIES, rows=rows[start:start + 5000])

    def current_consents(self, contact_ids: list[str]) -> dict[str, dict]:
        """contact ID -> {name, email, sms}: the consent of the person the ID now stands for (following
        merges); an erased or retired ID is left out (nobody to ask)."""
        found: dict[str, dict] = {}
        asked = {i: i for i in contact_ids}  # original ID -> the ID to look up now
        for _ in range(10):  # an ID merged into one merged in turn: a few hops at most
            if not asked:
                break
            rows = self._read(CURRENT_CONTACTS, ids=sorted(set(asked.values())))
            by_id = {r["id"]: r for r in rows}
            following = {}
            for original, now_id in asked.items():
                row = by_id.get(now_id, {})
                if row.get("contact"):
                    c = row["contact"]
                    found[original] = {"name": c.get("name") or "", "email": bool(c.get("consent_email")),
                                       "sms": bool(c.get("consent_sms"))}
                elif row.get("merged_into"):
                    following[original] = row["merged_into"]
            asked = following
        return found

    def record_channel_events(self, events: list[ChannelEvent]) -> None:
        """Keep what came back (opt-outs, undeliverable addresses); the same event twice is kept once."""
        rows = [{"key": f"{e.kind}|{e.channel}|{e.address}|{e.source}", "kind": e.kind, "channel": e.channel,
                 "address": e.address, "at": e.at.isoformat(), "source": e.source} for e in events]
        if rows:
            self._write(RECORD_CHANNEL_EVENTS, rows=rows)

    def channel_events(self) -> list[ChannelEvent]:
        return [ChannelEvent(r["event"]["kind"], r["event"]["channel"], r["event"]["address"],
                             dt.date.fromisoformat(r["event"]["at"]), r["event"]["source"])
                for r in self._read(CHANNEL_EVENTS)]

    def deliveries_of(self, contact_ids: list[str]) -> list[dict]:
        """The messages these contact IDs were sent: message ID, title, channel, status, when, version."""
        return self._read(DELIVERIES_OF, ids=list(contact_ids))

    def forget_in_messages(self, contact_id: str, addresses: list[str]) -> dict[str, int]:
        """An erased contact's delivery rows keep their IDs and statuses but no address; what came back about
        their addresses (opt-outs, failures) goes."""
        rows = self._read_write(FORGET_IN_MESSAGES, id=contact_id, addresses=list(addresses))
        return rows[0] if rows else {"deliveries": 0, "events": 0}

    def delivery_by_provider_id(self, provider_id: str) -> dict | None:
        rows = self._read(DELIVERY_BY_PROVIDER_ID, provider_id=provider_id)
        return rows[0]["delivery"] if rows else None

    def _read_write(self, query: str, **params: object) -> list[dict]:
        """A write whose answer is needed (through the store's ``_write``, which finds a moved server)."""
        return [record.data() for record in self._write(query, **params)]
