"""``portal.sqlite`` in the stakeholders home: what priority stakeholders keep through the portal.

Their staff list (one entry per person, with every change's who and when), their organisation's own
profile, their questions to the SPOCs with the answers, and their event reports. It lives in the home, not
the graph, for the reason the suppression list does: a sync rebuilds the graph from the sources, and the
staff list *is* a source (kind ``self_service``, read by ``portal.self_service`` at every sync).

Every write of a stakeholder first counts against the organisation's hourly limit (``RateLimits``), in
the same transaction: a write over the limit leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from accounts.database import owner_only_db
from kernel.errors import StakeholdersError

FILE_NAME = "portal.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS staff (
    entry_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, contact_id TEXT NOT NULL DEFAULT '',
    known_ref TEXT NOT NULL DEFAULT '', cells TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
    changed_by TEXT NOT NULL, changed_at TEXT NOT NULL, ended_by TEXT, ended_at TEXT);
CREATE INDEX IF NOT EXISTS staff_by_organisation ON staff (organisation_id);
CREATE TABLE IF NOT EXISTS staff_history (
    entry_id TEXT NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS details (
    organisation_id TEXT PRIMARY KEY, fields TEXT NOT NULL, changed_by TEXT NOT NULL, changed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    question_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, asked_by TEXT NOT NULL, asked_at TEXT NOT NULL,
    subject TEXT NOT NULL, text TEXT NOT NULL, issue TEXT NOT NULL, directorate TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '', answered_by TEXT NOT NULL DEFAULT '', answered_at TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL, what TEXT NOT NULL, postcode TEXT NOT NULL, latitude REAL, longitude REAL,
    occurred_at TEXT NOT NULL, message_id TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS actions (organisation_id TEXT NOT NULL, kind TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS actions_by_organisation ON actions (organisation_id, kind, at);
"""
SENDING = "sending"  # a report's message_id while its message is being made
CHANGE, POST = "change", "post"  # what a rate limit counts: staff and profile changes; questions and reports


class RateLimited(StakeholdersError):
    """An organisation over its hourly limit; the write was not made."""

    http_status = 429


class NotFound(StakeholdersError, LookupError):
    """No such entry, question or report in this organisation (another organisation's is not found either)."""

    http_status = 404


@dataclass(frozen=True)
class RateLimits:
    """Writes per organisation per hour: generous for a person keeping a list, low for a script."""

    changes_per_hour: int = 300  # a staff member added, changed or removed; the profile saved
    posts_per_hour: int = 20  # questions and event reports

    def limit(self, kind: str) -> int:
        return self.changes_per_hour if kind == CHANGE else self.posts_per_hour


@dataclass(frozen=True)
class StaffEntry:
    entry_id: str  # SS-<n>: its record_id in the self_service source
    organisation_id: str
    contact_id: str  # the graph contact it was made from ("" for a person the organisation added)
    known_ref: str  # a source row of that contact when the entry was made: the entry is that person
    cells: dict  # portal.forms.PERSON_FIELDS -> text
    created_by: str
    created_at: str
    changed_by: str
    changed_at: str
    ended_by: str | None = None
    ended_at: str | None = None


@dataclass(frozen=True)
class Question:
    question_id: str
    organisation_id: str
    asked_by: str
    asked_at: str
    subject: str
    text: str
    issue: str
    directorate: str
    answer: str = ""
    answered_by: str = ""
    answered_at: str = ""


@dataclass(frozen=True)
class EventReport:
    report_id: str
    organisation_id: str
    reported_by: str
    reported_at: str
    what: str
    postcode: str
    latitude: float | None
    longitude: float | None
    occurred_at: str
    message_id: str = ""


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class PortalStore:
    def __init__(self, home: Path, limits: RateLimits | None = None) -> None:
        self.path = home / FILE_NAME
        self.limits = limits or RateLimits()

    @property
    def exists(self) -> bool:
        return self.path.exists()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with owner_only_db(self.path, _SCHEMA) as connection:
            yield connection

    @staticmethod
    def _next_id(db: sqlite3.Connection, prefix: str) -> str:
        db.execute("INSERT INTO counters VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1", (prefix,))
        return f"{prefix}-{db.execute('SELECT value FROM counters WHERE name = ?', (prefix,)).fetchone()[0]}"

    def _count(self, db: sqlite3.Connection, organisation_id: str, kind: str, times: int = 1) -> None:
        """Count ``times`` writes of ``kind`` against the organisation's hour, or RateLimited (nothing counted)."""
        since = time.time() - 3600
        db.execute("DELETE FROM actions WHERE at < ?", (since,))
        used = db.execute("SELECT count(*) FROM actions WHERE organisation_id = ? AND kind = ? AND at >= ?",
                          (organisation_id, kind, since)).fetchone()[0]
        limit = self.limits.limit(kind)
        if used + times > limit:
            what = "changes" if kind == CHANGE else "questions and reports"
            raise RateLimited(f"Your organisation has made {used} {what} in the last hour, and may make {limit}: "
                              "try again later, or call your police contact if it is urgent. Nothing was saved.")
        db.executemany("INSERT INTO actions VALUES (?, ?, ?)", [(organisation_id, kind, time.time())] * times)

    # the staff list

    def add_staff(self, organisation_id: str, who: str, people: list[dict], contact_id: str = "",
                  known_ref: str = "") -> list[StaffEntry]:
        """Add people (all or none); ``contact_id``/``known_ref``: the one person is that graph contact."""
        at, entries = now(), []
        with self._db() as db:
            self._count(db, organisation_id, CHANGE, len(people))
            for cells in people:
                entry = StaffEntry(self._next_id(db, "SS"), organisation_id, contact_id, known_ref, cells, who, at,
                                   who, at)
                db.execute("INSERT INTO staff VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)", (
                    entry.entry_id, organisation_id, contact_id, known_ref, json.dumps(cells), who, at, who, at))
                self._history(db, entry.entry_id, at, who, "added", sorted(k for k, v in cells.items() if v))
                entries.append(entry)
        return entries

    def change_staff(self, organisation_id: str, entry_id: str, who: str, cells: dict) -> StaffEntry:
        at = now()
        with self._db() as db:
            entry = self._entry(db, organisation_id, entry_id)
            self._count(db, organisation_id, CHANGE)
            changed = sorted(k for k in set(cells) | set(entry.cells) if cells.get(k, "") != entry.cells.get(k, ""))
            db.execute("UPDATE staff SET cells = ?, changed_by = ?, changed_at = ? WHERE entry_id = ?",
                       (json.dumps(cells), who, at, entry_id))
            self._history(db, entry_id, at, who, "changed", changed)
            return self._entry(db, organisation_id, entry_id)

    def end_staff(self, organisation_id: str, entry_id: str, who: str) -> StaffEntry:
        """End the entry (the person left, or should not be on the list): its self-service row goes at the
        next sync; the police's own rows about the person stay."""
        at = now()
        with self._db() as db:
            entry = self._entry(db, organisation_id, entry_id)
            self._count(db, organisation_id, CHANGE)
            db.execute("UPDATE staff SET ended_by = ?, ended_at = ? WHERE entry_id = ?", (who, at, entry_id))
            self._history(db, entry_id, at, who, "removed", [])
            return dataclasses.replace(entry, ended_by=who, ended_at=at)

    def staff(self, organisation_id: str | None = None, current_only: bool = True) -> list[StaffEntry]:
        """The staff entries of one organisation (None: of all), in the order they were made."""
        query = "SELECT * FROM staff WHERE (? IS NULL OR organisation_id = ?)"
        query += " AND ended_at IS NULL" if current_only else ""
        with self._db() as db:
            rows = db.execute(query + " ORDER BY CAST(substr(entry_id, 4) AS INTEGER)",
                              (organisation_id, organisation_id)).fetchall()
        return [_staff_entry(row) for row in rows]

    def entry(self, organisation_id: str, entry_id: str) -> StaffEntry:
        with self._db() as db:
            return self._entry(db, organisation_id, entry_id)

    def history(self, entry_id: str) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT at, who, action, fields FROM staff_history WHERE entry_id = ? ORDER BY at",
                              (entry_id,)).fetchall()
        return [{"at": at, "who": who, "action": action, "fields": json.loads(fields)} for at, who, action, fields
                in rows]

    @staticmethod
    def _entry(db: sqlite3.Connection, organisation_id: str, entry_id: str) -> StaffEntry:
        row = db.execute("SELECT * FROM staff WHERE entry_id = ? AND organisation_id = ? AND ended_at IS NULL",
                         (entry_id, organisation_id)).fetchone()
        if row is None:
            raise NotFound("There is no such person on your staff list.")
        return _staff_entry(row)

    @staticmethod
    def _history(db: sqlite3.Connection, entry_id: str, at: str, who: str, action: str, fields: list[str]) -> None:
        db.execute("INSERT INTO staff_history VALUES (?, ?, ?, ?, ?)", (entry_id, at, who, action, json.dumps(fields)))

    def change_stamp(self) -> str:
        """Changes in what a sync reads from here (staff entries and profiles): "" before the portal is used."""
        if not self.exists:
            return ""
        with self._db() as db:
            staff = db.execute("SELECT count(*), max(changed_at), max(ended_at) FROM staff").fetchone()
            details = db.execute("SELECT count(*), max(changed_at) FROM details").fetchone()
        return json.dumps([*staff, *details])

    # the organisation's own profile

    def details(self, organisation_id: str) -> dict | None:
        """The profile the organisation keeps, with ``changed_by`` and ``changed_at``; None before the first."""
        with self._db() as db:
            row = db.execute("SELECT fields, changed_by, changed_at FROM details WHERE organisation_id = ?",
                             (organisation_id,)).fetchone()
        return None if row is None else {**json.loads(row[0]), "changed_by": row[1], "changed_at": row[2]}

    def save_details(self, organisation_id: str, who: str, fields: dict) -> None:
        with self._db() as db:
            self._count(db, organisation_id, CHANGE)
            db.execute("INSERT INTO details VALUES (?, ?, ?, ?) ON CONFLICT(organisation_id) DO UPDATE SET "
                       "fields = excluded.fields, changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                       (organisation_id, json.dumps(fields), who, now()))

    def all_details(self) -> dict[str, dict]:
        with self._db() as db:
            rows = db.execute("SELECT organisation_id, fields FROM details").fetchall()
        return {organisation: json.loads(fields) for organisation, fields in rows}

    # questions to the SPOCs

    def ask(self, organisation_id: str, who: str, question: dict) -> Question:
        with self._db() as db:
            self._count(db, organisation_id, POST)
            asked = Question(self._next_id(db, "Q"), organisation_id, who, now(), question["subject"],
                             question["text"], question["issue"], question["directorate"])
            db.execute("INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '')",
                       (asked.question_id, organisation_id, who, asked.asked_at, asked.subject, asked.text,
                        asked.issue, asked.directorate))
        return asked

    def answer(self, question_id: str, who: str, text: str) -> Question:
        with self._db() as db:
            done = db.execute("UPDATE questions SET answer = ?, answered_by = ?, answered_at = ? "
                              "WHERE question_id = ? AND answer = ''", (text, who, now(), question_id))
            if done.rowcount != 1:
                found = db.execute("SELECT 1 FROM questions WHERE question_id = ?", (question_id,)).fetchone()
                raise NotFound("There is no such question." if not found else "That question has been answered.")
        return self.question(question_id)

    def question(self, question_id: str, organisation_id: str | None = None) -> Question:
        with self._db() as db:
            row = db.execute("SELECT * FROM questions WHERE question_id = ? AND (? IS NULL OR organisation_id = ?)",
                             (question_id, organisation_id, organisation_id)).fetchone()
        if row is None:
            raise NotFound("There is no such question.")
        return Question(*row)

    def questions(self, organisation_id: str | None = None, open_only: bool = False) -> list[Question]:
        query = "SELECT * FROM questions WHERE (? IS NULL OR organisation_id = ?)"
        query += " AND answer = ''" if open_only else ""
        with self._db() as db:
            rows = db.execute(query + " ORDER BY asked_at DESC, question_id DESC",
                              (organisation_id, organisation_id)).fetchall()
        return [Question(*row) for row in rows]

    # event reports to the control room

    def report(self, organisation_id: str, who: str, report: dict) -> EventReport:
        with self._db() as db:
            self._count(db, organisation_id, POST)
            made = EventReport(self._next_id(db, "R"), organisation_id, who, now(), report["what"],
                               report["postcode"], report["latitude"], report["longitude"], report["occurred_at"])
            db.execute("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
                       (made.report_id, organisation_id, who, made.reported_at, made.what, made.postcode,
                        made.latitude, made.longitude, made.occurred_at))
        return made

    def event_report(self, report_id: str, organisation_id: str | None = None) -> EventReport:
        with self._db() as db:
            row = db.execute("SELECT * FROM reports WHERE report_id = ? AND (? IS NULL OR organisation_id = ?)",
                             (report_id, organisation_id, organisation_id)).fetchone()
        if row is None:
            raise NotFound("There is no such report.")
        return EventReport(*row)

    def event_reports(self, organisation_id: str | None = None, limit: int = 200) -> list[EventReport]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM reports WHERE (? IS NULL OR organisation_id = ?) "
                              "ORDER BY reported_at DESC, CAST(substr(report_id, 3) AS INTEGER) DESC LIMIT ?",
                              (organisation_id, organisation_id, limit)).fetchall()
        return [EventReport(*row) for row in rows]

    def claim_report(self, report_id: str, organisation_id: str) -> bool:
        """Mark the report as being sent to the organisation's staff; False when it is (or was) already."""
        with self._db() as db:
            return db.execute("UPDATE reports SET message_id = ? WHERE report_id = ? AND organisation_id = ? AND "
                              "message_id = ''", (SENDING, report_id, organisation_id)).rowcount == 1

    def report_sent(self, report_id: str, message_id: str) -> None:
        """The message the report went out as ("" : none after all, it may be sent again)."""
        with self._db() as db:
            db.execute("UPDATE reports SET message_id = ? WHERE report_id = ?", (message_id, report_id))

    # erasure: a person erased from the graph leaves the staff lists too

    def forget_entries(self, entry_ids: list[str]) -> int:
        """Delete the entries (and their history) of an erased person; how many there were."""
        with self._db() as db:
            marks = ",".join("?" * len(entry_ids))
            db.execute(f"DELETE FROM staff_history WHERE entry_id IN ({marks})", entry_ids)
            return db.execute(f"DELETE FROM staff WHERE entry_id IN ({marks})", entry_ids).rowcount


def _staff_entry(row: tuple) -> StaffEntry:
    (entry_id, organisation_id, contact_id, known_ref, cells, created_by, created_at, changed_by, changed_at,
     ended_by, ended_at) = row
    return StaffEntry(entry_id, organisation_id, contact_id, known_ref, json.loads(cells), created_by, created_at,
                      changed_by, changed_at, ended_by, ended_at)
