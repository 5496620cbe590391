"""The nightly sync's cost as a user runs it: full, unchanged and one-row-changed syncs through the CLI.

    .venv/bin/python -m bench.sync_stages [--people 3000 [N ...]] [--seed 7] [--out bench/out/sync-stages]
                                          [--with-full-rerun]

For each population size: a synthetic City world (``synthetic.generate``, kept in OUT/world-N and reused
while its stamp says it was made with the same arguments and its files are as written), a fresh home
(OUT/home-N) whose own Neo4j is started first (``stakeholders neo4j start``, timed on its own), then
``stakeholders sync`` as a child process: the full first sync, the same files again, one cell of one
directorate contact row changed (" Jnr" after a last name; the file is put back afterwards), and with
``--with-full-rerun`` ``sync --full`` of the changed world. Each run's wall time is taken around the
child; its CPU time and peak memory from ``os.wait4``; Neo4j's CPU time from ``/proc/PID/stat`` before
and after; the stages' own figures from the ``stage ...`` lines the sync prints
(``kernel.stage_meter.stage_line``) and the rows written from its ``loaded <step>: <n>`` lines
(``GraphStore.apply``). Prints a table per size, writes OUT/results.json, and stops the home's Neo4j.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import openpyxl

from graph.neo4j_server.launcher import LocalNeo4j
from sources import load_manifest
from sources.headers import map_headers
from sources.model import SourceSpec

REPO = Path(__file__).resolve().parents[1]
SUFFIX = " Jnr"
ORIGINAL = ".bench-original"  # beside a file a run changed: its bytes before, put back after the runs
STAGES = ("read", "gate", "resolve", "load")
STAGE_LINE = re.compile(r"stage (\w+): ([\d.]+) s wall, ([\d.]+) s CPU, peak (\d+) MB( \(since the process started\))?")
LOADED_LINE = re.compile(r"\bloaded ([^:]+): (\d+)(?: \([0-9.]+ s\))?$")
SOURCE_LINE = re.compile(r"^  (\S+) \((\w+)\): (synced|held back), (\d+) rows read")
GRAPH_LINE = re.compile(r"(\d+) nodes, (\d+) relationships; ([\d.]+) s$")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# the targets
UNCHANGED_SHARE, CHANGED_SHARE = 5.0, 10.0
TARGET_ROWS, TARGET_SECONDS, TARGET_MB, TARGET_RATE = 1_000_000, 600.0, 6 * 1024, 50_000.0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Stage:
    """One stage as the sync reported it; ``own_peak`` False: the peak is the process's since it started."""

    wall_s: float
    cpu_s: float
    peak_mb: int
    own_peak: bool = True


@dataclass
class Run:
    """One ``stakeholders sync`` child: measured around it, and what it printed."""

    name: str
    wall_s: float
    child_cpu_s: float
    child_peak_mb: float
    neo4j_cpu_s: float
    neo4j_peak_mb: float  # the server's resident high-water mark since it started (VmHWM)
    exit_code: int
    log: str
    stages: dict[str, Stage] = field(default_factory=dict)
    loaded: dict[str, int] = field(default_factory=dict)  # rows per load step; nodes and relationships not split
    source_rows: int = 0  # rows read, summed over the sources the sync reports
    graph_nodes: int = 0
    graph_relationships: int = 0
    sync_s: float = 0.0  # the sync's own figure, from the start of its work (imports and start-up left out)

    @property
    def rows_written(self) -> int:
        return sum(self.loaded.values())

    @property
    def load_rate(self) -> float | None:
        load = self.stages.get("load")
        return self.rows_written / load.wall_s if load and load.wall_s > 0 and self.rows_written else None


@dataclass
class ChangedRow:
    source: str
    path: str
    line: int  # the row's line in the file (csv) or its row in the sheet (xlsx), first line 1
    column: str
    before: str
    after: str


@dataclass
class SizeResult:
    people: int
    seed: int
    world: str
    home: str
    generated_s: float
    reused_world: bool
    neo4j_start_s: float
    changed_row: ChangedRow | None = None
    runs: list[Run] = field(default_factory=list)


# --- the world ------------------------------------------------------------------------------------------

def _file_hashes(manifest: Path) -> dict[str, str]:
    return {os.path.relpath(spec.path, manifest.parent): hashlib.sha256(spec.path.read_bytes()).hexdigest()
            for spec in load_manifest(manifest) if spec.path.is_file()}


def _keep_original(path: Path) -> None:
    shutil.copy2(path, path.with_name(path.name + ORIGINAL))


def restore_world(world: Path) -> None:
    """Put back the files a run changed (kept beside them), also those of a run that was interrupted."""
    for kept in world.rglob(f"*{ORIGINAL}"):
        os.replace(kept, kept.with_name(kept.name.removesuffix(ORIGINAL)))


def ensure_world(world: Path, people: int, seed: int) -> tuple[float, bool]:
    """Generate the City world in ``world`` unless its stamp says it holds these arguments' files unchanged;
    returns the generation's seconds (an earlier run's when reused) and whether it was reused."""
    stamp_path, manifest = world / "bench-stamp.json", world / "manifest.yaml"
    if world.is_dir():
        restore_world(world)
    arguments = {"people": people, "seed": seed}
    if stamp_path.is_file() and manifest.is_file():
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("arguments") == arguments and stamp.get("files") == _file_hashes(manifest):
            return stamp["seconds"], True
    shutil.rmtree(world, ignore_errors=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "synthetic.generate", "--out", str(world), "--people", str(people),
               "--seed", str(seed)]
    subprocess.run(command, cwd=REPO, env=_child_env(), check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    stamp_path.write_text(json.dumps({"arguments": arguments, "seconds": seconds, "files": _file_hashes(manifest)},
                                     indent=2) + "\n")
    return seconds, False


def _first_named(rows: list[list], spec: SourceSpec, name: str) -> tuple[str, int, int] | None:
    """(header, row index, column) of the first row below the header with a value in field ``name``; a title
    may stand above the header."""
    for header_at, header in enumerate(rows[:20]):
        columns = map_headers([str(h or "") for h in header], "contacts", spec.columns).columns
        if len(columns) < 3:
            continue
        column = columns.get(name)
        if column is None:
            return None
        for at in range(header_at + 1, len(rows)):
            value = rows[at][column] if column < len(rows[at]) else None
            if isinstance(value, str) and value.strip():
                return str(header[column]), at, column
        return None
    return None


def _change_csv(spec: SourceSpec, name: str) -> ChangedRow | None:
    data = spec.path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252")
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows, read_to = [], 0
    for row in reader:
        # one row per line; a row whose cells run over several lines is left alone
        rows += [row] if reader.line_num == read_to + 1 else [[]] * (reader.line_num - read_to)
        read_to = reader.line_num
    found = _first_named(rows, spec, name)
    if found is None:
        return None
    header, at, column = found
    row = rows[at]
    before = row[column]
    row[column] = before + SUFFIX
    out = io.StringIO()
    csv.writer(out, dialect, lineterminator=lines[at][len(lines[at].rstrip("\r\n")):]).writerow(row)
    lines[at] = out.getvalue()  # every other line keeps its bytes
    _keep_original(spec.path)
    spec.path.write_bytes("".join(lines).encode(encoding))
    return ChangedRow(spec.name, spec.shown_path, at + 1, header, before, row[column])


def _change_xlsx(spec: SourceSpec, name: str) -> ChangedRow | None:
    workbook = openpyxl.load_workbook(spec.path)
    sheet = workbook[spec.sheet] if spec.sheet else next(s for s in workbook.worksheets if s.sheet_state == "visible")
    rows = [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
    found = _first_named(rows, spec, name)
    if found is None:
        return None
    header, at, column = found
    cell = sheet.cell(row=at + 1, column=column + 1)
    before = str(cell.value)
    cell.value = before + SUFFIX
    _keep_original(spec.path)
    workbook.save(spec.path)
    return ChangedRow(spec.name, spec.shown_path, at + 1, header, before, cell.value)


def change_one_row(manifest: Path) -> ChangedRow:
    """Append " Jnr" to one contact's last name (or full name) in one directorate contacts file, a .csv
    before an .xlsx; everything else in the file stays as it was."""
    specs = [s for s in load_manifest(manifest) if s.kind == "contacts" and s.directorate and s.problem is None]
    for name in ("last_name", "full_name"):
        for spec in sorted(specs, key=lambda s: s.path.suffix.lower() != ".csv"):
            changed = (_change_csv if spec.path.suffix.lower() == ".csv" else _change_xlsx)(spec, name)
            if changed is not None:
                return changed
    raise SystemExit(f"{manifest}: no directorate contacts file with a name column to change")


# --- the runs -------------------------------------------------------------------------------------------

def _child_env(home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}  # the home's own server
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if home is not None:
        env["STAKEHOLDERS_HOME"] = str(home)
    return env


def server_pids(home: Path) -> list[int]:
    """PIDs of Java processes running Neo4j for ``home``: their command line names org.neo4j and a path in
    the home (home-300 must not match home-3000)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            arguments = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if any("org.neo4j" in a for a in arguments) and any(f"{home}/" in a or a.endswith(str(home))
                                                            for a in arguments):
            pids.append(int(proc.name))
    return pids


def _server_cpu_and_peak(home: Path) -> tuple[float, float]:
    cpu, peak = 0.0, 0.0
    for pid in server_pids(home):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime: fields 14 and 15 of stat
        peak += next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return cpu, peak


def _parse(run: Run, lines: list[str]) -> None:
    for line in lines:
        if found := STAGE_LINE.search(line):
            run.stages[found[1]] = Stage(float(found[2]), float(found[3]), int(found[4]), not found[5])
        elif found := LOADED_LINE.search(line):
            run.loaded[found[1]] = run.loaded.get(found[1], 0) + int(found[2])
        elif found := SOURCE_LINE.search(line):
            run.source_rows += int(found[4])
        elif found := GRAPH_LINE.search(line):
            run.graph_nodes, run.graph_relationships, run.sync_s = int(found[1]), int(found[2]), float(found[3])


def run_cli(name: str, arguments: list[str], home: Path, log: Path) -> Run:
    """Run ``stakeholders ARGUMENTS`` for ``home`` as a child, its stderr kept in ``log`` and its stage
    lines passed on to ours; exits 1 with the tail of its stderr when it fails."""
    command = [sys.executable, "-m", "pipelines.cli", *arguments]
    neo4j_cpu = _server_cpu_and_peak(home)[0]
    lines: list[str] = []
    started = time.perf_counter()
    with log.open("w") as kept:
        child = subprocess.Popen(command, cwd=REPO, env=_child_env(home), stdout=kept, stderr=subprocess.PIPE,
                                 text=True, errors="replace")
        for line in child.stderr:
            kept.write(line)
            lines.append(line.rstrip("\n"))
            if STAGE_LINE.search(line):
                _say(f"    {name}: {line.strip()}")
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    neo4j_after, neo4j_peak = _server_cpu_and_peak(home)
    run = Run(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, neo4j_after - neo4j_cpu,
              neo4j_peak, child.returncode, str(log))
    _parse(run, lines)
    if run.exit_code != 0:
        _say(f"{name}: `stakeholders {' '.join(arguments)}` exited {run.exit_code}; the end of its stderr "
             f"({log}):")
        _say("\n".join(lines[-40:]))
        raise SystemExit(1)
    return run


def stop_server(home: Path) -> None:
    """Stop the home's Neo4j, and any Java process still running Neo4j for this home after that."""
    LocalNeo4j(home).stop(progress=lambda message: _say(f"  {message}"))
    for pid in server_pids(home):
        _say(f"  Neo4j for {home} still running (pid {pid}): killing it")
        os.kill(pid, signal.SIGKILL)


def measure_size(people: int, seed: int, out: Path, full_rerun: bool) -> SizeResult:
    """The runs at one population size, in a fresh home whose Neo4j is stopped afterwards."""
    world, home = (out / f"world-{people}").resolve(), (out / f"home-{people}").resolve()
    _say(f"{people} people: world {world}")
    generated, reused = ensure_world(world, people, seed)
    _say(f"  world reused (generated in {generated:.1f} s earlier)" if reused else
         f"  world generated in {generated:.1f} s")
    if home.exists():
        stop_server(home)
        shutil.rmtree(home)
    home.mkdir(mode=0o700, parents=True)
    home.chmod(0o700)
    manifest = world / "manifest.yaml"
    result = SizeResult(people, seed, str(world), str(home), generated, reused, 0.0)
    try:
        started = time.perf_counter()
        run_cli("neo4j start", ["neo4j", "start"], home, out / f"neo4j-start-{people}.log")
        result.neo4j_start_s = time.perf_counter() - started
        _say(f"  Neo4j started in {result.neo4j_start_s:.1f} s")
        sync = ["sync", "--manifest", str(manifest)]
        runs = [("full", "full", sync), ("unchanged", "unchanged", sync), ("one row changed", "changed", sync)]
        if full_rerun:
            runs.append(("full re-run (--full)", "full-rerun", [*sync, "--full"]))
        for name, slug, arguments in runs:
            if slug == "changed":
                row = result.changed_row = change_one_row(manifest)
                _say(f"  changed {row.path} line {row.line}, {row.column}: {row.before!r} -> {row.after!r}")
            result.runs.append(run_cli(name, arguments, home, out / f"sync-{people}-{slug}.log"))
            _say(f"  {name}: {result.runs[-1].wall_s:.1f} s")
    finally:
        restore_world(world)
        stop_server(home)
    return result


# --- the table ------------------------------------------------------------------------------------------

def _figure(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(result: SizeResult) -> str:
    full = result.runs[0]
    header = ["run", "wall s", "% of full", "sync s", "child CPU s", "Neo4j CPU s", "peak MB", "Neo4j MB",
              *(f"{stage} s" for stage in STAGES), *(f"{stage} MB" for stage in STAGES), "rows written",
              "load rows/s"]
    body = []
    for run in result.runs:
        stages = [run.stages.get(stage) for stage in STAGES]
        body.append([run.name, _figure(run.wall_s), _figure(100 * run.wall_s / full.wall_s), _figure(run.sync_s),
                     _figure(run.child_cpu_s), _figure(run.neo4j_cpu_s), _figure(run.child_peak_mb, 0),
                     _figure(run.neo4j_peak_mb, 0), *(_figure(s and s.wall_s) for s in stages),
                     *(_figure(s and s.peak_mb, 0) + ("" if s is None or s.own_peak else "*") for s in stages),
                     f"{run.rows_written:,}", _figure(run.load_rate, 0)])
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"

    rule = "|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|"
    runs = {run.name: run for run in result.runs}
    verdict = {True: "ok", False: "MISSED"}
    targets = []
    for name, share in (("unchanged", UNCHANGED_SHARE), ("one row changed", CHANGED_SHARE)):
        measured = 100 * runs[name].wall_s / full.wall_s
        targets.append(f"{name} < {share:.0f} % of full: {measured:.1f} % {verdict[measured < share]}")
    targets.append(f"full sync of {TARGET_ROWS:,} rows < {TARGET_SECONDS / 60:.0f} min and < "
                   f"{TARGET_MB / 1024:.0f} GB: here {full.source_rows:,} rows "
                   f"({100 * full.source_rows / TARGET_ROWS:.1f} % of that) in {full.wall_s:.0f} s, "
                   f"peak {full.child_peak_mb:,.0f} MB")
    rate, load = full.load_rate, full.stages.get("load")
    targets.append(f"graph load >= {TARGET_RATE:,.0f} entities/s: full load {full.rows_written:,} rows in "
                   f"{_figure(load and load.wall_s)} s = {_figure(rate, 0)} rows/s "
                   f"{verdict[rate is not None and rate >= TARGET_RATE]} (rows are a lower bound of entities)")
    row = result.changed_row
    return "\n".join([
        f"Sync stages, synthetic City {result.people:,} people (seed {result.seed}): {full.source_rows:,} source "
        f"rows; world {'reused' if result.reused_world else 'generated'} ({result.generated_s:.1f} s), "
        f"Neo4j started in {result.neo4j_start_s:.1f} s before the runs",
        line(header), rule, *(line(cells) for cells in body), "",
        "targets (issue): " + "; ".join(targets),
        f"one row changed: {row.source} ({row.path}) line {row.line}, {row.column} {row.before!r} -> {row.after!r}",
        "wall: around the `stakeholders sync` child (interpreter start and imports included); sync s: the sync's "
        "own figure; child CPU and peak: os.wait4; Neo4j CPU: the server's utime+stime during the run; Neo4j MB: "
        "its resident high-water mark since it started",
        "stage s / MB: the `stage ...` lines the sync prints (* = the process's peak since it started); rows "
        f"written: the sum of its `loaded <step>: <n>` lines, nodes and relationships together, a lower bound of "
        f"the entities written; graph after the full run: {full.graph_nodes:,} nodes, "
        f"{full.graph_relationships:,} relationships",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[3000], metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "sync-stages")
    parser.add_argument("--with-full-rerun", action="store_true", help="also `sync --full` the changed world")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for people in args.people:
        results.append(measure_size(people, args.seed, args.out, args.with_full_rerun))
        print(table(results[-1]), end="\n\n", flush=True)
    figures = [{**asdict(r), "runs": [{**asdict(run), "rows_written": run.rows_written, "load_rate": run.load_rate}
                                      for run in r.runs]} for r in results]
    (args.out / "results.json").write_text(json.dumps(figures, indent=2) + "\n")
    _say(f"figures written to {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
