"""Fault injection for the crash-safety tests; never set in normal use.

``STAKEHOLDERS_FAULT_AFTER_BATCHES=N`` makes a sync SIGKILL itself right after its N-th committed write
(each load batch, the sweep, each identity lineage batch, the final "synced" mark), as a power cut or
an out-of-memory kill would. With ``STAKEHOLDERS_FAULT_KILL_PID=PID`` it SIGKILLs that process first
(the tests' own Neo4j server), then itself, as a sync that lost its server would stop writing.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Mapping


def checkpoint_from_env(environ: Mapping[str, str]) -> Callable[[], None] | None:
    after = environ.get("STAKEHOLDERS_FAULT_AFTER_BATCHES")
    if not after:
        return None
    limit, victim, count = int(after), environ.get("STAKEHOLDERS_FAULT_KILL_PID"), 0

    def checkpoint() -> None:
        nonlocal count
        count += 1
        if count >= limit:
            if victim:
                os.kill(int(victim), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)

    return checkpoint
