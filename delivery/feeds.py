"""The public feeds: a JSON feed of public messages for the force's App, and an Atom feed with a short text
for the social media team. Only messages marked public and issued (or closed) appear; their words are
filled without anyone's name."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from messages.model import Message
from messages.text import personalise

SOCIAL_LENGTH = 280
ATOM = "http://www.w3.org/2005/Atom"


def public(messages: Iterable[Message], channel: str) -> list[Message]:
    return sorted((m for m in messages if m.public and channel in m.channels and m.state in ("issued", "closed")),
                  key=lambda m: m.issued_at, reverse=True)


def public_text(message: Message) -> str:
    area = ", ".join(message.audience.get("area") or ())
    return personalise(message.body, {"area": area, "reference": message.message_id,
                                      "next_update": message.next_update_due[11:16]})


def app_feed(messages: Iterable[Message]) -> dict:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the App's public messages."""
    return {"version": "https://jsonfeed.org/version/1.1", "title": "City of London Police messages",
            "items": [{"id": m.message_id, "title": m.title, "content_text": public_text(m),
                       "date_published": m.issued_at, "date_modified": m.closed_at or m.issued_at,
                       "tags": [m.type, f"grade-{m.grade}", m.state]} for m in public(messages, "app")]}


def social_feed(messages: Iterable[Message], link: str = "") -> str:
    """Atom 1.0 of the social channel's public messages, each text cut to a post's length."""
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "title").text = "City of London Police messages for social media"
    ET.SubElement(feed, "id").text = "urn:stakeholders:feed:social"
    chosen = public(messages, "social")
    ET.SubElement(feed, "updated").text = chosen[0].issued_at if chosen else "1970-01-01T00:00:00+00:00"
    for message in chosen:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "id").text = f"urn:stakeholders:message:{message.message_id}"
        ET.SubElement(entry, "title").text = message.title
        ET.SubElement(entry, "updated").text = message.closed_at or message.issued_at
        text = public_text(message)
        ET.SubElement(entry, "summary").text = text if len(text) <= SOCIAL_LENGTH else text[:SOCIAL_LENGTH - 1] + "…"
        if link:
            ET.SubElement(entry, "link", href=link)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)
