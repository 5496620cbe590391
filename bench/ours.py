"""Our resolver on a generic person table: the one adapter the benchmarks call.

``run_ours`` calls ``resolution.table.resolve_table(df, resolution.specs.PERSON_ADDRESS_SPEC)`` with the
table as the benchmarks hold it, truth removed:

- ``rec_id``: unique record id; ``source``: the file a row came from ("a"/"b" for FEBRL 4, where only
  pairs across the two files are true links; one constant value for a dedupe set);
- ``PERSON_COLUMNS``: given_name, surname, street_number, address_1, address_2, suburb, postcode, state,
  date_of_birth ("YYYYMMDD", possibly invalid as in FEBRL) and soc_sec_id;

every column pandas ``str`` dtype with missing values as NaN, rows in the order of the truth. It returns
one integer cluster label per row, in row order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.datasets import FIELDS as PERSON_COLUMNS
from resolution.specs import PERSON_ADDRESS_SPEC
from resolution.table import resolve_table

__all__ = ["PERSON_COLUMNS", "run_ours"]


def run_ours(df: pd.DataFrame) -> np.ndarray:
    """Cluster labels from ``resolution.table.resolve_table`` on PERSON_ADDRESS_SPEC."""
    return resolve_table(df, PERSON_ADDRESS_SPEC).labels
