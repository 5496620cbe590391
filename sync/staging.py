"""The last good batch of every source, kept in the home so that a source held back this run
still contributes what it contributed before (data contract section 5)."""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from pathlib import Path

from sources.model import SourceBatch


class Staging:
    def __init__(self, home: Path) -> None:
        self.folder = home / "staging"

    def _path(self, source_name: str) -> Path:
        return self.folder / f"{source_name}.pickle"

    def save(self, batch: SourceBatch) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self._path(batch.spec.name))
        # its size on the side, so the shrink check need not unpickle every source's batch
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w") as out:
            json.dump({"rows_used": len(batch.rows)}, out)
        os.replace(temporary, self._size_path(batch.spec.name))

    def _size_path(self, source_name: str) -> Path:
        return self.folder / f"{source_name}.size.json"

    def rows_used(self, source_name: str) -> int | None:
        """The usable row count of the source's last good batch; None when it has none."""
        try:
            return int(json.loads(self._size_path(source_name).read_text())["rows_used"])
        except (OSError, ValueError, KeyError, TypeError):
            previous = self.last_good(source_name)  # staged before sizes were kept
            return None if previous is None else len(previous.rows)

    def last_good(self, source_name: str) -> SourceBatch | None:
        path = self._path(source_name)
        if not path.exists():
            return None
        with path.open("rb") as stream:
            return pickle.load(stream)  # written only by this project, in the user's own home
