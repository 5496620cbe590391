"""The project's one base error: a failure the user is told about in one line, never a traceback.

Each kind carries how the shells present it: the exit code of the command line and the HTTP status
of the web app. The CLI and the web map this one type, not a list of classes.
"""

from __future__ import annotations


class StakeholdersError(Exception):
    """A failure to report in one line. ``exit_code``: for the command line; ``http_status``: for the web."""

    exit_code = 1
    http_status = 400


class UsageError(StakeholdersError):
    """The command was asked for something it cannot do as asked (wrong arguments, an illegal step)."""

    exit_code = 2


class BusyError(StakeholdersError):
    """Another process holds what this one needs (a sync running): try again later."""

    http_status = 409


class UnavailableError(StakeholdersError):
    """A service this one needs cannot be reached just now (the graph database)."""

    http_status = 503
