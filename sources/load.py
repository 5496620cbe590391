"""Loading one manifest source into a SourceBatch: read, map headers, normalise, quarantine."""

from __future__ import annotations

import traceback
from pathlib import Path

from kernel.reasons import RowReason
from sources.geojson import read_wards
from sources.headers import map_headers, missing_required
from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS, REF_COLUMNS, SourceBatch, SourceSpec, batch_frame
from sources.normalise.text import clean_id
from sources.readers import DEFAULT_LIMITS, Progress, ReadLimits, SheetRow, SourceReadError, read_table
from sources.records import BUILDERS, RowOutcome


def load_source(spec: SourceSpec, progress: Progress | None = None,
                limits: ReadLimits = DEFAULT_LIMITS) -> SourceBatch:
    """Read and normalise one source; a source-level problem sets ``failure`` instead of raising.
    ``progress`` hears how far the reading of a large file has got; ``limits`` bound what a file may hold."""
    try:
        return _load(spec, progress, limits)
    except SourceReadError as exc:
        return _failed(spec, str(exc))
    except Exception as exc:  # a bug in one source must not stop the others syncing
        # Only the code location: the exception text could quote personal data.
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        return _failed(spec, f"{spec.shown_path}: unexpected {type(exc).__name__} at {where} while loading")


def _load(spec: SourceSpec, progress: Progress | None, limits: ReadLimits) -> SourceBatch:
    if spec.problem is not None:
        raise SourceReadError(f"manifest entry not used: {spec.problem}")
    if spec.kind == "wards":
        return read_wards(spec, limits)
    if spec.kind not in BUILDERS:
        raise SourceReadError(f"{spec.shown_path}: unknown kind {spec.kind!r}")
    table = read_table(spec.path, spec.sheet, spec.label or None, is_header=lambda texts: not missing_required(
        spec.kind, map_headers(texts, spec.kind, spec.columns).columns), limits=limits, progress=progress)
    mapping = map_headers(table.headers, spec.kind, spec.columns)
    missing = missing_required(spec.kind, mapping.columns)
    if missing:
        found = ", ".join(repr(h) for h in table.headers if h) or "none"
        if table.headers and not mapping.columns:
            # not one known header: the first row is most likely a person's row, so it is not quoted
            found = f"{len(table.headers)}, none of them a known column name (is the header row missing?)"
        notes = "".join(f"; {w}" for w in mapping.warnings if w.startswith("manifest"))
        raise SourceReadError(f"{spec.shown_path}: missing required column(s): {'; '.join(missing)}{notes}. "
                              f"Headers found: {found}")
    build = BUILDERS[spec.kind]
    rows: list[dict[str, object]] = []
    quarantine: list[dict[str, object]] = []
    first_seen: dict[str, int] = {}
    for row in table.rows:
        blanked = [f"{name}: {table.cell_problems[(row.number, index)]}"
                   for name, index in mapping.columns.items() if (row.number, index) in table.cell_problems]
        outcome = build({name: row.cells[index] for name, index in mapping.columns.items()})
        # The reader blanked these cells; say why on the field rather than "no name" alone.
        outcome.flags += blanked
        if outcome.reasons:
            outcome.reasons += [(RowReason.INVALID_FIELD, problem) for problem in blanked]
        record_id = _record_id(row, outcome, mapping.columns.get("record_id"))
        if record_id in first_seen:
            outcome.reasons = [(RowReason.DUPLICATE_RECORD_ID,
                                f"duplicate record_id {record_id} (first seen on row {first_seen[record_id]})")]
        else:
            first_seen[record_id] = row.number
        if outcome.reasons:
            quarantine.append({"source": spec.name, "record_id": record_id, "row_number": row.number,
                               "reason": "; ".join(text for _, text in outcome.reasons),
                               "code": outcome.reasons[0][0].value})
            continue
        if spec.kind == "contacts":
            outcome.values["directorate"] = spec.directorate
        elif spec.kind == "engagements":  # a diary column names the directorate, else the manifest does
            outcome.values["directorate"] = outcome.values.get("directorate") or spec.directorate
        rows.append({"ref": f"{spec.name}:{record_id}", "source": spec.name, "record_id": record_id,
                     "row_number": row.number, "flags": outcome.flags, **outcome.values})
    return SourceBatch(
        spec=spec,
        rows=batch_frame(rows, COLUMNS_BY_KIND[spec.kind]),
        quarantine=batch_frame(quarantine, QUARANTINE_COLUMNS),
        rows_read=len(table.rows),
        content_hash=table.content_hash,
        unknown_headers=mapping.unknown,
        header_map=mapping.header_map,
        header_warnings=mapping.warnings,
        read_warnings=table.warnings,
    )


def _record_id(row: SheetRow, outcome: RowOutcome, index: int | None) -> str:
    """The record_id cell when the source has one (contract section 2), else "row-<n>"."""
    if index is None:
        return f"row-{row.number}"
    record_id = clean_id(row.cells[index])
    if record_id is None:
        outcome.flags.append(f"record_id: blank; using row-{row.number}")
        return f"row-{row.number}"
    return record_id


def _failed(spec: SourceSpec, message: str) -> SourceBatch:
    return SourceBatch(
        spec=spec,
        rows=batch_frame([], COLUMNS_BY_KIND.get(spec.kind, REF_COLUMNS)),
        quarantine=batch_frame([], QUARANTINE_COLUMNS),
        failure=message,
    )
