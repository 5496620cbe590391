"""The last good batch of every source, kept in the home so that a source held back this run
still contributes what it contributed before (data contract section 5).

Each batch is a JSON-lines file, `staging/<source>.jsonl` (see sync.home_files): a header with the
batch's fields and its frames' columns and dtypes, then one line per row of `rows` and of `quarantine`.
A damaged file is set aside (`<source>.damaged`) with a message, and the source counts as having no
last good batch: the next sync stages it afresh from its file.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import MISSING, asdict, fields
from pathlib import Path

import pandas as pd

from sources.model import SourceBatch, SourceSpec

from .home_files import DamagedFile, read_lines, write_json, write_lines

log = logging.getLogger(__name__)

FORMAT = "stakeholders staged batch"
VERSION = 1
SUFFIX = ".jsonl"
_FRAMES = ("rows", "quarantine")
_LEGACY = ".pickle"  # written by versions before 1; never read (unpickling runs whatever the file says)


class Staging:
    def __init__(self, home: Path) -> None:
        self.folder = home / "staging"

    @classmethod
    def in_folder(cls, folder: Path) -> Staging:
        """Batches kept in another folder of the home, in the same format (a sync run's steps: run_folder)."""
        staging = cls(folder)
        staging.folder = folder
        return staging

    def _path(self, source_name: str) -> Path:
        return self.folder / f"{source_name}{SUFFIX}"

    def save(self, batch: SourceBatch) -> None:
        header = {"format": FORMAT, "version": VERSION, "spec": _spec_fields(batch.spec),
                  **{f.name: getattr(batch, f.name) for f in fields(batch) if f.name not in ("spec", *_FRAMES)},
                  "frames": {name: _frame_layout(getattr(batch, name)) for name in _FRAMES}}
        write_lines(self._path(batch.spec.name), header, _frame_lines(batch))
        # its size on the side, so the shrink check need not read every source's batch
        write_json(self._size_path(batch.spec.name), {"rows_used": len(batch.rows), "read_key": batch.read_key})
        self._path(batch.spec.name).with_suffix(".damaged").unlink(missing_ok=True)  # replaced by this one

    def sources(self) -> list[str]:
        """The names of the sources with a staged batch (each has its size beside it, which the load
        journal, kept in the same folder, has not)."""
        return sorted(path.name.removesuffix(SUFFIX) for path in self.folder.glob(f"*{SUFFIX}")
                      if not path.name.startswith(".") and self._size_path(path.name.removesuffix(SUFFIX)).exists())

    def remove(self, source_name: str) -> None:
        """Drop the source's last good batch (its removal from the manifest was accepted)."""
        for path in (self._path(source_name), self._size_path(source_name), self._gate_path(source_name)):
            path.unlink(missing_ok=True)

    def _size_path(self, source_name: str) -> Path:
        return self.folder / f"{source_name}.size.json"

    def rows_used(self, source_name: str) -> int | None:
        """The usable row count of the source's last good batch; None when it has none."""
        try:
            return int(json.loads(self._size_path(source_name).read_text())["rows_used"])
        except (OSError, ValueError, KeyError, TypeError):
            previous = self.last_good(source_name)  # staged before sizes were kept
            return None if previous is None else len(previous.rows)

    def read_key(self, source_name: str) -> str:
        """What the source's last good batch was read from (sync.read_cache); "" when unknown."""
        try:
            return str(json.loads(self._size_path(source_name).read_text()).get("read_key") or "")
        except (OSError, ValueError, AttributeError):
            return ""

    def save_gate(self, source_name: str, memo: dict) -> None:
        """The quality gate's verdict on the staged batch (sync.gate_memo), kept beside it."""
        write_json(self._gate_path(source_name), memo)

    def gate(self, source_name: str) -> dict | None:
        try:
            found = json.loads(self._gate_path(source_name).read_text())
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def _gate_path(self, source_name: str) -> Path:
        return self.folder / f"{source_name}.gate.json"

    def last_good(self, source_name: str) -> SourceBatch | None:
        """The source's last good batch; None when it has none, or when its file was damaged (set aside)."""
        self._drop_legacy(source_name)
        path = self._path(source_name)
        try:
            return _read_batch(path)
        except FileNotFoundError:
            return None
        except (DamagedFile, OSError) as error:
            aside = path.with_suffix(".damaged")
            os.replace(path, aside)
            log.warning("%s; set aside as %s: source %s has no last good batch until "
                        "it syncs again (its file is read in full), which removes %s",
                        error, aside.name, source_name, aside.name)
            return None

    def _drop_legacy(self, source_name: str) -> None:
        legacy = self.folder / f"{source_name}{_LEGACY}"
        if legacy.exists():
            legacy.unlink()
            log.warning("%s: a staged batch in the format of an older version, not read and removed; the next "
                        "sync stages source %s again from its file", legacy, source_name)


def _spec_fields(spec: SourceSpec) -> dict:
    found = asdict(spec)
    found["path"] = str(spec.path)
    return found


def _frame_layout(frame: pd.DataFrame) -> dict:
    return {"columns": [str(c) for c in frame.columns], "dtypes": [str(t) for t in frame.dtypes],
            "index": str(frame.index.dtype), "length": len(frame),
            "range": ([frame.index.start, frame.index.stop, frame.index.step]
                      if isinstance(frame.index, pd.RangeIndex) else None)}


def _frame_lines(batch: SourceBatch) -> Iterator[list]:
    for name in _FRAMES:
        frame = getattr(batch, name)
        for index, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
            yield [name, index, list(values)]


def _read_batch(path: Path) -> SourceBatch:
    header, lines = read_lines(path, FORMAT, VERSION)
    try:
        layouts = {name: header["frames"][name] for name in _FRAMES}
        found: dict[str, tuple[list, list]] = {name: ([], []) for name in _FRAMES}
        for line in lines:
            name, index, values = line
            if len(values) != len(layouts[name]["columns"]):
                raise ValueError(f"a {name} line has {len(values)} values")
            found[name][0].append(index)
            found[name][1].append(values)
        frames = {name: _frame(layouts[name], *found[name]) for name in _FRAMES}
        spec = dict(header["spec"])
        spec["path"] = Path(spec["path"])
        # a field added since the batch was staged keeps its default
        extra = {f.name: header[f.name] for f in fields(SourceBatch) if f.name not in ("spec", *_FRAMES)
                 and (f.name in header or f.default is f.default_factory is MISSING)}
        return SourceBatch(spec=SourceSpec(**spec), **frames, **extra)
    except DamagedFile:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise DamagedFile(f"{path}: does not hold a staged batch ({type(error).__name__})") from None


def _frame(layout: dict, index: list, rows: list[list]) -> pd.DataFrame:
    if len(rows) != layout["length"]:
        raise ValueError(f"{len(rows)} rows of {layout['length']}")
    columns = layout["columns"]
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    frame_index = (pd.RangeIndex(*layout["range"]) if layout["range"] is not None
                   else pd.Index(index, dtype=layout["index"]))
    return pd.DataFrame({column: pd.Series(list(values), dtype=dtype, index=frame_index)
                         for column, dtype, values in zip(columns, layout["dtypes"], by_column, strict=True)},
                        index=frame_index, columns=columns)
