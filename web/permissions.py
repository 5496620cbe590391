"""What each role may do in the web app: its navigation, over the roles of ``accounts.roles`` (pure).

Only a SPOC sees restricted contacts; the check is also applied in the graph queries behind every
page and download (`can_see_restricted` is passed down), so a page cannot leak what it never gets.
"""

from __future__ import annotations

from accounts.roles import CAPABILITIES, can, can_see_restricted

__all__ = ["CAPABILITIES", "NAVIGATION", "can", "can_see_restricted", "navigation"]

# The navigation: capability, path, label.
NAVIGATION = (
    ("review", "/review", "Review queue"),
    ("audience", "/audience", "Audience builder"),
    ("audience", "/cascade", "Cascade"),
    ("messages", "/messages", "Messages"),
    ("profiles", "/contacts", "Contacts"),
    ("profiles", "/organisations", "Organisations"),
    ("reports", "/reports/satisfaction", "Satisfaction"),
    ("reports", "/reports/engagement", "Engagement"),
    ("questions", "/questions", "Stakeholder questions"),
    ("control_room", "/control-room", "Control room"),
    ("sync_status", "/sync", "Sync status"),
    ("users", "/admin/users", "Users"),
    ("users", "/admin/templates", "Message templates"),
    ("audit", "/admin/audit", "Audit log"),
)


def navigation(role: str) -> list[tuple[str, str]]:
    return [(path, label) for capability, path, label in NAVIGATION if can(role, capability)]
