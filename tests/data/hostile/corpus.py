"""The hostile-input corpus, written at test time (nothing large is committed): python -m
tests.data.hostile.corpus FOLDER lays it out for a look by hand.

Each case is a file a sync may meet in a manifest's folder, or in the home, built to exhaust memory or
time, or to run code: a zip bomb workbook, a billion-laughs or deeply nested manifest, a CSV with 200,000
columns, a source that is a symbolic link out of the folder, and pickles planted in the home's staging
folder. Every one must end in a clear one-line message naming the file, within bounded time and memory.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

GOOD_HEADER = "Contact ID,Name,Email,Post Code\n"
BOMB_BYTES = 1 << 30  # what the zip bomb's sheet decompresses to
WIDE_COLUMNS = 200_000


@dataclass(frozen=True)
class HostileCase:
    name: str
    wrong: str
    exit_code: int  # of `stakeholders sync`
    shown: str  # the file the message must name
    expected: str  # a phrase of the message
    write: Callable[[Path], str]  # lays the case out in a folder; returns the manifest's extra entry (or "")
    manifest_text: Callable[[], str] | None = None  # a case that is the manifest itself


def zip_bomb(path: Path, unpacked: int = BOMB_BYTES) -> None:
    """A real workbook whose one sheet holds `unpacked` bytes of rows, a megabyte or so on disk."""
    workbook = Workbook()
    workbook.active.append(["Contact ID", "Name"])
    saved = io.BytesIO()
    workbook.save(saved)
    row = b'<row><c t="inlineStr"><is><t>Ada Lovelace</t></is></c></row>'
    block = row * ((1 << 20) // len(row))
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                          compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                written = len(head)
                while written < unpacked:
                    sheet.write(block)
                    written += len(block)
                sheet.write(b"</sheetData>" + tail)


def billion_laughs() -> str:
    """The classic: nine levels of ten aliases each, a billion strings once expanded, 491 bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join(f"*{previous}" for _ in range(9)) + "]")
    lines.append("sources: [*i]")
    return "\n".join(lines) + "\n"


def deep_nesting(depth: int = 100_000) -> str:
    return "sources: " + "[" * depth + "]" * depth + "\n"


def _wide_csv(folder: Path) -> str:
    header = ",".join(f"Column {n}" for n in range(WIDE_COLUMNS))
    (folder / "wide.csv").write_text(header + "\n" + "," * (WIDE_COLUMNS - 1) + "\n", encoding="utf-8")
    return "  - {name: wide, kind: contacts, directorate: Cyber, path: wide.csv}\n"


def _bomb(folder: Path) -> str:
    zip_bomb(folder / "bomb.xlsx")
    return "  - {name: bomb, kind: contacts, directorate: Cyber, path: bomb.xlsx}\n"


def _symlink_out(folder: Path) -> str:
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "someone-elses.csv"
    secret.write_text(GOOD_HEADER + "S1,Private Person,private@example.com,EC1A 1BB\n", encoding="utf-8")
    link = folder / "linked.csv"
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    return "  - {name: linked, kind: contacts, directorate: Cyber, path: linked.csv}\n"


class PlantedPickle:
    """Unpickling this runs a shell command that creates `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def plant_pickles(home: Path, marker: Path, sources: tuple[str, ...]) -> list[Path]:
    """Pickles where older versions kept the load journal and the staged batches of `sources`."""
    staging = home / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    planted = [staging / "pending-load.pickle", *(staging / f"{name}.pickle" for name in sources)]
    for path in planted:
        path.write_bytes(pickle.dumps(PlantedPickle(marker)))
    return planted


CASES = (
    HostileCase("zip-bomb", "a workbook whose sheet decompresses to 1 GB", 3, "bomb.xlsx", "decompresses to",
                _bomb),
    HostileCase("wide-csv", f"a CSV with {WIDE_COLUMNS:,} columns", 3, "wide.csv", "columns", _wide_csv),
    HostileCase("symlink-out", "a source that is a symbolic link to a file outside the folder", 3, "linked.csv",
                "symbolic link", _symlink_out),
    HostileCase("billion-laughs", "a manifest of nested aliases, a billion strings expanded", 1, "billion-laughs.yaml",
                "alias", lambda folder: "", billion_laughs),
    HostileCase("deep-nesting", "a manifest nested 100,000 brackets deep", 1, "deep-nesting.yaml", "nests deeper",
                lambda folder: "", deep_nesting),
)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case_folder = target / case.name
        case_folder.mkdir(exist_ok=True)
        entry = case.write(case_folder)
        text = case.manifest_text() if case.manifest_text else "sources:\n" + entry
        (case_folder / f"{case.name}.yaml").write_text(text, encoding="utf-8")
        print(case_folder, file=sys.stderr)
