"""Run one tool on one table in a child process, so each side's peak memory is its own.

The parent writes the table without its truth to ``WORK/input.parquet`` and starts

    python -m bench.harness --tool {splink,ours,city} --input WORK/input.parquet [--model M] [--manifest YAML]

which writes ``WORK/result.json`` (status, seconds by phase, peak RSS), ``WORK/labels.npy`` (one cluster
label per input row) and, for Splink, ``WORK/pairs.npz`` (every scored pair as row positions and
probability). Wall time is the tool's own work on a table already in memory; peak memory is the child's
``ru_maxrss`` (interpreter, libraries and the input included) taken before the results are exported.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent


@dataclass
class ToolRun:
    """What one tool did with one table; ``labels`` is None when it did not run (``note`` says why)."""

    tool: str
    labels: np.ndarray | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: int = 0
    pairs: dict[str, np.ndarray] | None = None
    note: str = ""

    @property
    def wall(self) -> float:
        return sum(self.seconds.values())


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def run_in_child(tool: str, records: pd.DataFrame, work: Path, model: str | None = None,
                 manifest: Path | None = None) -> ToolRun:
    """Run ``tool`` on ``records`` (truth columns already dropped) in a fresh interpreter; for ``city``
    the records are the (source, record_id) rows to label and ``manifest`` the City sources to resolve."""
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("result.json", "labels.npy", "pairs.npz"):
        (work / stale).unlink(missing_ok=True)
    records.to_parquet(work / "input.parquet", index=False)
    command = [sys.executable, "-m", "bench.harness", "--tool", tool, "--input", str(work / "input.parquet")]
    if model:
        command += ["--model", model]
    if manifest:
        command += ["--manifest", str(manifest)]
    log = work / "child.log"
    with log.open("w") as output:
        done = subprocess.run(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
    if done.returncode != 0 or not (work / "result.json").exists():
        return ToolRun(tool, note=f"failed (exit {done.returncode}, see {log.relative_to(REPO)})")
    result = json.loads((work / "result.json").read_text())
    run = ToolRun(tool, seconds=result["seconds"], peak_bytes=result["peak_bytes"], note=result.get("note", ""))
    if result["status"] == "ok":
        run.labels = np.load(work / "labels.npy", allow_pickle=False)
        if (work / "pairs.npz").exists():
            run.pairs = dict(np.load(work / "pairs.npz"))
    return run


def _child_splink(path: Path, model: str, work: Path) -> dict:
    import pyarrow.parquet as pq

    from bench.splink_runner import export, run_splink

    records = pq.read_table(path)
    run = run_splink(records, model)
    peak = _peak_bytes()
    result = export(run, records)
    np.save(work / "labels.npy", result.labels)
    np.savez(work / "pairs.npz", left=result.left, right=result.right, probability=result.probability)
    return {"status": "ok", "seconds": result.seconds, "peak_bytes": peak}


def _child_ours(path: Path, work: Path) -> dict:
    from bench.ours import run_ours

    records = pd.read_parquet(path)
    started = time.perf_counter()
    labels = run_ours(records)
    seconds = {"resolve": time.perf_counter() - started}
    peak = _peak_bytes()
    np.save(work / "labels.npy", pd.factorize(labels)[0])  # any label type, saved as integers
    return {"status": "ok", "seconds": seconds, "peak_bytes": peak}


def _child_city(path: Path, manifest: Path, work: Path) -> dict:
    from resolution.resolve import resolve
    from sync.steps import read_sources

    rows = pd.read_parquet(path)
    started = time.perf_counter()
    batches = read_sources(manifest)
    seconds = {"read": time.perf_counter() - started}
    started = time.perf_counter()
    world = resolve([batch for batch in batches if batch.ok])
    seconds["resolve"] = time.perf_counter() - started
    peak = _peak_bytes()
    links = world.record_links[["source", "record_id", "contact_id"]].astype(str)
    # tolerate "source:record_id" in the record_id column, as bench/city_score.py does
    links["record_id"] = [r[len(s) + 1:] if r.startswith(f"{s}:") else r
                          for s, r in zip(links["source"], links["record_id"], strict=True)]
    contact = rows.merge(links.drop_duplicates(["source", "record_id"]), how="left", on=["source", "record_id"])
    labels = pd.factorize(contact["contact_id"])[0]
    alone = labels < 0  # a row in no contact (quarantined) is its own cluster
    labels[alone] = labels.max() + 1 + np.arange(alone.sum())
    np.save(work / "labels.npy", labels)
    return {"status": "ok", "seconds": seconds, "peak_bytes": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Child side: run one tool on input.parquet.")
    parser.add_argument("--tool", choices=["splink", "ours", "city"], required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--model", default="febrl3", help="Splink model: febrl3, febrl4 or scale")
    parser.add_argument("--manifest", type=Path, help="the City sources' manifest.yaml (tool city)")
    args = parser.parse_args(argv)
    work = args.input.parent
    if args.tool == "splink":
        result = _child_splink(args.input, args.model, work)
    elif args.tool == "city":
        result = _child_city(args.input, args.manifest, work)
    else:
        result = _child_ours(args.input, work)
    (work / "result.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
