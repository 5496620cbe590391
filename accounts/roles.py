"""What each role may do, wherever it acts: the web app's pages and the command line (pure: no I/O).

Only a SPOC sees restricted contacts; the check is also applied in the graph queries behind every
page, download and command (`can_see_restricted` is passed down), so a shell cannot leak what it never gets.
"""

from __future__ import annotations

# "engagements": log an engagement from a profile, for every role that reads profiles (they are the
# people who meet, ring and brief stakeholders); an engagement's notes are shown to whoever may "review"
# (stewards and SPOCs) and to its author.
# "invite": invite a priority stakeholder to the portal (stewards keep the picture of who is who);
# "questions": the SPOC queue of stakeholders' questions; "control_room": stakeholders' event reports.
CAPABILITIES: dict[str, frozenset[str]] = {
    "steward": frozenset({"review", "profiles", "engagements", "reports", "sync_status", "invite"}),
    "messaging": frozenset({"audience", "messages", "profiles", "engagements", "reports", "sync_status"}),
    "spoc": frozenset({"review", "audience", "messages", "profiles", "engagements", "reports", "sync_status",
                       "restricted", "questions"}),
    # the control room's inspectors authorise messages (grades 1 and 2 need them)
    "inspector": frozenset({"audience", "messages", "profiles", "engagements", "reports", "sync_status",
                            "control_room"}),
    "admin": frozenset({"users", "audit", "sync_status", "personal_data"}),
    # outside the force: the portal of their own organisation, and no police page at all
    "stakeholder": frozenset({"portal"}),
}


def can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


def can_see_restricted(role: str) -> bool:
    return can(role, "restricted")
