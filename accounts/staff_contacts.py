"""Where staff are reached for prompts (an inspector's own email and mobile), kept beside the accounts in
`accounts.sqlite`. Staff details, not a stakeholder's: never in the graph, never in an audience."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sources.normalise.email import parse_email
from sources.normalise.phone import is_mobile, parse_phone

from .users import AccountError, AccountStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff_contacts (
    username TEXT PRIMARY KEY REFERENCES users(username), email TEXT NOT NULL DEFAULT '',
    mobile TEXT NOT NULL DEFAULT '');
"""


@dataclass(frozen=True)
class StaffContact:
    username: str
    role: str
    email: str
    mobile: str


class StaffContacts:
    def __init__(self, home: Path) -> None:
        self.accounts = AccountStore(home)

    def _db(self) -> sqlite3.Connection:
        return self.accounts._db()  # the same file, lock and permissions as the accounts

    def set(self, username: str, email: str = "", mobile: str = "") -> StaffContact:
        """Set a user's email and mobile for prompts ("" clears one); refuses what does not parse."""
        user = self.accounts.user(username)
        if user is None:
            raise AccountError(f"no user {username}")
        checked_email, problem = parse_email(email) if email else ("", None)
        if problem:
            raise AccountError(f"--email: {problem}")
        checked_mobile, problem = parse_phone(mobile) if mobile else ("", None)
        if problem or (checked_mobile and not is_mobile(checked_mobile)):
            raise AccountError(f"--mobile: {problem or 'not a UK mobile number'}")
        with self._db() as db:
            db.executescript(_SCHEMA)
            db.execute("INSERT INTO staff_contacts VALUES (?, ?, ?) ON CONFLICT(username) DO UPDATE SET "
                       "email = excluded.email, mobile = excluded.mobile", (username, checked_email or "",
                                                                             checked_mobile or ""))
        return StaffContact(username, user.role, checked_email or "", checked_mobile or "")

    def of_role(self, role: str) -> list[StaffContact]:
        """Every active user of ``role`` with a way to reach them."""
        with self._db() as db:
            db.executescript(_SCHEMA)
            rows = db.execute("SELECT u.username, u.role, c.email, c.mobile FROM users u JOIN staff_contacts c "
                              "ON c.username = u.username WHERE u.role = ? AND u.disabled = 0 "
                              "ORDER BY u.username", (role,)).fetchall()
        return [StaffContact(*row) for row in rows if row[2] or row[3]]
