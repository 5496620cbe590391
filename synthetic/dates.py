"""The generator's calendar: its "today" and the windows the dates of each kind of file fall in.

Every date in a row is drawn relative to a fixed "today" rather than the clock, so a seed and a today
always give the same files, and no row is dated after the day its file was supposedly exported.
(Workbooks' own created/modified stamps stay pinned to the sample's today: synthetic/writer.py.)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# The sample's today: the day its workbooks are stamped with (synthetic/writer.py).
DEFAULT_TODAY = date(2025, 7, 1)
# Contact lists and the keyholder export were last touched a few days before they were handed over,
# and go back about four and a half years.
_LIST_LAG = timedelta(days=4)
_LIST_SPAN = timedelta(days=1635)
# The engagement record (diaries, surveys) covers the last two years, up to and including today.
_RECORD_SPAN = timedelta(days=730)


@dataclass(frozen=True)
class DateWindow:
    """The days, first to last inclusive, that one kind of date falls in."""

    first: date
    last: date

    def random_day(self, rng: random.Random) -> date:
        return self.first + timedelta(days=rng.randrange((self.last - self.first).days + 1))


def list_dates(today: date = DEFAULT_TODAY) -> DateWindow:
    """Where last-contacted and last-verified dates fall (2021-01-04 to 2025-06-27 for the sample)."""
    last = today - _LIST_LAG
    return DateWindow(last - _LIST_SPAN, last)


def record_dates(today: date = DEFAULT_TODAY) -> DateWindow:
    """Where engagement and survey dates fall: the last two years, never after today."""
    return DateWindow(today - _RECORD_SPAN, today)
