"""Progress messages: long work reports what it is doing through one callback, the shells decide where
it goes (stderr, the Dagster log, nowhere)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def quiet(message: str) -> None:
    """The progress callback that says nothing."""


Checkpoint = Callable[[], None]  # called after every committed write of a load (sync.faults injects a kill)


def no_checkpoint() -> None:
    """The checkpoint of a normal run: nothing happens between writes."""
