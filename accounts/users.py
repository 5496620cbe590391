"""Web app users, their roles and their sessions, kept in ``accounts.sqlite`` in the stakeholders home.

Passwords are hashed with Argon2id (argon2-cffi's defaults, rehashed on sign-in when those change).
Session tokens are random; only their SHA-256 is stored, so a copy of the file cannot be used to
sign in. A disabled user's sessions end at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kernel.errors import StakeholdersError

from .database import ACCOUNTS_FILE, accounts_db
from .passwords import password_problem

ROLES = ("steward", "messaging", "spoc", "inspector", "admin")  # police staff
# A priority stakeholder's own account, bound to one organisation: it signs in to the portal only, and is
# made by redeeming a steward's invitation (accounts.invites), never by `stakeholders user add`.
STAKEHOLDER = "stakeholder"
SESSION_HOURS = 10  # one working shift
PORTAL_SESSION_HOURS = 2  # outsiders on their own machines: a shorter session
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_hasher = PasswordHasher()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, organisation_id TEXT);
CREATE TABLE IF NOT EXISTS signing_keys (name TEXT PRIMARY KEY, key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username),
    csrf_token TEXT NOT NULL, expires_at TEXT NOT NULL);
"""


def _with_organisation_column(db: sqlite3.Connection) -> None:
    """A home made before the portal has no organisation_id column: add it (empty for every staff user)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(users)")}
    if "organisation_id" not in columns:
        db.execute("ALTER TABLE users ADD COLUMN organisation_id TEXT")


class AccountError(StakeholdersError, ValueError):
    """A user that cannot be added or changed, in one line."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    disabled: bool = False
    created_at: str = ""
    organisation_id: str | None = None  # a stakeholder's organisation (O-…); None for police staff

    @property
    def is_stakeholder(self) -> bool:
        return self.role == STAKEHOLDER


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountStore:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / ACCOUNTS_FILE

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with accounts_db(self.home, _SCHEMA) as connection:
            _with_organisation_column(connection)
            yield connection

    def add_user(self, username: str, role: str, password: str) -> User:
        """A police staff user (a stakeholder's account comes from an invitation: ``add_stakeholder``)."""
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        with self._db() as db:
            return self._insert(db, username, role, password, None)

    def add_stakeholder(self, db: sqlite3.Connection, username: str, password: str, organisation_id: str) -> User:
        """A stakeholder of ``organisation_id``, inside the caller's transaction (an invitation's redemption)."""
        return self._insert(db, username, STAKEHOLDER, password, organisation_id)

    def check_username(self, username: str) -> None:
        if not _USERNAME.fullmatch(username):
            raise AccountError("a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'")

    def _insert(self, db: sqlite3.Connection, username: str, role: str, password: str,
                organisation_id: str | None) -> User:
        self.check_username(username)
        problem = password_problem(password, username)
        if problem:
            raise AccountError(problem)
        user = User(username, role, False, _now().isoformat(timespec="seconds"), organisation_id)
        if db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise AccountError(f"user {username} exists already")
        db.execute("INSERT INTO users (username, role, password_hash, disabled, created_at, organisation_id) "
                   "VALUES (?, ?, ?, 0, ?, ?)", (username, role, _hasher.hash(password), user.created_at,
                                                 organisation_id))
        return user

    def users(self) -> list[User]:
        with self._db() as db:
            rows = db.execute("SELECT username, role, disabled, created_at, organisation_id FROM users "
                              "ORDER BY username").fetchall()
        return [User(name, role, bool(disabled), created, org) for name, role, disabled, created, org in rows]

    def user(self, username: str) -> User | None:
        return next((u for u in self.users() if u.username == username), None)

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        with self._db() as db:
            changed = db.execute("UPDATE users SET disabled = ? WHERE username = ?", (int(disabled), username))
            if changed.rowcount == 0:
                raise AccountError(f"no user {username}")
            if disabled:
                db.execute("DELETE FROM sessions WHERE username = ?", (username,))
        return self.user(username)  # type: ignore[return-value]

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password is right and the account enabled; None otherwise (no hint why)."""
        with self._db() as db:
            row = db.execute("SELECT role, password_hash, disabled, created_at, organisation_id FROM users "
                             "WHERE username = ?", (username,)).fetchone()
            if row is None:
                _hasher.hash(password)  # spend the same time as a real check: no user enumeration by timing
                return None
            role, stored, disabled, created, organisation_id = row
            try:
                _hasher.verify(stored, password)
            except (VerificationError, InvalidHashError):
                return None
            if _hasher.check_needs_rehash(stored):
                db.execute("UPDATE users SET password_hash = ? WHERE username = ?", (_hasher.hash(password), username))
        return None if disabled else User(username, role, False, created, organisation_id)

    def signing_key(self, name: str = "web") -> bytes:
        """A random key made once per home and kept here, the same for every worker and after a restart."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO signing_keys VALUES (?, ?)", (name, secrets.token_bytes(32)))
            return db.execute("SELECT key FROM signing_keys WHERE name = ?", (name,)).fetchone()[0]

    def start_session(self, user: User) -> tuple[str, Session]:
        """A new session for ``user``: the token for the cookie, and the session with its CSRF token."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        hours = PORTAL_SESSION_HOURS if user.is_stakeholder else SESSION_HOURS
        expires = (_now() + dt.timedelta(hours=hours)).isoformat(timespec="seconds")
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (_now().isoformat(timespec="seconds"),))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (_token_hash(token), user.username, csrf, expires))
        return token, Session(user, csrf)

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT u.username, u.role, u.disabled, u.created_at, s.csrf_token, s.expires_at, u.organisation_id "
                "FROM sessions s JOIN users u ON u.username = s.username WHERE s.token_hash = ?",
                (_token_hash(token),)).fetchone()
        if row is None:
            return None
        username, role, disabled, created, csrf, expires, organisation_id = row
        if disabled or expires < _now().isoformat(timespec="seconds"):
            return None
        return Session(User(username, role, False, created, organisation_id), csrf)

    def end_session(self, token: str | None) -> None:
        if token:
            with self._db() as db:
                db.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))
