"""Reading and validating the YAML source manifest (contract section 1).

Two kinds of problem, following contract sections 1 and 5. An entry with a usable, unique name but
something else wrong (an unknown kind, a path outside the manifest folder, an unknown key) is one
source that cannot be used: it comes back with ``problem`` set, so the run skips it, keeps what it
contributed before and syncs the others. A manifest that is not YAML, has no sources, or has an entry
without a unique name is refused as a whole: the name is a source's identity in provenance and in
what it contributed before, so without it no run can tell which source to skip or keep.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from kernel.errors import StakeholdersError
from sources.headers import FIELDS
from sources.model import KINDS, SourceSpec

_NAME = re.compile(r"[a-z0-9-]+")
RESERVED_NAMES = ("web",)  # the prefix of what the web app records under source-like refs
_EXTENSIONS = (".xlsx", ".csv")
_EXTENSIONS_OF_KIND = {"wards": (".geojson", ".json")}  # ward boundaries are GeoJSON (sources.geojson)
_KEYS = ("name", "kind", "directorate", "path", "sheet", "columns")
# A manifest lists a few dozen files: these bounds are far above any real one and keep a hostile one
# (a "billion laughs" of aliases, thousands of nested brackets) to a clear message in bounded memory.
MAX_MANIFEST_BYTES = 1_000_000
MAX_DEPTH = 20


class _BoundedLoader(yaml.SafeLoader):
    """safe_load without aliases (a manifest never needs them; expanded, a few of them fill memory) and
    with a nesting limit (deeper documents otherwise end in a RecursionError)."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.YAMLError(f"uses a YAML alias (*) at line {mark.line + 1}; write the value out instead")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"nests deeper than {MAX_DEPTH} levels at line {mark.line + 1}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class ManifestError(StakeholdersError):
    """The manifest cannot drive a run; ``problems`` lists everything wrong, not just the first."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        if len(problems) == 1:  # one line, so a scheduler's log shows it whole
            super().__init__(f"manifest refused: {problems[0]}")
            return
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"manifest refused: {path} has {len(problems)} problems:\n{lines}")


def load_manifest(path: Path | str) -> list[SourceSpec]:
    """Read the manifest at ``path``; source paths are resolved against its folder.

    Raises ManifestError when the manifest as a whole is unusable. An entry that is wrong in any
    other way comes back with ``problem`` set. A missing data file is not checked here: it fails
    that one source when loaded.
    """
    manifest = Path(path)
    document = _read_yaml(manifest)
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ManifestError(manifest, [f"{manifest}: needs a non-empty 'sources' list"])
    folder = Path(os.path.abspath(manifest.parent))
    problems: list[str] = []
    specs: list[SourceSpec] = []
    first_seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        label = _label(manifest, number, entry)
        if not isinstance(entry, dict):
            problems.append(f"{label}: must be a mapping of name, kind, path, ...")
            continue
        name = entry.get("name")
        name_problems = _check_name(name)
        if not name_problems:
            if name in first_seen:
                name_problems.append(f"duplicate name {name!r} (also source {first_seen[name]})")
            first_seen.setdefault(name, number)
        if name_problems:
            problems += [f"{label}: {p}" for p in name_problems]
            continue
        entry_problems = _check_entry(entry, folder)
        specs.append(_spec(entry, folder, "; ".join(entry_problems) or None))
    if problems:
        raise ManifestError(manifest, problems)
    return specs


def _read_yaml(manifest: Path) -> object:
    try:
        with manifest.open("rb") as stream:
            raw = stream.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise ManifestError(manifest, [f"{manifest}: is larger than a manifest can be "
                                           f"({MAX_MANIFEST_BYTES:,} bytes)"])
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ManifestError(manifest, [f"{manifest}: cannot be read ({reason})"]) from None
    try:
        return yaml.load(text, Loader=_BoundedLoader)
    except RecursionError:
        raise ManifestError(manifest, [f"{manifest}: is not valid YAML: nested too deeply"]) from None
    except yaml.YAMLError as exc:
        if type(exc) is yaml.YAMLError:  # raised by _BoundedLoader: the text says it all
            raise ManifestError(manifest, [f"{manifest}: is not a usable manifest: {exc}"]) from None
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ManifestError(manifest, [f"{manifest}: is not valid YAML{at}: {problem}"]) from None


def _label(manifest: Path, number: int, entry: object) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"{manifest}: source {number}" + (f" ({name!r})" if isinstance(name, str) else "")


def _check_name(name: object) -> list[str]:
    if not _is_text(name):
        return ["missing name"]
    if not _NAME.fullmatch(name):
        return [f"name {name!r} must use only a-z, 0-9 and '-'"]
    if name in RESERVED_NAMES:
        return [f"name {name!r} is reserved: engagements logged in the web app are {name}:E-1, {name}:E-2, …"]
    return []


def _check_entry(entry: dict, folder: Path) -> list[str]:
    """Every problem with one named entry, in the order a reader of the YAML meets them."""
    problems = [f"unknown key {key!r} (allowed: {', '.join(_KEYS)})" for key in entry if key not in _KEYS]
    kind, path = entry.get("kind"), entry.get("path")
    if not _is_text(kind):
        problems.append("missing kind")
    elif kind not in KINDS:
        problems.append(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    if kind == "contacts" and not _is_text(entry.get("directorate")):
        problems.append("kind contacts needs a directorate")
    if not _is_text(path):
        problems.append("missing path")
    else:
        allowed = _EXTENSIONS_OF_KIND.get(kind, _EXTENSIONS) if isinstance(kind, str) else _EXTENSIONS
        problems += _check_path(path, folder, allowed)
    if entry.get("sheet") is not None and not isinstance(entry["sheet"], str | int):
        problems.append("sheet must be a sheet name")
    problems += _check_columns(entry.get("columns"), kind)
    return problems


def _check_path(path: str, folder: Path, extensions: tuple[str, ...]) -> list[str]:
    problems = []
    # "../" and absolute paths may not leave the manifest folder, and neither may a symbolic link:
    # whoever can write in the folder could otherwise make a sync read (and stage) any file the user can.
    resolved = Path(os.path.normpath(folder / path))
    if not resolved.is_relative_to(folder):
        problems.append(f"path {path!r} is outside the manifest folder")
    elif not Path(os.path.realpath(resolved)).is_relative_to(os.path.realpath(folder)):
        problems.append(f"path {path!r} is a symbolic link to a file outside the manifest folder")
    if Path(path).suffix.lower() not in extensions:
        problems.append(f"path {path!r} must end in {' or '.join(extensions)}")
    return problems


def _check_columns(columns: object, kind: object) -> list[str]:
    if columns is None:
        return []
    if not isinstance(columns, dict):
        return ["columns must map canonical field names to header text"]
    problems = []
    known = FIELDS.get(kind) if isinstance(kind, str) else None
    for field, header in columns.items():
        if known is not None and field not in known:
            problems.append(f"columns: unknown field {field!r} for kind {kind} (known: {', '.join(known)})")
        if not isinstance(header, str | int) or not str(header).strip():
            problems.append(f"columns: field {field!r} needs the header text it is found under")
    return problems


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _spec(entry: dict, folder: Path, problem: str | None) -> SourceSpec:
    """The entry as a SourceSpec; with a ``problem``, whatever of it can be shown in the run report."""
    kind, path, sheet, columns = entry.get("kind"), entry.get("path"), entry.get("sheet"), entry.get("columns")
    resolved = Path(os.path.normpath(folder / path)) if _is_text(path) else folder
    if problem is None:
        label = os.path.relpath(resolved, folder)
    else:
        label = path if _is_text(path) else ""
    return SourceSpec(
        name=entry["name"],
        kind=kind if _is_text(kind) else "unknown",
        path=resolved,
        directorate=entry["directorate"].strip() if _is_text(entry.get("directorate")) else None,
        sheet=str(sheet) if isinstance(sheet, str | int) else None,
        columns={str(k): str(v) for k, v in columns.items()} if isinstance(columns, dict) else {},
        label=label,
        problem=problem,
    )
