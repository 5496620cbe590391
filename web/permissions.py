"""What each role may do in the web app (pure: no I/O).

Only a SPOC sees restricted contacts; the check is also applied in the graph queries behind every
page and download (`can_see_restricted` is passed down), so a page cannot leak what it never gets.
"""

from __future__ import annotations

CAPABILITIES: dict[str, frozenset[str]] = {
    "steward": frozenset({"review", "profiles", "sync_status"}),
    "messaging": frozenset({"audience", "messages", "profiles", "sync_status"}),
    "spoc": frozenset({"review", "audience", "messages", "profiles", "sync_status", "restricted"}),
    # the control room's inspectors authorise messages (grades 1 and 2 need them)
    "inspector": frozenset({"audience", "messages", "profiles", "sync_status"}),
    "admin": frozenset({"users", "audit", "sync_status"}),
}

# The navigation: capability, path, label.
NAVIGATION = (
    ("review", "/review", "Review queue"),
    ("audience", "/audience", "Audience builder"),
    ("messages", "/messages", "Messages"),
    ("profiles", "/contacts", "Contacts"),
    ("profiles", "/organisations", "Organisations"),
    ("sync_status", "/sync", "Sync status"),
    ("users", "/admin/users", "Users"),
    ("audit", "/admin/audit", "Audit log"),
)


def can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


def can_see_restricted(role: str) -> bool:
    return can(role, "restricted")


def navigation(role: str) -> list[tuple[str, str]]:
    return [(path, label) for capability, path, label in NAVIGATION if can(role, capability)]
