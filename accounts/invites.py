"""Invitations to the stakeholder portal, kept in ``accounts.sqlite`` beside the users.

A steward invites a named person of one organisation; the invitation is a single-use link that expires
(24 hours unless the steward says otherwise). Only the SHA-256 of its token is stored, so a copy of the file
cannot be used to redeem it. Redeeming it — choosing a password — makes the stakeholder account and spends
the invitation in the same transaction: a second use, or a use after it expired, makes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .users import AccountError, AccountStore, User

DEFAULT_HOURS = 24
MAX_HOURS = 24 * 14
_SCHEMA = """
CREATE TABLE IF NOT EXISTS invites (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, organisation_id TEXT NOT NULL,
    invited_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);
"""
EXPIRED = ("This invitation has expired. Ask the police contact who invited you to send a new one.")
USED = ("This invitation has been used already: sign in with the password you chose, or ask for a new "
        "invitation if you did not use it yourself.")
UNKNOWN = "This invitation link is not valid. Check that the whole link was copied, or ask for a new one."


class InviteError(AccountError):
    """An invitation that cannot be made or redeemed, in one sentence for the person holding it; ``why``:
    "expired", "used", "unknown" for a link that cannot be redeemed (for the audit log), else ""."""

    def __init__(self, message: str, why: str = "") -> None:
        super().__init__(message)
        self.why = why


@dataclass(frozen=True)
class Invite:
    username: str
    organisation_id: str
    invited_by: str
    created_at: str
    expires_at: str
    used_at: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invites:
    def __init__(self, accounts: AccountStore) -> None:
        self.accounts = accounts

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self.accounts._db() as db:  # the same file, lock and permissions as the accounts
            db.executescript(_SCHEMA)
            yield db

    def create(self, username: str, organisation_id: str, invited_by: str, hours: float = DEFAULT_HOURS
               ) -> tuple[str, Invite]:
        """A new invitation: the token for the link (shown once, never stored) and the invitation."""
        self.accounts.check_username(username)
        if not 0 < hours <= MAX_HOURS:
            raise InviteError(f"an invitation lasts between a minute and {MAX_HOURS // 24} days")
        if self.accounts.user(username) is not None:
            raise InviteError(f"user {username} exists already: choose another username")
        token, at = secrets.token_urlsafe(32), _now()
        invite = Invite(username, organisation_id, invited_by, at.isoformat(),
                        (at + dt.timedelta(hours=hours)).isoformat())
        with self._db() as db:
            open_one = db.execute("SELECT 1 FROM invites WHERE username = ? AND used_at IS NULL AND expires_at > ?",
                                  (username, at.isoformat())).fetchone()
            if open_one:
                raise InviteError(f"{username} has an invitation still open: it must expire or be used first")
            db.execute("INSERT INTO invites VALUES (?, ?, ?, ?, ?, ?, NULL)",
                       (_hash(token), username, organisation_id, invited_by, invite.created_at, invite.expires_at))
        return token, invite

    def pending(self, token: str) -> Invite:
        """The invitation ``token`` opens, while it may still be redeemed; else InviteError saying why not."""
        with self._db() as db:
            return self._usable(db, token)

    def redeem(self, token: str, password: str) -> User:
        """Make the stakeholder account the invitation names, with ``password``, and spend the invitation."""
        with self._db() as db:
            invite = self._usable(db, token)
            # the UPDATE is the single use: a second redemption racing this one finds used_at set
            spent = db.execute("UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                               (_now().isoformat(), _hash(token)))
            if spent.rowcount != 1:
                raise InviteError(USED, "used")
            return self.accounts.add_stakeholder(db, invite.username, password, invite.organisation_id)

    def of_organisation(self, organisation_id: str) -> list[Invite]:
        with self._db() as db:
            rows = db.execute("SELECT username, organisation_id, invited_by, created_at, expires_at, used_at "
                              "FROM invites WHERE organisation_id = ? ORDER BY created_at DESC",
                              (organisation_id,)).fetchall()
        return [Invite(*row) for row in rows]

    @staticmethod
    def _usable(db, token: str) -> Invite:
        row = db.execute("SELECT username, organisation_id, invited_by, created_at, expires_at, used_at "
                         "FROM invites WHERE token_hash = ?", (_hash(token or ""),)).fetchone()
        if row is None:
            raise InviteError(UNKNOWN, "unknown")
        invite = Invite(*row)
        if invite.used_at:
            raise InviteError(USED, "used")
        if invite.expires_at <= _now().isoformat():
            raise InviteError(EXPIRED, "expired")
        return invite
