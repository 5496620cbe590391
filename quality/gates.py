"""The quality gate: may this source's batch load in this run?

Contract section 5: a source that fails a blocking quality gate is skipped for
the run. The gate runs the kind's Great Expectations suite (quality/suites.py)
over the usable rows, plus row-accounting checks over the whole file that GX
cannot see (how many rows were quarantined). Reasons and metadata carry counts
and field names only, never values from the rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from kernel.reasons import RowReason
from quality._gx import import_gx
from quality.suites import Check, build_suite, checks_for, frame_for_validation
from sources.model import SourceBatch

if TYPE_CHECKING:
    from great_expectations.core import ExpectationValidationResult

log = logging.getLogger(__name__)

DEFAULT_MAX_QUARANTINE_SHARE = 0.5
_MEMO_LIMIT = 256
_memo: dict[tuple, GateResult] = {}
# get_context() also sets GX's process-wide project manager, so two validations at once could
# cross wires; one at a time is plenty (a validation takes a fraction of a second).
_gx_lock = threading.Lock()
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class CheckOutcome:
    """How one check went for one batch."""

    name: str
    blocking: bool
    success: bool
    unexpected_count: int | None  # rows that broke the rule; None when not countable or not evaluated
    description: str  # what was expected, in plain words
    detail: str = ""  # counts or field names behind a failure, e.g. "3 of 40 rows"


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on one source for this run."""

    source: str
    passed: bool  # False when the source could not be read or a blocking check failed
    checks: tuple[CheckOutcome, ...]
    held_back_reason: str | None  # one line for the run report; None when passed
    statistics: dict[str, int | float] = field(default_factory=dict)

    @property
    def failed_blocking(self) -> list[str]:
        return [c.name for c in self.checks if c.blocking and not c.success]

    @property
    def failed_warnings(self) -> list[str]:
        return [c.name for c in self.checks if not c.blocking and not c.success]

    def to_metadata(self) -> dict[str, object]:
        """JSON-friendly values, e.g. for Dagster asset check metadata."""
        return {
            "source": self.source,
            "passed": self.passed,
            "held_back_reason": self.held_back_reason,
            **self.statistics,
            "failed_blocking": self.failed_blocking,
            "failed_warnings": self.failed_warnings,
            "checks": [asdict(c) for c in self.checks],
        }


def validate_batch(
    batch: SourceBatch, *, max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE
) -> GateResult:
    """Run the quality gate over one source's batch.

    max_quarantine_share: above this share of quarantined rows the file is taken to be
    broken (shifted columns, the wrong export) and held back.
    Results are remembered per (source, content hash, row counts) within the process when
    the batch has a content hash, so an asset check and the pipeline can both ask without
    validating twice.
    """
    name = batch.spec.name
    if batch.failure is not None:
        return GateResult(name, False, (), batch.failure, {"rows_read": batch.rows_read})
    key = (repr(batch.spec), batch.content_hash, len(batch.rows), len(batch.quarantine), batch.rows_read,
           max_quarantine_share, dt.date.today())
    if batch.content_hash:
        with _memo_lock:
            if key in _memo:
                return _memo[key]
    result = _validate(batch, max_quarantine_share)
    if batch.content_hash:
        with _memo_lock:
            if len(_memo) >= _MEMO_LIMIT:
                _memo.pop(next(iter(_memo)))
            _memo[key] = result
    return result


def clear_memo() -> None:
    """Forget remembered results (for tests and long-lived processes)."""
    with _memo_lock:
        _memo.clear()


def _validate(batch: SourceBatch, max_quarantine_share: float) -> GateResult:
    started = time.perf_counter()
    kept, quarantined = len(batch.rows), len(batch.quarantine)
    outcomes = _row_accounting(batch, max_quarantine_share) + _run_suite(batch)
    failed = [c for c in outcomes if c.blocking and not c.success]
    reason = None
    if failed:
        reason = "failed blocking quality checks: " + ", ".join(
            f"{c.name} ({c.detail})" if c.detail else c.name for c in failed
        )
    statistics: dict[str, int | float] = {
        "rows_read": batch.rows_read,
        "rows_kept": kept,
        "rows_quarantined": quarantined,
        "quarantine_share": round(quarantined / batch.rows_read, 4) if batch.rows_read else 0.0,
        "checks_evaluated": len(outcomes),
        "checks_failed_blocking": len(failed),
        "checks_failed_warning": sum(1 for c in outcomes if not c.blocking and not c.success),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return GateResult(batch.spec.name, not failed, tuple(outcomes), reason, statistics)


def _row_accounting(batch: SourceBatch, max_share: float) -> list[CheckOutcome]:
    """Checks over the whole file that GX cannot see: it only gets the usable rows."""
    kept, quarantined, read = len(batch.rows), len(batch.quarantine), batch.rows_read
    # rows withheld for an erasure request say nothing about the file's quality
    withheld = int((batch.quarantine["code"] == RowReason.SUPPRESSED).sum()) if quarantined else 0
    share = (quarantined - withheld) / read if read else 0.0
    return [
        CheckOutcome("has_rows", True, read > 0, None,
                     "the file has at least one data row (an empty export is almost always a mistake)",
                     "" if read > 0 else "no data rows"),
        CheckOutcome("rows_accounted", True, kept + quarantined == read, abs(read - kept - quarantined),
                     "every row read was either kept or quarantined",
                     "" if kept + quarantined == read else f"{kept} kept + {quarantined} quarantined "
                                                           f"of {read} read"),
        CheckOutcome("usable_share", True, share <= max_share, quarantined,
                     f"no more than {max_share:.0%} of rows are quarantined "
                     "(more suggests shifted columns or the wrong file)",
                     "" if share <= max_share else f"{quarantined - withheld} of {read} rows quarantined"),
    ]


def _run_suite(batch: SourceBatch) -> list[CheckOutcome]:
    kind, name = batch.spec.kind, batch.spec.name
    checks = checks_for(kind)
    frame = frame_for_validation(kind, batch.rows)
    try:
        results = _gx_results(f"{name}-{kind}", checks, frame)
    except Exception as error:  # a crash in GX must hold back this source, not end the run
        log.warning("quality suite for source %s could not run: %s", name, type(error).__name__)
        return [CheckOutcome("suite_ran", True, False, None, "the quality suite ran to completion",
                             f"GX raised {type(error).__name__}")]
    return [_outcome(check, results.get(check.name), frame) for check in checks]


def _gx_results(
    name: str, checks: list[Check], frame: pd.DataFrame
) -> dict[str, ExpectationValidationResult]:
    """Validation results keyed by check name (GX does not keep the suite's order)."""
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    with _gx_lock:
        # A fresh in-memory context costs a few milliseconds and keeps runs independent.
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        batch_definition = (
            context.data_sources.add_pandas("rows")
            .add_dataframe_asset(name=name)
            .add_batch_definition_whole_dataframe("all_rows")
        )
        suite = context.suites.add(build_suite(name, checks))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        validation = definition.run(batch_parameters={"dataframe": frame})
    return {r.expectation_config.meta.get("check"): r for r in validation.results}


def _outcome(check: Check, result: ExpectationValidationResult | None, frame: pd.DataFrame) -> CheckOutcome:
    if result is None or not result.result:
        # GX raised inside the expectation (a missing column, an incomparable type)
        return CheckOutcome(check.name, check.blocking, False, None, check.description,
                            "could not be evaluated")
    details = result.result
    success = bool(result.success)
    if check.name == "columns_present":
        missing = sorted(set(check.expectation.column_set) - set(details.get("observed_value") or []))
        return CheckOutcome(check.name, check.blocking, success, len(missing), check.description,
                            f"missing: {', '.join(missing)}" if missing else "")
    unexpected = details.get("unexpected_count")
    unexpected = int(unexpected) if unexpected is not None else None
    detail = ""
    if not success and unexpected is not None:
        # rules on values skip blanks (missing_count); the not-null rule counts every row
        considered = int(details.get("element_count", len(frame))) - int(details.get("missing_count") or 0)
        detail = f"{unexpected} of {considered} rows"
    return CheckOutcome(check.name, check.blocking, success, unexpected, check.description, detail)
