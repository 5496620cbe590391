"""Our resolver on a generic person table: the one adapter the benchmarks call.

``run_ours`` calls ``resolution.table.resolve_table(df, resolution.specs.PERSON_ADDRESS_SPEC)`` with the
table as the benchmarks hold it, truth removed:

- ``rec_id``: unique record id; ``source``: the file a row came from ("a"/"b" for FEBRL 4, where only
  pairs across the two files are true links; one constant value for a dedupe set);
- ``PERSON_COLUMNS``: given_name, surname, street_number, address_1, address_2, suburb, postcode, state,
  date_of_birth ("YYYYMMDD", possibly invalid as in FEBRL) and soc_sec_id;

every column pandas ``str`` dtype with missing values as NaN, rows in the order of the truth. It takes
one integer cluster label per row back, in row order: the array itself, or a result's ``labels``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.datasets import FIELDS as PERSON_COLUMNS

UNAVAILABLE = "n/a — resolution.table not available yet"
__all__ = ["PERSON_COLUMNS", "UNAVAILABLE", "run_ours"]


def run_ours(df: pd.DataFrame) -> np.ndarray | None:
    """Cluster labels from ``resolution.table.resolve_table``, or None while that module does not exist."""
    try:
        from resolution.specs import PERSON_ADDRESS_SPEC
        from resolution.table import resolve_table
    except ModuleNotFoundError as missing:
        if missing.name in ("resolution.table", "resolution.specs"):
            return None
        raise
    result = resolve_table(df, PERSON_ADDRESS_SPEC)
    labels = np.asarray(getattr(result, "labels", result))
    if labels.shape != (len(df),):
        raise ValueError(f"resolve_table returned {labels.shape} labels for {len(df)} rows")
    return labels
