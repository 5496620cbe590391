"""Each stage of a sync says what it cost: wall time, CPU time and its own peak memory."""

from __future__ import annotations

import re

import numpy as np
import pytest

from kernel.stage_meter import measured

LINE = re.compile(r"^stage (\w+): (\d+\.\d) s wall, (\d+\.\d) s CPU, peak (\d+) MB$")


def _peak_mb(said: list[str]) -> int:
    found = LINE.match(said[-1])
    assert found, said
    return int(found[4])


def test_a_stage_reports_its_own_peak_not_an_earlier_ones():
    said: list[str] = []
    with measured("big", said.append):
        block = np.ones(300 * 2**20 // 8)  # 300 MB, touched
        del block
    with measured("small", said.append):
        sum(range(1000))
    big, small = LINE.match(said[0]), LINE.match(said[1])
    assert big and small and big[1] == "big" and small[1] == "small"
    assert int(big[4]) - int(small[4]) > 250, said


def test_a_stage_that_fails_still_says_what_it_cost():
    said: list[str] = []
    with pytest.raises(ValueError), measured("read", said.append):
        raise ValueError("a file could not be read")
    assert _peak_mb(said) > 0 and said[-1].startswith("stage read: ")
