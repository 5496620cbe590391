"""Table (c): our City resolver on the synthetic City dataset at about 60k rows.

    .venv/bin/python -m bench.city60k [--people 28000] [--seed 5]

Generates the data once with ``python -m synthetic.generate`` into bench/out/city-PEOPLE-SEED/, reads and
resolves every source in a child process (as bench/city_resolution.py does) and scores contacts against
truth.csv: usable rows only, a quarantined usable row counting as a cluster of its own. Splink is not run
here: the City sources are many differently shaped lists, not one person table.
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


def generate(people: int, seed: int) -> Path:
    """The dataset folder, generated unless it is already there."""
    folder = OUT / f"city-{people}-{seed}"
    if not (folder / "manifest.yaml").exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "synthetic.generate", "--out", str(folder), "--people", str(people),
                        "--seed", str(seed)], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=28_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    folder = generate(args.people, args.seed)
    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    usable = truth[truth["usable"].str.lower() == "true"].reset_index(drop=True)
    run = run_in_child("city", usable[["source", "record_id"]], OUT / "city60k" / folder.name,
                       manifest=folder / "manifest.yaml")
    run.tool = "ours"
    name = f"City {args.people}/{args.seed}"
    rows = [row(name, pd.factorize(usable["person_id"])[0], run),
            [name, f"{len(usable):,}", "splink", "not run: the City sources are not one person table"]]
    print(render(f"Synthetic City ({len(truth):,} rows, {len(usable):,} usable; contacts vs truth person_id)", rows,
                 ["ours: sync.steps.read_sources + resolution.resolve.resolve, as bench/city_resolution.py; "
                  "its wall time includes reading and normalising the sources"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
