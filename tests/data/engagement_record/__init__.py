"""The engagement record beside the committed sample: a diary, groups, CSSC sectors and survey answers
naming people and organisations of sample/ (and a few it does not know, which are quarantined).

Sectors: Emergency services (London hub) led by Laura Chen; Transport (London) led by Sandra Alcombe, a
restricted contact; Community (Neighbourhoods hub) with no lead. Groups: CoLCPA (Laura Chen) and Sister
banks (London Fire Brigade), both priority; Summit residents (Friends of Summit Gardens), not priority.
The diary has a meeting with Sandra Alcombe at British Transport Police ("Station security review").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SAMPLE = HERE.parents[2] / "sample"
SOURCES = [
    {"name": "diary", "kind": "engagements", "directorate": "Counter Terrorism", "path": "engagements.csv"},
    {"name": "groups", "kind": "groups", "path": "groups.csv"},
    {"name": "sectors", "kind": "sectors", "path": "sectors.csv"},
    {"name": "surveys", "kind": "surveys", "path": "surveys.csv"},
]


def manifest_in(folder: Path) -> Path:
    """A copy of the sample with this engagement record in place of the sample's own (whose groups, sectors
    and diaries would change every count these files were written for), in ``folder``; its manifest's path."""
    shutil.copytree(SAMPLE, folder, dirs_exist_ok=True)
    for source in SOURCES:
        shutil.copy(HERE / source["path"], folder / source["path"])
    manifest = yaml.safe_load((SAMPLE / "manifest.yaml").read_text(encoding="utf-8"))
    kinds = {source["kind"] for source in SOURCES}
    manifest["sources"] = [s for s in manifest["sources"] if s["kind"] not in kinds] + SOURCES
    path = folder / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path
