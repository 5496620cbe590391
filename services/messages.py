"""Messages through their life (data contract section 10): draft, submit, authorise or reject, issue to a
frozen audience, update, close — each step checked (messages.workflow), kept in the graph with who, when
and why, and audited; delivery through a channel (delivery/), nobody sent the same version twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections import Counter
from dataclasses import dataclass

from delivery.channel import Channel, DeliveryUnavailable, Outgoing
from delivery.notify import NotifyChannel
from graph.audience import AudienceFilter
from graph.messages import delivery_from_properties, delivery_key
from graph.store import GraphStore
from kernel.errors import StakeholdersError, UsageError
from kernel.progress import Progress, quiet
from messages import text, workflow
from messages.model import CHANNELS, GRADES, PERSONAL_CHANNELS, TYPES, Delivery, Message
from resolution.channel_events import OPT_OUT, UNDELIVERABLE, ChannelEvent
from sources.normalise.phone import parse_phone
from sync.home_files import write_json

from . import audience as audience_use_cases
from .command_line_user import command_line_user
from .installation import Installation
from .saved_audiences import parse_references

# the statuses after which a recipient is not sent this message again (an update or the closure)
_FINAL_FOR_ADDRESS = frozenset({"permanent-failure", "opted-out"})
AUDIENCE_KEYS = ("issues", "wards", "near", "radius_m", "categories", "min_priority", "polygon", "include",
                 "exclude", "within")  # include/exclude/within: references (C-…, O-…, saved:NAME), drawn at issue
_REFERENCES = ("include", "exclude", "within")


class MessageError(StakeholdersError):
    """A message that cannot be found, or a step that cannot be taken with what it has."""


@dataclass(frozen=True)
class Actor:
    """Who acts, with which role (``workflow.SINGLE_USER`` in a home without accounts)."""

    user: str
    role: str


@dataclass(frozen=True)
class SendReport:
    message: Message
    version: int
    counts: dict[str, int]  # status -> recipients on this version (sent, permanent-failure, opted-out, …)
    pending: int = 0  # not yet sent: the service stopped answering; the next try sends them

    def line(self) -> str:
        done = ", ".join(f"{n} {status}" for status, n in sorted(self.counts.items())) or "nobody"
        more = (f"; {self.pending} not sent yet: the delivery service stopped answering — run the same "
                "command again to send the rest (nobody gets it twice)") if self.pending else ""
        return f"{self.message.message_id} version {self.version}: {done}{more}"


def actor_of(installation: Installation) -> Actor:
    """The command-line user (services.command_line_user) as the workflow sees them: a home without accounts
    is a single-user installation whose operator may do everything."""
    user = command_line_user(installation.accounts, installation.user.lower())
    return Actor(user.name, user.role or workflow.SINGLE_USER)

def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def draft(installation: Installation, actor: Actor, *, title: str, body: str, type_: str, grade: int,
          channels: tuple[str, ...], audience: dict, public: bool = False, max_sms_segments: int = 3) -> Message:
    """A new draft, its words and audience checked now rather than when it is issued."""
    if actor.role not in workflow.AUTHORS and actor.role != workflow.SINGLE_USER:
        raise workflow.TransitionError(f"{actor.user} is {actor.role}: messages are written by messaging, SPOC "
                                       "and inspector accounts")
    _check_fields(title, body, type_, grade, channels, audience, public, max_sms_segments)
    audience = _known_audience(installation, audience)
    at = now().isoformat()
    message = Message("", type_, grade, title.strip(), body, channels, audience, actor.user, public=public,
                      created_at=at, history=({"state": "draft", "who": actor.user, "at": at, "why": ""},))
    stored = installation.store.new_message(message)
    _audit(installation, actor, "message drafted", stored)
    return stored


def step(installation: Installation, actor: Actor, message_id: str, action: str, why: str = "") -> Message:
    """submit, authorise, reject, withdraw or close (without a closing message: ``update(final=True)``)."""
    message = get(installation, message_id)
    transition = workflow.check(message, action, actor.user, actor.role, why)
    at = now().isoformat()
    changes: dict = {"state": transition.to_state, "history": message.history + (
        {"state": transition.to_state, "who": actor.user, "at": at, "why": why.strip()},)}
    if action == "submit":
        changes["submitted_at"] = at
    elif action == "authorise":
        changes |= {"authorised_by": actor.user, "authorised_at": at}
    elif action in ("reject", "withdraw"):
        changes["reason"] = why.strip()
    elif action == "close":
        changes |= {"closed_at": at, "next_update_due": ""}
    stored = installation.store.save_message(dataclasses.replace(message, **changes))
    _audit(installation, actor, f"message {transition.to_state}", stored, why=bool(why.strip()))
    return stored


def issue(installation: Installation, actor: Actor, message_id: str, channel: Channel,
          next_update_in: dt.timedelta | None = None, progress: Progress = quiet) -> SendReport:
    """Freeze the audience as it stands now and send version 1; a try the service cut short is finished
    by issuing again, which sends only what was not sent."""
    message = get(installation, message_id)
    if message.state == "issued" and _pending(installation, message, message.versions):
        return _send(installation, message, message.versions, channel, progress)
    workflow.check(message, "issue", actor.user, actor.role)
    _check_carries(message, channel)
    recipients = _draw(installation, actor, message)
    if not recipients and any(c in PERSONAL_CHANNELS for c in message.channels):
        raise MessageError(f"{message.message_id}: its audience is empty today, so nothing was issued "
                           "(check the filters with `stakeholders audience`)")
    installation.store.freeze_recipients(message.message_id, recipients)
    at = now()
    installation.store.add_version(message.message_id, 1, "issue", message.body, actor.user, at.isoformat())
    message = installation.store.save_message(dataclasses.replace(
        message, state="issued", issued_at=at.isoformat(), issued_via=channel.name, versions=1,
        next_update_due=(at + next_update_in).isoformat() if next_update_in else "",
        history=message.history + ({"state": "issued", "who": actor.user, "at": at.isoformat(), "why": ""},)))
    report = _send(installation, message, 1, channel, progress)
    _audit(installation, actor, "message issued", message, recipients=len({r["contact_id"] for r in recipients}),
           **report.counts)
    return report


def update(installation: Installation, actor: Actor, message_id: str, body: str, channel: Channel, *,
           final: bool = False, next_update_in: dt.timedelta | None = None, max_sms_segments: int = 3,
           progress: Progress = quiet) -> SendReport:
    """Send an update (or, ``final``, the closure) to the people the message was issued to, each consent
    checked again now; a final one closes the message."""
    message = get(installation, message_id)
    workflow.check(message, "close" if final else "update", actor.user, actor.role)
    if _pending(installation, message, message.versions):
        raise MessageError(f"{message.message_id}: version {message.versions} has not reached everyone yet; "
                           f"run `stakeholders message issue {message.message_id}` again first")
    _check_body(body, message.channels, max_sms_segments)
    at, version = now(), message.versions + 1
    installation.store.add_version(message.message_id, version, "closure" if final else "update", body, actor.user,
                                   at.isoformat())
    state = "closed" if final else "issued"
    message = installation.store.save_message(dataclasses.replace(
        message, body=body, versions=version, state=state, closed_at=at.isoformat() if final else "",
        next_update_due="" if final or not next_update_in else (at + next_update_in).isoformat(),
        history=message.history + ({"state": "closed" if final else "updated", "who": actor.user,
                                    "at": at.isoformat(), "why": ""},)))
    report = _send(installation, message, version, channel, progress)
    _audit(installation, actor, "message closed" if final else "message updated", message, version=version,
           **report.counts)
    return report


def get(installation: Installation, message_id: str) -> Message:
    found = installation.store.message(message_id.strip().upper())
    if found is None:
        raise MessageError(f"no message {message_id} (message IDs look like M-1; see `stakeholders message list`)")
    return found


def due(message: Message, at: dt.datetime, close_after: dt.timedelta) -> str:
    """"update overdue", "closure due" or "" for an open issued message at time ``at``."""
    if message.state != "issued":
        return ""
    if message.next_update_due and dt.datetime.fromisoformat(message.next_update_due) <= at:
        return "update overdue"
    if message.issued_at and dt.datetime.fromisoformat(message.issued_at) + close_after <= at:
        return "closure due"
    return ""


def listing(installation: Installation, close_after: dt.timedelta, due_only: bool = False,
            state: str | None = None) -> list[dict]:
    """Every message (open ones first), with what is due on it."""
    at = now()
    rows = []
    for message in installation.store.messages():
        owed = due(message, at, close_after)
        if (due_only and not owed) or (state and message.state != state):
            continue
        rows.append({"message_id": message.message_id, "state": message.state, "type": message.type,
                     "grade": message.grade, "title": message.title, "author": message.author,
                     "channels": ";".join(message.channels), "issued_at": message.issued_at,
                     "next_update_due": message.next_update_due, "due": owed, "versions": message.versions})
    return sorted(rows, key=lambda r: (r["state"] not in ("issued", "submitted", "authorised", "draft"),
                                       r["due"] == "", -int(r["message_id"][2:])))


def show(installation: Installation, message_id: str) -> dict:
    """The message, its versions and every recipient's delivery status (IDs and channels; addresses only for
    recipients not erased)."""
    message = get(installation, message_id)
    deliveries = installation.store.deliveries(message.message_id)
    return {"message": dataclasses.asdict(message), "versions": installation.store.versions(message.message_id),
            "status": dict(Counter(f"{d.channel} {d.status}" for d in deliveries)),
            "deliveries": [dataclasses.asdict(d) for d in deliveries]}


# --- inside ---------------------------------------------------------------------------------------
def _check_fields(title: str, body: str, type_: str, grade: int, channels: tuple[str, ...], audience: dict,
                  public: bool, max_sms_segments: int) -> None:
    if not title.strip():
        raise UsageError("a message needs a title (--title)")
    if type_ not in TYPES:
        raise UsageError(f"unknown message type {type_!r}: one of {', '.join(TYPES)}")
    if grade not in GRADES:
        raise UsageError(f"grade {grade}: give 1 (critical) to 4 (routine)")
    if not channels or any(c not in CHANNELS for c in channels):
        raise UsageError(f"give the channels with --channel: {', '.join(CHANNELS)}")
    if any(c in ("app", "social") for c in channels) and not public:
        raise UsageError("the app and social channels publish to everyone: mark the message --public")
    unknown = sorted(set(audience) - set(AUDIENCE_KEYS))
    if unknown:
        raise UsageError(f"unknown audience filter(s): {', '.join(unknown)}")
    _check_body(body, channels, max_sms_segments)


def _check_body(body: str, channels: tuple[str, ...], max_sms_segments: int) -> None:
    if not body.strip():
        raise UsageError("the body is empty")
    text.placeholders(body)
    if "sms" in channels:
        text.check_sms(body, max_sms_segments)


def audience_filter(spec: dict, **more: object) -> AudienceFilter:
    """A message's stored audience (JSON: lists) as the filter `stakeholders audience` draws with."""
    values = {k: tuple(tuple(p) for p in v) if k == "polygon" else tuple(v) if isinstance(v, list) else v
              for k, v in spec.items() if k != "area" and k not in _REFERENCES}
    return AudienceFilter(**values, **more)


def _with_references(f: AudienceFilter, spec: dict, store: GraphStore, role: str) -> AudienceFilter:
    """``f`` with the message's include, exclude and must-be references drawn now (a saved audience as it
    stands at issue). A message whose audience is only ``--include`` references goes to exactly those people."""
    refs = {side: parse_references(spec.get(side) or (), f"--{side}") for side in _REFERENCES}
    only_named = bool(spec.get("include")) and not any(spec.get(k) for k in AUDIENCE_KEYS if k not in _REFERENCES)
    within = refs["include"] if only_named else refs["within"]
    return dataclasses.replace(
        f, include_contacts=refs["include"].contact_ids(store, role),
        include_organisations=refs["include"].organisations,
        exclude_contacts=refs["exclude"].contact_ids(store, role),
        exclude_organisations=refs["exclude"].organisations,
        within_contacts=within.contact_ids(store, role), within_organisations=within.organisations,
        must_be=bool(spec.get("within")) or only_named)


def message_audience(installation: Installation, message: Message, role: str) -> AudienceFilter:
    """The filter a message's audience is drawn with by someone of ``role`` (restricted contacts only for a
    SPOC or a single-user home's operator), its references drawn now."""
    personal = [c for c in message.channels if c in PERSONAL_CHANNELS] or ["email"]
    seen_as = "spoc" if role in ("spoc", workflow.SINGLE_USER) else "messaging"
    chosen = audience_filter(message.audience, channel=personal[0] if len(personal) == 1 else "any", role=seen_as)
    return _with_references(chosen, message.audience, installation.store, seen_as)


def _known_audience(installation: Installation, spec: dict) -> dict:
    """The draft's audience with its issues, wards and categories as the vocabularies and the graph spell
    them; an unknown one is refused now (exit 2, the known values listed), not found empty at issue."""
    checked = audience_use_cases.known_filter(audience_filter(spec), installation.store)
    found = {**spec, **{k: list(getattr(checked, k)) for k in ("issues", "wards", "categories") if spec.get(k)}}
    if checked.wards:  # {area}: the wards as people name them
        names = dict((key, name) for key, name in installation.store.audience_choices()["wards"])
        found["area"] = [names.get(key) or key for key in checked.wards]
    return found


def _draw(installation: Installation, actor: Actor, message: Message) -> list[dict]:
    """The message's recipients now, one row per contact and personal channel it consented to, drawn as
    `stakeholders audience` draws them, and audited as every audience is."""
    personal = [c for c in message.channels if c in PERSONAL_CHANNELS]
    if not personal:
        return []
    audience = message_audience(installation, message, actor.role)
    rows = []
    drawn = audience_use_cases.draw(installation.store, installation.audit, actor.user, audience,
                                    f"message {message.message_id}", interface="message issue")
    for recipient in drawn:
        for channel in personal:  # the audience fills in only the channels each person consented to
            address = recipient["email"] if channel == "email" else recipient["mobile"]
            if address:
                rows.append({"contact_id": recipient["contact_id"], "channel": channel, "address": address,
                             "name": recipient["name"], "organisation": recipient["organisation"]})
    return rows


def _check_carries(message: Message, channel: Channel) -> None:
    missing = sorted(c for c in message.channels if c in PERSONAL_CHANNELS and c not in channel.carries)
    if missing:
        raise MessageError(f"{message.message_id} goes by {', '.join(missing)}, which {channel.name} does not carry: "
                           "send it through a channel that carries all of its channels (notify or file)")


def _pending(installation: Installation, message: Message, version: int) -> list[Delivery]:
    return [d for d in installation.store.deliveries(message.message_id)
            if d.version < version and d.status not in _FINAL_FOR_ADDRESS]


def _send(installation: Installation, message: Message, version: int, channel: Channel,
          progress: Progress) -> SendReport:
    """Send ``version`` to every frozen recipient who has not had it, consent checked again for updates."""
    _check_carries(message, channel)
    store = installation.store
    pending = _pending(installation, message, version)
    # who each recipient is now (a later sync may have merged them into another ID, or erased them)
    consents = store.current_consents(sorted({d.contact_id for d in pending}))
    at, rows, outgoing = now().isoformat(), [], []
    for delivery in pending:
        key = delivery_key(message.message_id, delivery.contact_id, delivery.channel)
        if version > 1 and not consents.get(delivery.contact_id, {}).get(delivery.channel):  # asked again now
            rows.append(_row(key, "opted-out", "", at, version, ""))
            continue
        reference = _reference(message.message_id, version, delivery.contact_id, delivery.channel)
        outgoing.append(Outgoing(reference, delivery.contact_id, delivery.channel, delivery.address,
                                 message.title, _personal(message, delivery, consents),
                                 unsubscribe_link(installation, message.message_id, delivery.contact_id)
                                 if delivery.channel == "email" else ""))
    by_reference = {o.reference: delivery_key(message.message_id, o.recipient, o.channel) for o in outgoing}
    results = channel.already_sent(by_reference) if outgoing else {}
    counts: Counter[str] = Counter(r["status"] for r in rows)
    counts.update("sent" for _ in results)
    rows += [_row(by_reference[ref], sent.status, sent.provider_id, at, version, ref) for ref, sent in results.items()]
    unsent = [o for o in outgoing if o.reference not in results]
    left = len(unsent)
    try:
        for done, sent in enumerate(channel.send(unsent), start=1):
            rows.append(_row(by_reference[sent.reference], sent.status, sent.provider_id, now().isoformat(), version,
                             sent.reference))
            counts[sent.status] += 1
            left -= 1
            if len(rows) >= 500:
                store.record_deliveries(rows)
                rows = []
            if done % 1000 == 0:
                progress(f"{message.message_id}: {done} of {len(unsent)} sent")
    except DeliveryUnavailable as stopped:
        progress(f"{message.message_id}: {stopped}")
    finally:
        store.record_deliveries(rows)
    return SendReport(message, version, dict(counts), pending=left)


def unsubscribe_token(installation: Installation, message_id: str, contact_id: str) -> str:
    """Proof that a link was ours, for one recipient of one message (a keyed hash: not guessable)."""
    return hmac.new(_unsubscribe_key(installation), f"{message_id}|{contact_id}".encode(), hashlib.sha256
                    ).hexdigest()[:32]


def unsubscribe_link(installation: Installation, message_id: str, contact_id: str) -> str:
    base = installation.delivery.public_url
    if not base:
        return ""
    return f"{base}/unsubscribe/{message_id}/{contact_id}/{unsubscribe_token(installation, message_id, contact_id)}"


def unsubscribe(installation: Installation, message_id: str, contact_id: str, token: str) -> bool:
    """A click on an email's unsubscribe link: a dated explicit "no" to email at the address the message
    went to. False when the link is not one of ours (nothing recorded)."""
    if not hmac.compare_digest(token.encode(), unsubscribe_token(installation, message_id, contact_id).encode()):
        return False
    found = [d for d in installation.store.deliveries(message_id) if d.contact_id == contact_id
             and d.channel == "email" and d.address]
    installation.store.record_channel_events([ChannelEvent(OPT_OUT, "email", d.address, now().date(),
                                                           f"{message_id} unsubscribe link") for d in found])
    installation.audit.append("unsubscribe", "email unsubscribe", {"message_id": message_id,
                                                                  "contact_id": contact_id})
    return bool(found)


def _unsubscribe_key(installation: Installation) -> bytes:
    path = installation.home / "unsubscribe.key"
    if not path.exists():
        write_json(path, {"key": secrets.token_hex(32)})
    return bytes.fromhex(json.loads(path.read_text())["key"])


def _personal(message: Message, delivery: Delivery, consents: dict) -> str:
    area = ", ".join(message.audience.get("area") or ())
    due_at = message.next_update_due[11:16] if message.next_update_due else ""
    name = consents.get(delivery.contact_id, {}).get("name", "") or ""
    return text.personalise(message.body, {"first_name": name.split(" ")[0] if name else "", "name": name,
                                           "area": area, "next_update": due_at,
                                           "reference": message.message_id})


def _reference(message_id: str, version: int, contact_id: str, channel: str) -> str:
    """The delivery service's reference of one recipient and channel of one message version."""
    return f"{message_id}-v{version}-{contact_id}-{channel}"


def _row(key: str, status: str, provider_id: str, at: str, version: int, reference: str) -> dict:
    return {"key": key, "status": status, "provider_id": provider_id, "at": at, "version": version,
            "reference": reference}


def _audit(installation: Installation, actor: Actor, action: str, message: Message, **details: object) -> None:
    installation.audit.append(actor.user, action, {"message_id": message.message_id, "state": message.state,
                                                   "grade": message.grade, "type": message.type, **details})



# --- what comes back ------------------------------------------------------------------------------
STOP_WORDS = frozenset({"STOP", "STOP ALL", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "CANCEL"})
_TERMINAL = frozenset({"delivered", "permanent-failure", "temporary-failure", "technical-failure"})


@dataclass(frozen=True)
class Receipts:
    statuses: dict[str, int]  # status -> deliveries updated to it
    opt_outs: int
    undeliverable: int

    def line(self) -> str:
        done = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items())) or "no new status"
        return (f"{done}; {self.opt_outs} SMS opt-out(s) (STOP), {self.undeliverable} address(es) marked "
                "undeliverable; they count from the next sync")


def receipts(installation: Installation, notify: NotifyChannel, progress: Progress = quiet) -> Receipts:
    """Ask the Notify service how the sent messages fared and what people replied: a STOP is a dated
    explicit "no" to SMS at that number, a permanent failure marks that address undeliverable."""
    store, rows, events = installation.store, [], []
    statuses: Counter[str] = Counter()
    for message in store.messages():
        for delivery in store.deliveries(message.message_id):
            if delivery.status != "sent" or not delivery.provider_id or delivery.provider_id.startswith("file:"):
                continue
            status = notify.status(delivery.provider_id)
            if status in _TERMINAL:
                row, event = _status_change(message.message_id, delivery, status)
                rows.append(row)
                events += [event] if event else []
                statuses[status] += 1
    stops = [e for e in (_stop(r.get("user_number"), r.get("content"), r.get("created_at"), r.get("id"))
                         for r in notify.received_texts()) if e]
    store.record_deliveries(rows)
    store.record_channel_events(events + stops)
    progress(f"{len(rows)} delivery status(es) updated")
    return Receipts(dict(statuses), len(stops), len(events))


def delivery_callback(installation: Installation, payload: object) -> str:
    """A delivery receipt the Notify service pushed (its callback: id, reference, status…); returns the
    status recorded. UsageError for a payload that is not one, MessageError for a notification we never sent."""
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), str) or payload.get("status") not in (
            *_TERMINAL, "sending", "created", "pending"):
        raise UsageError("not a delivery receipt: it needs an id and a status")
    found = installation.store.delivery_by_provider_id(payload["id"])
    if found is None:
        raise MessageError(f"no message was sent as notification {payload['id']}")
    delivery = delivery_from_properties(found)
    status = payload["status"]
    if status in _TERMINAL:
        row, event = _status_change(found["message_id"], delivery, status)
        installation.store.record_deliveries([row])
        installation.store.record_channel_events([event] if event else [])
    return status


def reply_callback(installation: Installation, payload: object) -> bool:
    """A text message someone sent to the service's number (its received-text callback); True when it was
    a STOP, now kept as their "no" to SMS. UsageError for a payload that is not one."""
    if not isinstance(payload, dict) or not payload.get("source_number") or "message" not in payload:
        raise UsageError("not a received text message: it needs a source_number and a message")
    stop = _stop(payload["source_number"], payload["message"], payload.get("date_received"), payload.get("id"))
    if stop:
        installation.store.record_channel_events([stop])
    return stop is not None


def _status_change(message_id: str, delivery: Delivery, status: str) -> tuple[dict, ChannelEvent | None]:
    row = _row(delivery_key(message_id, delivery.contact_id, delivery.channel), status, delivery.provider_id,
               delivery.at, delivery.version, _reference(message_id, delivery.version, delivery.contact_id,
                                                         delivery.channel))
    event = None
    if status == "permanent-failure" and delivery.address:
        event = ChannelEvent(UNDELIVERABLE, delivery.channel, delivery.address, now().date(),
                             f"{message_id} {delivery.channel} permanent failure")
    return row, event


def _stop(number: object, content: object, at: object, reply_id: object) -> ChannelEvent | None:
    """A STOP reply as a dated "no" to SMS at that number; None for any other text or an unusable number."""
    if " ".join(str(content or "").upper().split()) not in STOP_WORDS:
        return None
    found, _ = parse_phone("+" + str(number or "").lstrip("+"))
    if found is None:
        return None
    try:
        when = dt.datetime.fromisoformat(str(at).replace("Z", "+00:00")).date() if at else now().date()
    except ValueError:
        when = now().date()
    return ChannelEvent(OPT_OUT, "sms", found, when, f"SMS reply STOP ({reply_id or ''})")
