"""The messaging platform's hand-off: one CSV per channel in a folder, owner-only.

Columns: recipient (the contact ID), channel, address, subject, body (personalised), reference. A file
is written whole or not at all; issuing again writes the same references again (the platform keys on
them), never a second file for the same message version.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from exports.cells import neutralise_row

from .channel import Outgoing, Sent

COLUMNS = ("recipient", "channel", "address", "subject", "body", "reference")


class FileChannel:
    name = "file"
    carries = frozenset({"email", "sms"})

    def __init__(self, folder: Path, stem: str) -> None:
        self.folder = folder
        self.stem = stem  # e.g. "M-3-v1": one file per channel of one message version

    def already_sent(self, references: Iterable[str]) -> dict[str, Sent]:
        return {}

    def send(self, messages: Iterable[Outgoing]) -> Iterator[Sent]:
        by_channel: dict[str, list[Outgoing]] = {}
        for message in messages:
            by_channel.setdefault(message.channel, []).append(message)
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for channel, items in sorted(by_channel.items()):
            self._write(self.folder / f"{self.stem}-{channel}.csv", items)
            for item in items:
                yield Sent(item.reference, "sent", provider_id=f"file:{self.stem}-{channel}.csv")

    def _write(self, path: Path, items: list[Outgoing]) -> None:
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
                writer.writeheader()
                for item in items:
                    writer.writerow(neutralise_row({"recipient": item.recipient, "channel": item.channel,
                                                    "address": item.address, "subject": item.subject,
                                                    "body": item.body, "reference": item.reference}))
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
