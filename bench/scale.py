"""Table (b): time and peak memory of our resolver and Splink 5 on 100k and 1M perturbed FEBRL rows.

    .venv/bin/python -m bench.scale [--sizes 100000 1000000] [--seed 42] [--tools ours splink]

The rows come from ``bench.datasets.scaled_febrl`` (known truth, fixed seed); each tool runs in its own
child process (see bench/harness.py); work files go to bench/out/scale/.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.datasets import OUT, scaled_febrl
from bench.harness import run_in_child
from bench.report import render, row
from bench.splink_runner import EM_MAX_PAIRS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tools", nargs="+", default=["ours", "splink"], choices=["ours", "splink"])
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        started = time.perf_counter()
        dataset = scaled_febrl(size, args.seed)
        print(f"{dataset.name}: generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        records = dataset.records.drop(columns="entity_id")
        truth = dataset.records["entity_id"].to_numpy()
        for tool in args.tools:
            run = run_in_child(tool, records, OUT / "scale" / f"{dataset.name}-{tool}", "scale")
            rows.append(row(dataset.name, truth, run))
            print(f"{dataset.name} {tool}: {run.wall:.1f} s {run.note}", file=sys.stderr)
    print(render(f"Perturbed FEBRL at scale (seed {args.seed}; 1-5 rows per person, 1-3 FEBRL-style errors per copy)",
                 rows, [f"Splink 5.0.0 on DuckDB: febrl3 example's comparisons and training, EM sampled to "
                        f"{EM_MAX_PAIRS:.0e} pairs, prediction blocking on column pairs; see bench/splink_runner.py"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
