"""load_manifest: paths resolved against the manifest folder, every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources import ManifestError, SourceSpec, load_manifest


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "manifest.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_manifest_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    manifest = write(tmp_path, """
sources:
  - name: ecd-contacts
    kind: contacts
    directorate: Economic Crime
    path: directorates/ecd.xlsx
    sheet: Contacts
    columns:
      full_name: "Contact"
  - name: keyholders
    kind: keyholders
    path: data/keyholders.CSV
""")
    specs = load_manifest(manifest)
    folder = manifest.parent.absolute()
    assert specs == [
        SourceSpec("ecd-contacts", "contacts", folder / "directorates/ecd.xlsx", "Economic Crime", "Contacts",
                   {"full_name": "Contact"}),
        SourceSpec("keyholders", "keyholders", folder / "data/keyholders.CSV"),
    ]


def test_missing_data_file_is_not_a_manifest_error(tmp_path: Path) -> None:
    manifest = write(tmp_path, "sources:\n  - {name: m, kind: mosaic, path: nowhere/mosaic.csv}\n")
    assert load_manifest(manifest)[0].path.name == "mosaic.csv"


def test_absolute_path_inside_the_folder_is_allowed(tmp_path: Path) -> None:
    inside = tmp_path / "config" / "p.csv"
    manifest = write(tmp_path, f"sources:\n  - {{name: p, kind: postcodes, path: '{inside}'}}\n")
    assert load_manifest(manifest)[0].path == inside


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{kind: mosaic, path: a.csv}", "missing name"),
        ("{name: Bad_Name, kind: mosaic, path: a.csv}", "name 'Bad_Name' must use only a-z, 0-9 and '-'"),
        ("{name: ok, kind: postcodes, path: b.csv}", "duplicate name 'ok' (also source 1)"),
        ("just text", "must be a mapping"),
    ],
)
def test_an_entry_without_a_unique_name_refuses_the_manifest(tmp_path: Path, entry: str, expected: str) -> None:
    manifest = write(tmp_path, f"sources:\n  - {{name: ok, kind: mosaic, path: ok.csv}}\n  - {entry}\n")
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{manifest}: source 2")
    assert expected in problem
    assert str(caught.value) == f"manifest refused: {problem}"  # one line


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{name: a, path: a.csv}", "missing kind"),
        ("{name: a, kind: mosaic}", "missing path"),
        ("{name: a, kind: people, path: a.csv}", "unknown kind 'people'"),
        ("{name: a, kind: contacts, path: a.csv}", "kind contacts needs a directorate"),
        ("{name: a, kind: mosaic, path: ../../etc/passwd.csv}", "is outside the manifest folder"),
        ("{name: a, kind: mosaic, path: /etc/passwd.csv}", "is outside the manifest folder"),
        ("{name: a, kind: mosaic, path: a.xls}", "must end in .xlsx or .csv"),
        ("{name: a, kind: mosaic, path: a.csv, columns: {surname: X}}", "unknown field 'surname'"),
        ("{name: a, kind: mosaic, path: a.csv, colums: {}}", "unknown key 'colums'"),
        ("{name: a, kind: mosaic, path: a.csv, columns: [x]}", "columns must map"),
    ],
)
def test_other_entry_problems_hold_back_only_that_source(tmp_path: Path, entry: str, expected: str) -> None:
    manifest = write(tmp_path, f"sources:\n  - {{name: ok, kind: mosaic, path: ok.csv}}\n  - {entry}\n")
    good, bad = load_manifest(manifest)
    assert good.problem is None and good.label == "ok.csv"
    assert bad.name == "a" and expected in bad.problem


def test_all_problems_that_refuse_the_manifest_are_listed_together(tmp_path: Path) -> None:
    manifest = write(tmp_path, """
sources:
  - {name: dup, kind: mosaic, path: a.csv}
  - {name: dup, kind: contacts, path: ../x.txt}
  - {name: fine, kind: martian, path: b.csv}
  - {kind: mosaic, path: c.csv}
""")
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    text = str(caught.value)
    assert "source 2 ('dup'): duplicate name 'dup' (also source 1)" in text
    assert "source 4: missing name" in text
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources: [ {name: a", "is not valid YAML at line"),
        ("other: 1\n", "needs a non-empty 'sources' list"),
        ("sources: []\n", "needs a non-empty 'sources' list"),
        ("- a\n- b\n", "needs a non-empty 'sources' list"),
        ("", "needs a non-empty 'sources' list"),
    ],
)
def test_unusable_documents(tmp_path: Path, text: str, expected: str) -> None:
    manifest = write(tmp_path, text)
    with pytest.raises(ManifestError, match="manifest .*manifest.yaml") as caught:
        load_manifest(manifest)
    assert expected in caught.value.problems[0]


def test_unreadable_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="cannot be read"):
        load_manifest(tmp_path / "absent.yaml")
