"""Resolver accuracy and speed on the synthetic City dataset, without the graph.

    python bench/city_resolution.py --people 20000 --seed 11      # generate, resolve, score
    python bench/city_resolution.py --data sample                  # an existing dataset with truth.csv

Prints the time of each stage and the scorer's table (pairwise precision,
recall and F1 for contacts and organisations, and row accounting).
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from resolution.resolve import resolve  # noqa: E402
from sync.steps import read_sources  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="a dataset folder with manifest.yaml and truth.csv")
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = args.data
    if data is None:
        data = args.out / f"city-{args.people}-{args.seed}"
        if not (data / "manifest.yaml").exists():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "synthetic.generate", "--out", str(data), "--people",
                            str(args.people), "--seed", str(args.seed)], check=True, cwd=REPO)
            print(f"generated {data} in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    started = time.perf_counter()
    batches = read_sources(data / "manifest.yaml")
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    world = resolve([b for b in batches if b.ok])
    resolve_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    clusters = args.out / "clusters.csv"
    quarantine = args.out / "quarantine.csv"
    with clusters.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["entity_type", "entity_id", "source", "record_id"])
        for row in world.record_links.itertuples(index=False):
            writer.writerow(["contact", row.contact_id, row.source, row.record_id])
            if row.organisation_id:
                writer.writerow(["organisation", row.organisation_id, row.source, row.record_id])
    world.quarantine[["source", "record_id", "reason"]].to_csv(quarantine, index=False)

    rows = sum(b.rows_read for b in batches)
    print(f"rows read {rows}; read {read_s:.1f} s; resolve {resolve_s:.1f} s; peak RSS {peak_mb:.0f} MB; "
          f"{len(world.contacts)} contacts, {len(world.organisations)} organisations, "
          f"{len(world.review_pairs)} review pairs")
    subprocess.run([sys.executable, str(REPO / "bench" / "city_score.py"), "--truth", str(data / "truth.csv"),
                    "--clusters", str(clusters), "--quarantine", str(quarantine)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
