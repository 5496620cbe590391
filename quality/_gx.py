"""Importing Great Expectations quietly, and only when a batch is validated (it takes seconds)."""

from __future__ import annotations

import logging
from types import ModuleType


def import_gx() -> ModuleType:
    """The great_expectations module, with its INFO/DEBUG housekeeping logs turned off.

    GX logs at import and for every ephemeral context (registries, temporary docs
    folders). Some of its modules set their own logger to INFO when imported, so
    the "great_expectations" parent logger is quietened before the import and its
    children after it.
    """
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.split(".")[0] == "great_expectations" and isinstance(logger, logging.Logger):
            if logger.level < logging.WARNING:
                logger.setLevel(logging.WARNING)
    return gx
