"""Who may move a message from one state to the next (data contract section 10), as data.

draft → submitted → authorised → issued → closed; a draft or submitted message may be withdrawn, a
submitted one rejected. Grades 1 and 2 need an inspector to authorise; nobody authorises a message
they wrote. A home without accounts is a single-user installation: its operator may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from kernel.errors import UsageError

from .model import Message

AUTHORS = frozenset({"messaging", "spoc", "inspector"})  # roles that write, submit, issue and update
INSPECTOR_GRADES = frozenset({1, 2})
AUTHORISERS = {True: frozenset({"inspector"}), False: frozenset({"inspector", "spoc"})}  # by inspector grade
SINGLE_USER = "operator"  # the role of the one user of a home without accounts
PORTAL = "stakeholder"  # a priority stakeholder issuing its own message to its own staff, from the portal


@dataclass(frozen=True)
class Transition:
    action: str
    from_states: frozenset[str]
    to_state: str
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("submit", frozenset({"draft"}), "submitted"),
    Transition("authorise", frozenset({"submitted"}), "authorised"),
    Transition("reject", frozenset({"submitted"}), "rejected", needs_reason=True),
    Transition("withdraw", frozenset({"draft", "submitted", "authorised"}), "withdrawn", needs_reason=True),
    Transition("issue", frozenset({"authorised"}), "issued"),
    Transition("update", frozenset({"issued"}), "issued"),
    Transition("close", frozenset({"issued"}), "closed"),
)}


class TransitionError(UsageError):
    """A step the message cannot take now, or this user may not take."""


def check(message: Message, action: str, user: str, role: str, why: str = "") -> Transition:
    """The transition ``action`` of ``message`` by ``user`` acting as ``role``, or TransitionError saying
    why not."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise TransitionError(f"unknown action {action!r}: one of {', '.join(TRANSITIONS)}")
    if message.state not in step.from_states:
        allowed = " or ".join(sorted(step.from_states))
        raise TransitionError(f"{message.message_id} is {message.state}: only a message that is {allowed} can "
                              f"be {_past(action)}")
    if step.needs_reason and not why.strip():
        raise TransitionError(f"say why with --why: a message {_past(action)} keeps its reason")
    if role == SINGLE_USER:
        return step
    if role == PORTAL:
        if action != "issue" or not message.from_organisation:
            raise TransitionError(f"{user} is a stakeholder: only their organisation's own messages, issued from "
                                  "the portal")
        return step
    if action == "authorise":
        needed = AUTHORISERS[message.grade in INSPECTOR_GRADES]
        if role not in needed:
            raise TransitionError(f"{message.message_id} is grade {message.grade}: it needs "
                                  f"{' or '.join(sorted(needed))} authority, and {user} is {role}")
        if user == message.author:
            raise TransitionError(f"{user} wrote {message.message_id}: someone else must authorise it")
    elif action == "reject":
        if role not in AUTHORISERS[False]:
            raise TransitionError(f"only an inspector or a SPOC may reject a message; {user} is {role}")
    elif role not in AUTHORS:
        raise TransitionError(f"{user} is {role}: messages are written and sent by messaging, SPOC and "
                              "inspector accounts")
    return step


def _past(action: str) -> str:
    return {"submit": "submitted", "authorise": "authorised", "reject": "rejected", "withdraw": "withdrawn",
            "issue": "issued", "update": "updated", "close": "closed"}[action]
