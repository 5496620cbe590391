"""Failed sign-ins counted per account and per client address in ``accounts.sqlite``, so that every
worker of the web app, and a restart, sees the same counts; too many lock the account or address out
for a while, or until an administrator unlocks it.

A username counts whether or not it names an account, so a lockout says nothing about who exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .database import accounts_db

ACCOUNT, ADDRESS = "account", "address"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sign_in_failures (
    scope TEXT NOT NULL, key TEXT NOT NULL, failures INTEGER NOT NULL, window_start REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0, PRIMARY KEY (scope, key));
"""


@dataclass(frozen=True)
class ThrottlePolicy:
    """``account_failures`` wrong passwords for one username, or ``address_failures`` from one client
    address, within ``window_s`` lock it out for ``lockout_s``."""

    account_failures: int = 5
    address_failures: int = 20
    window_s: float = 15 * 60
    lockout_s: float = 15 * 60


@dataclass(frozen=True)
class Lockout:
    scope: str  # ACCOUNT or ADDRESS
    key: str  # the username or the client address
    until: float  # seconds since the epoch


class SignInThrottle:
    def __init__(self, home: Path, policy: ThrottlePolicy = ThrottlePolicy(),
                 clock: Callable[[], float] = time.time) -> None:
        self.home, self.policy, self._clock = home, policy, clock

    def locked(self, username: str, address: str) -> Lockout | None:
        """The lockout in force for this username or this address, if any (the account's first)."""
        with accounts_db(self.home, _SCHEMA) as db:
            rows = db.execute("SELECT scope, key, locked_until FROM sign_in_failures WHERE locked_until > ? "
                              "AND ((scope = ? AND key = ?) OR (scope = ? AND key = ?)) ORDER BY scope",
                              (self._clock(), ACCOUNT, username, ADDRESS, address)).fetchall()
        return Lockout(*rows[0]) if rows else None

    def failed(self, username: str, address: str) -> Lockout | None:
        """Count a wrong password; the lockout it starts, if it is the one too many (the account's first)."""
        now = self._clock()
        started = []
        with accounts_db(self.home, _SCHEMA) as db:
            # expired counts go, so that made-up usernames cannot fill the file
            db.execute("DELETE FROM sign_in_failures WHERE window_start < ? AND locked_until < ?",
                       (now - self.policy.window_s, now))
            for scope, key, limit in ((ACCOUNT, username, self.policy.account_failures),
                                      (ADDRESS, address, self.policy.address_failures)):
                (failures,) = db.execute(
                    "INSERT INTO sign_in_failures (scope, key, failures, window_start) VALUES (?, ?, 1, ?) "
                    "ON CONFLICT (scope, key) DO UPDATE SET failures = failures + 1 RETURNING failures",
                    (scope, key, now)).fetchone()
                if failures >= limit:
                    until = now + self.policy.lockout_s
                    db.execute("UPDATE sign_in_failures SET failures = 0, window_start = ?, locked_until = ? "
                               "WHERE scope = ? AND key = ?", (now, until, scope, key))
                    started.append(Lockout(scope, key, until))
        return started[0] if started else None

    def succeeded(self, username: str) -> None:
        """The right password: the account's count starts again (the address's does not, or one valid
        account would reset the count of an address trying others)."""
        self.unlock(ACCOUNT, username)

    def unlock(self, scope: str, key: str) -> bool:
        """Lift a lockout and forget the failures; False when no lockout was in force."""
        with accounts_db(self.home, _SCHEMA) as db:
            lifted = db.execute("DELETE FROM sign_in_failures WHERE scope = ? AND key = ? AND locked_until > ?",
                                (scope, key, self._clock())).rowcount
            db.execute("DELETE FROM sign_in_failures WHERE scope = ? AND key = ?", (scope, key))
        return bool(lifted)

    def lockouts(self) -> list[Lockout]:
        """Every lockout in force, accounts first."""
        with accounts_db(self.home, _SCHEMA) as db:
            rows = db.execute("SELECT scope, key, locked_until FROM sign_in_failures WHERE locked_until > ? "
                              "ORDER BY scope, key", (self._clock(),)).fetchall()
        return [Lockout(*row) for row in rows]
