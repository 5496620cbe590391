"""What each role may do, wherever it acts: the web app's pages and the command line (pure: no I/O).

Only a SPOC sees restricted contacts; the check is also applied in the graph queries behind every
page, download and command (`can_see_restricted` is passed down), so a shell cannot leak what it never gets.
"""

from __future__ import annotations

# "engagements": log an engagement from a profile, for every role that reads profiles (they are the
# people who meet, ring and brief stakeholders); an engagement's notes are shown to whoever may "review"
# (stewards and SPOCs) and to its author.
CAPABILITIES: dict[str, frozenset[str]] = {
    "steward": frozenset({"review", "profiles", "engagements", "reports", "sync_status"}),
    "messaging": frozenset({"audience", "messages", "profiles", "engagements", "reports", "sync_status"}),
    "spoc": frozenset({"review", "audience", "messages", "profiles", "engagements", "reports", "sync_status",
                       "restricted"}),
    # the control room's inspectors authorise messages (grades 1 and 2 need them)
    "inspector": frozenset({"audience", "messages", "profiles", "engagements", "reports", "sync_status"}),
    "admin": frozenset({"users", "audit", "sync_status", "personal_data"}),
}


def can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


def can_see_restricted(role: str) -> bool:
    return can(role, "restricted")
