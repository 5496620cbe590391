"""Owner-only JSON-lines files in the home: the staged batches and the load journal.

JSON cannot run code when read, unlike the pickles of earlier versions, so a file planted in the home
is at worst refused as damaged. Each file starts with a header line naming its format and version;
dates are written as tagged objects and come back as they went in (numpy scalars come back as the
Python numbers they equal). A write goes to a temporary file beside the target, renamed into place
once complete and removed when the write fails: a full disk must not leave personal data behind.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".tmp"
_TAG = "$t"


class DamagedFile(Exception):
    """A home file that cannot be read back; the message names the file and what is wrong."""


def private_folder(folder: Path) -> Path:
    """`folder`, created owner-only (0700) if need be, and made so if it was not."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    return folder


def private_home(home: Path) -> Path:
    """The home, owner-only: created 0700, and its own files made 0600 where they were not (the staging
    folder and the Neo4j server's keep their own rules)."""
    private_folder(home)
    for path in home.iterdir():
        if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
    return home


def write_lines(path: Path, header: dict, lines: Iterable[object]) -> None:
    """Write `header` and then each of `lines` as one JSON line, atomically, readable by the owner only."""
    with _replacing(path) as out:
        for line in _chain(header, lines):
            out.write(json.dumps(line, default=_tagged, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")


def write_json(path: Path, document: object) -> None:
    """Write `document` as JSON, atomically, readable by the owner only."""
    with _replacing(path) as out:
        json.dump(document, out)


@contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """A stream to a temporary file that replaces `path` once written in full; removed if writing fails."""
    private_folder(path.parent)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PARTIAL_SUFFIX)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def read_lines(path: Path, kind: str, version: int) -> tuple[dict, Iterator[object]]:
    """The header and the lines after it of a file written by `write_lines` with this `kind` and `version`.

    FileNotFoundError when there is no file; DamagedFile for anything else that stops it being read (the
    iterator raises it too, for a damaged line further down)."""
    stream = path.open("r", encoding="utf-8")
    try:
        header = _decode(path, 1, stream.readline())
        if not isinstance(header, dict) or header.get("format") != kind:
            raise DamagedFile(f"{path}: is not a {kind} file")
        if header.get("version") != version:
            raise DamagedFile(f"{path}: is {kind} version {header.get('version')!r}; this version reads {version}")
    except (DamagedFile, UnicodeDecodeError) as error:
        stream.close()
        raise error if isinstance(error, DamagedFile) else DamagedFile(f"{path}: is not UTF-8 text") from None
    return header, _body(path, stream)


def remove_partial_writes(folder: Path) -> int:
    """Remove what writes interrupted by a crash or a full disk left in `folder`; how many were removed."""
    removed = 0
    for partial in folder.glob(f"*{PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.warning("removed %d incomplete file(s) an interrupted write left in %s", removed, folder)
    return removed


def _chain(header: dict, lines: Iterable[object]) -> Iterator[object]:
    yield header
    yield from lines


def _body(path: Path, stream) -> Iterator[object]:
    with stream:
        number = 1
        try:
            for number, text in enumerate(stream, start=2):
                yield _decode(path, number, text)
        except UnicodeDecodeError:
            raise DamagedFile(f"{path}: line {number + 1} is not UTF-8 text") from None


def _decode(path: Path, number: int, text: str) -> object:
    if not text.endswith("\n"):
        raise DamagedFile(f"{path}: line {number} is cut short (the file is truncated)")
    try:
        return json.loads(text, object_hook=_untagged)
    except (ValueError, TypeError, KeyError):
        raise DamagedFile(f"{path}: line {number} is not valid JSON") from None


def _tagged(value: object) -> object:
    if isinstance(value, datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if hasattr(value, "item"):  # numpy scalars in object columns
        return value.item()
    raise TypeError(f"cannot keep a {type(value).__name__} in a home file")


def _untagged(found: dict) -> object:
    tag = found.get(_TAG)
    if tag is None:
        return found
    value = found["v"]
    if tag == "datetime":
        return datetime.fromisoformat(value)
    if tag == "date":
        return date.fromisoformat(value)
    raise ValueError(f"unknown tag {tag!r}")
