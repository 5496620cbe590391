"""One installation's collaborators, built once at start-up by the composition root from its settings.

The command line, the Dagster resource and the web app each build one ``Installation`` and hand it to
the use cases; nothing below the composition root reads the environment or builds a collaborator of
its own (a postcode lookup, a graph connection, the staging folder).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from accounts.audit import AuditLog
from accounts.users import AccountStore
from delivery.settings import DeliverySettings
from graph.store import GraphStore
from portal.store import PortalStore
from sources.postcode_lookup import PostcodeLookup
from sources.readers import DEFAULT_LIMITS, ReadLimits
from sync.history import RunHistory
from sync.journal import LoadJournal
from sync.lock import sync_lock
from sync.match_model_file import MatchModelFile
from sync.resolution_memo import ResolutionMemo
from sync.staging import Staging
from sync.suppression_list import SuppressionList


@dataclass
class Installation:
    """``home``: all local state; ``connect`` opens the graph (the composition root decides which: the
    user's own server or the home's local one, started on demand); ``user``: who acts, by default."""

    home: Path
    connect: Callable[[], GraphStore]
    postcode_lookup: PostcodeLookup | None = None
    user: str = "unknown"
    manifest: Path | None = None  # the manifest this installation syncs, when it has one
    read_limits: ReadLimits = DEFAULT_LIMITS  # how much one source file may hold
    delivery: DeliverySettings = field(default_factory=DeliverySettings)  # how messages leave
    staging: Staging = field(init=False)
    journal: LoadJournal = field(init=False)
    suppression: SuppressionList = field(init=False)
    audit: AuditLog = field(init=False)
    accounts: AccountStore = field(init=False)
    runs: RunHistory = field(init=False)
    portal: PortalStore = field(init=False)
    resolution_memo: ResolutionMemo = field(init=False)
    match_model: MatchModelFile = field(init=False)
    _store: GraphStore | None = field(init=False, default=None, repr=False)
    _lock_holder: int | None = field(init=False, default=None, repr=False)  # the thread holding sync_lock

    def __post_init__(self) -> None:
        self.staging = Staging(self.home)
        self.journal = LoadJournal(self.home)
        self.suppression = SuppressionList(self.home)
        self.audit = AuditLog(self.home)
        self.accounts = AccountStore(self.home)
        self.runs = RunHistory(self.home)
        self.portal = PortalStore(self.home)
        self.resolution_memo = ResolutionMemo(self.home)
        self.match_model = MatchModelFile(self.home)

    @property
    def store(self) -> GraphStore:
        """The graph, connected on first use and kept until ``close``."""
        if self._store is None:
            self._store = self.connect()
        return self._store

    @contextmanager
    def sync_lock(self) -> Iterator[None]:
        """The home's sync lock (sync.lock), re-entrant for the thread of this installation that holds it:
        `stakeholders sync` holds it once for the whole chain while each step it calls (the steps the
        Dagster assets run one at a time) asks for it too. Another thread or process is refused."""
        if self._lock_holder == threading.get_ident():
            yield
            return
        with sync_lock(self.home):
            self._lock_holder = threading.get_ident()
            try:
                yield
            finally:
                self._lock_holder = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Installation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
