"""Prompts to the control room: an issued message whose promised update is overdue, or that has stayed
open past the force's limit, is sent to its inspectors once per due time, through a delivery channel,
so that the prompt reaches them while the web app is down (a Dagster sensor runs it every minute)."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from accounts.staff_contacts import StaffContacts
from delivery.channel import Channel, DeliveryUnavailable, Outgoing
from kernel.progress import Progress, quiet
from messages.model import Message

from . import messages as message_use_cases
from .installation import Installation


@dataclass(frozen=True)
class Prompt:
    message: Message
    due: str  # "update overdue" | "closure due"

    @property
    def key(self) -> str:
        """One key per due time: a message is prompted about once, not every minute."""
        when = self.message.next_update_due if self.due == "update overdue" else self.message.issued_at
        return f"{self.due}@{when}"

    def text(self) -> str:
        m = self.message
        act = (f"send the update: stakeholders message update {m.message_id} --body-file FILE"
               if self.due == "update overdue" else
               f"close it: stakeholders message update {m.message_id} --body-file FILE --final")
        return f"{m.message_id} (grade {m.grade}, {m.type.replace('_', ' ')}) \"{m.title}\": {self.due}. To {act}"


def due_prompts(installation: Installation) -> list[Prompt]:
    """The issued messages with an update or closure due that their inspectors have not been told of."""
    at, after = message_use_cases.now(), installation.delivery.close_after
    prompts = [Prompt(m, due) for m in installation.store.messages()
               if (due := message_use_cases.due(m, at, after))]
    return [p for p in prompts if p.message.prompted_for != p.key]


def send_prompts(installation: Installation, channel: Channel, progress: Progress = quiet) -> list[Prompt]:
    """Prompt every active inspector with contact details about each due message; the ones sent."""
    inspectors = StaffContacts(installation.home).of_role("inspector")
    sent = []
    for prompt in due_prompts(installation):
        outgoing = [Outgoing(_reference(prompt, person.username, kind), person.username, kind, address,
                             f"Due: {prompt.message.title}", prompt.text())
                    for person in inspectors
                    for kind, address in (("email", person.email), ("sms", person.mobile))
                    if address and kind in channel.carries]
        if not outgoing:
            progress(f"{prompt.message.message_id}: {prompt.due}, but no inspector has contact details for "
                     f"{channel.name} (stakeholders users contact NAME --email/--mobile)")
            continue
        try:
            done = [s for s in channel.send(outgoing) if s.status == "sent"]
        except DeliveryUnavailable as stopped:
            progress(f"{prompt.message.message_id}: prompt not sent ({stopped}); tried again next minute")
            continue
        installation.store.save_message(dataclasses.replace(prompt.message, prompted_for=prompt.key))
        installation.audit.append("prompts", "message prompt", {"message_id": prompt.message.message_id,
                                                               "due": prompt.due, "sent": len(done)})
        progress(f"{prompt.message.message_id}: {prompt.due}; {len(done)} prompt(s) sent")
        sent.append(prompt)
    return sent


def _reference(prompt: Prompt, username: str, kind: str) -> str:
    due = hashlib.sha256(prompt.key.encode()).hexdigest()[:12]
    return f"prompt-{prompt.message.message_id}-{due}-{username}-{kind}"
