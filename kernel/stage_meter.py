"""What a stage of long work cost: wall time, this process's CPU time, and its peak memory while it ran.

The peak is the stage's own on Linux: the kernel's high-water mark of resident memory (VmHWM) is reset
when a stage starts (``/proc/self/clear_refs``, value 5), so a stage is not charged with an earlier one's
peak. Where that cannot be done, the peak is the process's since it started, and says so.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .progress import Progress

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def _peak_bytes() -> int:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def stage_line(stage: str, wall: float, cpu: float, peak: int, own_peak: bool = True) -> str:
    """The progress line of a finished stage (benchmarks read it: keep its shape)."""
    since = "" if own_peak else " (since the process started)"
    return f"stage {stage}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak / 2**20:.0f} MB{since}"


@contextmanager
def measured(stage: str, progress: Progress) -> Iterator[None]:
    """Report ``stage``'s wall time, CPU time and peak memory through ``progress`` when it ends, also
    when it ends by an error (its cost is what a user waited for)."""
    own_peak = _reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        progress(stage_line(stage, time.perf_counter() - wall, time.process_time() - cpu, _peak_bytes(), own_peak))
