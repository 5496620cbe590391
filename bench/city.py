"""Table (c): our City resolver and Splink 5 side by side on the synthetic City dataset.

    .venv/bin/python -m bench.city [--rows 10000 100000] [--seed 7]

For each size, generates the data once with ``python -m synthetic.generate`` (about ``ROWS_PER_PERSON``
rows per person) into bench/out/city-PEOPLE-SEED/. Ours reads and resolves every source in a child process,
as a sync does (``sync.steps.read_sources`` + ``resolution.resolve.resolve``); Splink gets one person table
of the same rows as the sources' readers normalised them (names lower-cased, organisations as our
organisation key) and runs in its own child (``bench.splink_runner``, model ``city``). Both are scored on
the usable rows of truth.csv against the true person; a usable row a tool left out is a cluster of its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from bench.datasets import OUT
from bench.harness import REPO, run_in_child
from bench.report import render, row
from resolution.mentions import person_mentions
from resolution.organisations import organisation_key
from sync.steps import read_sources

ROWS_PER_PERSON = 2.15  # what synthetic.generate writes on average, contacts and keyholders together
SPLINK_COLUMNS = ["first_name", "last_name", "email", "mobile", "phone", "address", "postcode", "organisation"]


def generate(people: int, seed: int) -> Path:
    """The dataset folder, generated unless it is already there."""
    folder = OUT / f"city-{people}-{seed}"
    if not (folder / "manifest.yaml").exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "synthetic.generate", "--out", str(folder), "--people", str(people),
                        "--seed", str(seed)], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def _lower(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.lower().replace("", pd.NA)


def person_table(manifest: Path, usable: pd.DataFrame) -> pd.DataFrame:
    """One row per usable truth row, in its order: rec_id and ``SPLINK_COLUMNS`` (NA when missing or when
    the sources' readers quarantined the row)."""
    mentions = person_mentions([b for b in read_sources(manifest) if b.ok])
    table = pd.DataFrame({
        "source": mentions["source"].astype(str), "record_id": mentions["record_id"].astype(str),
        "first_name": _lower(mentions["first_name"]), "last_name": _lower(mentions["last_name"]),
        "email": _lower(mentions["email"]), "mobile": mentions["mobile"].astype("string"),
        "phone": mentions["phone"].astype("string"), "address": _lower(mentions["address_line_1"]),
        "postcode": mentions["postcode"].astype("string"),
        "organisation": pd.Series([organisation_key(v) or pd.NA for v in mentions["organisation"]],
                                  dtype="string"),
    }).drop_duplicates(["source", "record_id"])
    joined = usable[["source", "record_id"]].merge(table, how="left", on=["source", "record_id"])
    joined.insert(0, "rec_id", [f"{s}:{r}" for s, r in zip(joined["source"], joined["record_id"], strict=True)])
    return joined[["rec_id", *SPLINK_COLUMNS]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tools", nargs="+", default=["ours", "splink"], choices=["ours", "splink"])
    args = parser.parse_args(argv)
    rows = []
    for size in args.rows:
        folder = generate(round(size / ROWS_PER_PERSON), args.seed)
        truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
        usable = truth[truth["usable"].str.lower() == "true"].reset_index(drop=True)
        person = pd.factorize(usable["person_id"])[0]
        name = f"City {len(truth):,} rows"
        for tool in args.tools:
            work = OUT / "city" / f"{folder.name}-{tool}"
            if tool == "ours":
                run = run_in_child("city", usable[["source", "record_id"]], work, manifest=folder / "manifest.yaml")
                run.tool = "ours"
            else:
                run = run_in_child("splink", person_table(folder / "manifest.yaml", usable), work, "city")
            rows.append(row(name, person, run))
            print(f"{name} {tool}: {run.wall:.1f} s {run.note}", file=sys.stderr)
    print(render(f"Synthetic City (seed {args.seed}; usable rows scored against truth person_id)", rows,
                 ["ours: sync.steps.read_sources + resolution.resolve.resolve (CONTACT_SPEC), wall time including "
                  "reading and normalising the sources; clusters at merge probability 0.99",
                  "Splink 5.0.0 on DuckDB, model city of bench/splink_runner.py, on the same normalised rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
