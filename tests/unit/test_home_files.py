"""Staged batches and the load journal: exact round trips, owner-only files, and nothing in the home that
can run code, hide a damaged file behind a traceback, or leave personal data behind after a failed write."""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from graph.load_plan import LoadStep
from sources.load import load_source
from sources.manifest import load_manifest
from sources.model import SourceBatch
from sync.journal import LoadJournal, PendingLoad
from sync.staging import Staging

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "sample" / "manifest.yaml"


@pytest.fixture(scope="module")
def sample_batches() -> dict[str, SourceBatch]:
    return {spec.name: load_source(spec) for spec in load_manifest(SAMPLE)
            if spec.name in ("ecd-contacts", "city-keyholders", "postcodes")}


def assert_same_batch(found: SourceBatch | None, expected: SourceBatch) -> None:
    assert found is not None
    for name in ("rows", "quarantine"):
        pd.testing.assert_frame_equal(getattr(found, name), getattr(expected, name), check_index_type=True)
    plain = ("rows", "quarantine")
    assert {f.name: getattr(found, f.name) for f in dataclasses.fields(found) if f.name not in plain} == \
        {f.name: getattr(expected, f.name) for f in dataclasses.fields(expected) if f.name not in plain}
    assert found.spec.label == expected.spec.label  # not compared by SourceSpec's ==


class _Planted:
    """Unpickling this runs a shell command, as a planted file in the home could."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("name", ["ecd-contacts", "city-keyholders", "postcodes"])
def test_a_staged_batch_comes_back_exactly(name: str, sample_batches: dict[str, SourceBatch], tmp_path: Path) -> None:
    batch = sample_batches[name]
    assert len(batch.rows) and batch.ok
    Staging(tmp_path).save(batch)
    assert_same_batch(Staging(tmp_path).last_good(name), batch)
    assert Staging(tmp_path).rows_used(name) == len(batch.rows)


def test_lists_dates_flags_and_a_gapped_index_come_back_exactly(sample_batches, tmp_path: Path) -> None:
    batch = sample_batches["ecd-contacts"]
    rows = batch.rows.iloc[::2].copy()  # as left by an erasure: the index has gaps
    rows.iloc[0, rows.columns.get_loc("issues")] = ["protest", "cyber"]
    rows.iloc[0, rows.columns.get_loc("last_contacted")] = date(2024, 2, 29)
    rows.iloc[0, rows.columns.get_loc("flags")] = ["email: not an email address"]
    quarantine = pd.DataFrame({"source": ["ecd-contacts"], "record_id": ["E9"], "row_number": [9],
                               "reason": ["no name"]}).astype({"source": object, "record_id": object,
                                                                "reason": object})
    changed = dataclasses.replace(batch, rows=rows, quarantine=quarantine, read_warnings=["a warning"],
                                  header_warnings=["h"], unknown_headers=["Extra"])
    Staging(tmp_path).save(changed)
    assert_same_batch(Staging(tmp_path).last_good("ecd-contacts"), changed)


def test_an_empty_batch_comes_back_exactly(sample_batches, tmp_path: Path) -> None:
    batch = sample_batches["postcodes"]
    empty = dataclasses.replace(batch, rows=batch.rows.iloc[0:0], quarantine=batch.quarantine.iloc[0:0])
    Staging(tmp_path).save(empty)
    assert_same_batch(Staging(tmp_path).last_good("postcodes"), empty)


def test_the_load_journal_comes_back_exactly(tmp_path: Path) -> None:
    rows = [{"id": "C-1", "issues": ["protest"], "last_contacted": date(2024, 3, 1), "restricted": False,
             "latitude": 51.51, "missing": None, "nested": {"values": [1, 2]}}]
    pending = PendingLoad(run="abc123", plan=[LoadStep("contacts", "UNWIND $rows AS row RETURN row", rows),
                                              LoadStep("sweep", "MATCH (n) RETURN n", [])],
                          lineage=[{"id": "C-1", "seq": 7, "event": "minted"}], at="2026-01-01T02:00:00+00:00")
    journal = LoadJournal(tmp_path)
    journal.begin(pending)
    assert journal.pending() == pending
    journal.done()
    assert journal.pending() is None


def test_staged_files_are_owner_only(sample_batches, tmp_path: Path) -> None:
    Staging(tmp_path).save(sample_batches["postcodes"])
    LoadJournal(tmp_path).begin(PendingLoad("r", [], [], "t"))
    folder = tmp_path / "staging"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_planted_pickles_are_never_loaded(sample_batches, tmp_path: Path, caplog) -> None:
    marker = tmp_path / "exploited"
    folder = tmp_path / "staging"
    folder.mkdir()
    for name in ("pending-load.pickle", "ecd-contacts.pickle"):
        (folder / name).write_bytes(pickle.dumps(_Planted(marker)))
    caplog.set_level(logging.WARNING)

    assert LoadJournal(tmp_path).pending() is None
    assert Staging(tmp_path).last_good("ecd-contacts") is None

    assert not marker.exists(), "a pickle in the home was loaded"
    assert not list(folder.glob("*.pickle")), "old-format files are removed"
    assert "pending-load.pickle" in caplog.text and "ecd-contacts.pickle" in caplog.text
    assert "older version" in caplog.text


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong version"])
def test_a_damaged_staged_batch_is_set_aside_with_a_message(damage: str, sample_batches, tmp_path: Path,
                                                           caplog) -> None:
    staging = Staging(tmp_path)
    staging.save(sample_batches["postcodes"])
    path = tmp_path / "staging" / "postcodes.jsonl"
    text = path.read_text()
    path.write_text({"garbage": "\x00not json\n", "truncated": text[: len(text) // 2],
                     "wrong version": text.replace('"version":1', '"version":99', 1)}[damage])
    caplog.set_level(logging.WARNING)

    assert staging.last_good("postcodes") is None

    (message,) = [r.getMessage() for r in caplog.records]
    assert str(path) in message and "set aside" in message and "\n" not in message
    assert not path.exists() and (tmp_path / "staging" / "postcodes.damaged").exists()
    staging.save(sample_batches["postcodes"])  # the next good sync stages it afresh
    assert not (tmp_path / "staging" / "postcodes.damaged").exists()
    assert_same_batch(staging.last_good("postcodes"), sample_batches["postcodes"])


def test_a_damaged_journal_is_set_aside_until_a_full_load_completes(tmp_path: Path, caplog) -> None:
    journal = LoadJournal(tmp_path)
    journal.begin(PendingLoad("r", [LoadStep("s", "RETURN 1", [{"a": 1}])], [], "t"))
    journal.path.write_text(journal.path.read_text()[:-5])
    caplog.set_level(logging.WARNING)

    assert journal.pending() is None

    (message,) = [r.getMessage() for r in caplog.records]
    assert str(journal.path) in message and "loads every source in full" in message
    assert journal.damaged.exists() and not journal.path.exists()
    assert journal.pending() is None  # not stuck: the next call finds nothing to finish
    journal.done()
    assert not journal.damaged.exists()


_FAILING_WRITE = """
import resource, signal, sys
from pathlib import Path
import pandas as pd
from sources.load import load_source
from sources.manifest import load_manifest
from sync.staging import Staging
from sync.journal import LoadJournal, PendingLoad
from graph.load_plan import LoadStep
spec = next(s for s in load_manifest(sys.argv[1]) if s.name == "ecd-contacts")
batch = load_source(spec)
home = Path(sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails as a full disk does
resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
failed = 0
for write in (lambda: Staging(home).save(batch),
              lambda: LoadJournal(home).begin(PendingLoad("r", [LoadStep("s", "q", batch.rows.to_dict("records"))],
                                                          [], "t"))):
    try:
        write()
    except OSError:
        failed += 1
print(failed)
"""


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", _FAILING_WRITE, str(SAMPLE), str(tmp_path)], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2", "both writes should have failed"
    assert not [p.name for p in (tmp_path / "staging").iterdir()], "nothing half-written is left"


def test_leftover_partial_files_are_removed_at_the_next_sync(tmp_path: Path, caplog) -> None:
    folder = tmp_path / "staging"
    folder.mkdir()
    (folder / "tmpab12cd.tmp").write_text("Ada Lovelace,07700 900001\n")
    (folder / ".postcodes.jsonl.x1.tmp").write_text("{")
    caplog.set_level(logging.WARNING)

    assert LoadJournal(tmp_path).pending() is None  # the first step of every sync

    assert not list(folder.iterdir())
    assert "removed 2 incomplete" in caplog.text
