"""The synthetic City dataset: reproducible, readable as declared, and its truth matches the contract."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from synthetic.generate import generate, main
from synthetic.reference import ACCENTED_FIRST_NAMES
from synthetic.truth import merged_consent

ROOT = Path(__file__).resolve().parents[2]
PEOPLE, SEED = 80, 3
# Contract section 3: the headers that name the record_id column.
RECORD_ID_HEADERS = {
    "contacts": {"recordid", "id", "ref", "reference", "contactid"},
    "keyholders": {"keyholderid", "recordid"},
}


def _load_city_score():
    spec = importlib.util.spec_from_file_location("city_score", ROOT / "bench" / "city_score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


city_score = _load_city_score()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city")
    generate(out, PEOPLE, SEED)
    return out


def _manifest(folder: Path) -> list[dict]:
    return yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))["sources"]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _header_key(text: object) -> str:
    return re.sub(r"[\s_\-.:]+", "", str(text)).lower()


def _csv_records(path: Path) -> list[list[str]]:
    """Decode as the contract says: UTF-8 (BOM allowed), failing that Windows-1252."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.reader(text.splitlines(keepends=True)))


def _sheet_rows(folder: Path, source: dict) -> list[list[object]]:
    """The source's rows as a person sees them, header first, blank rows included."""
    path = folder / source["path"]
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        sheet = book[source["sheet"]] if "sheet" in source else book.worksheets[0]
        return [[c.value for c in row] for row in sheet.iter_rows()]
    return _csv_records(path)


def _record_ids(folder: Path, source: dict) -> list[str]:
    """Each data row's record id by contract section 2, read straight from the file."""
    rows = _sheet_rows(folder, source)
    header, data = rows[0], rows[1:]
    keys = [_header_key(h) for h in header]
    explicit = source.get("columns", {}).get("record_id")
    wanted = {_header_key(explicit)} if explicit else RECORD_ID_HEADERS[source["kind"]]
    id_column = next((i for i, k in enumerate(keys) if k in wanted), None)
    ids = []
    for number, row in enumerate(data, start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue  # a blank row is not a data row, but it still takes a row number
        ids.append(str(row[id_column]) if id_column is not None else f"row-{number}")
    return ids


def _truth(folder: Path) -> list[dict[str, str]]:
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_gives_the_same_bytes(dataset: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", PEOPLE, SEED)
    assert _files(tmp_path / "again") == _files(dataset)


def test_another_seed_gives_other_people(dataset: Path, tmp_path: Path) -> None:
    generate(tmp_path / "other", PEOPLE, SEED + 1)
    assert _files(tmp_path / "other")["people.csv"] != _files(dataset)["people.csv"]


def test_manifest_declares_every_kind_and_a_columns_mapping(dataset: Path) -> None:
    sources = _manifest(dataset)
    kinds = [s["kind"] for s in sources]
    assert 4 <= kinds.count("contacts") <= 6
    assert {"keyholders", "mosaic", "postcodes"} <= set(kinds)
    assert all(s["directorate"] for s in sources if s["kind"] == "contacts")
    assert any("columns" in s for s in sources if s["kind"] == "contacts")
    assert all(re.fullmatch(r"[a-z0-9-]+", s["name"]) for s in sources)
    assert all((dataset / s["path"]).is_file() for s in sources)


def test_workbooks_open_and_a_named_sheet_is_not_the_first(dataset: Path) -> None:
    workbooks = [s for s in _manifest(dataset) if s["path"].endswith(".xlsx")]
    assert workbooks
    for source in workbooks:
        book = load_workbook(dataset / source["path"])
        if "sheet" in source:
            assert source["sheet"] in book.sheetnames
            assert book.sheetnames[0] != source["sheet"]
    dated = [c.value for s in workbooks for row in load_workbook(dataset / s["path"]).worksheets[-1].iter_rows()
             for c in row if isinstance(c.value, date)]
    assert dated, "some workbook has real date cells"


def test_csv_files_use_their_declared_encodings(dataset: Path) -> None:
    ct = (dataset / "directorates/counter-terrorism.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        ct.decode("utf-8")
    assert "£" in ct.decode("cp1252")
    assert any(name in ct.decode("cp1252") for name in ACCENTED_FIRST_NAMES)
    roads = (dataset / "directorates/roads-policing.csv").read_bytes()
    assert roads.startswith(b"\xef\xbb\xbf")
    for name in ("directorates/partnerships.csv", "reference/keyholders.csv", "reference/mosaic.csv",
                 "reference/postcodes.csv", "truth.csv", "people.csv"):
        (dataset / name).read_bytes().decode("utf-8")


def test_truth_record_ids_follow_the_contract(dataset: Path) -> None:
    truth = _truth(dataset)
    for source in _manifest(dataset):
        if source["kind"] not in ("contacts", "keyholders"):
            continue
        in_file = _record_ids(dataset, source)
        in_truth = [t["record_id"] for t in truth if t["source"] == source["name"]]
        assert in_file == in_truth, source["name"]
        assert len(set(in_file)) == len(in_file), source["name"]
    assert {t["source"] for t in truth} == {s["name"] for s in _manifest(dataset)
                                            if s["kind"] in ("contacts", "keyholders")}


def test_blank_rows_are_numbered_but_not_truth(dataset: Path) -> None:
    truth = _truth(dataset)
    numbered = sorted(int(t["record_id"][4:]) for t in truth if t["record_id"].startswith("row-")
                      and t["source"] == "np-contacts")
    assert numbered[0] == 2
    assert len(numbered) < numbered[-1] - 1, "a blank row leaves a gap in the row numbers"


def test_truth_has_unusable_rows_namesakes_and_shared_mailboxes(dataset: Path) -> None:
    truth = _truth(dataset)
    assert any(t["usable"] == "false" for t in truth)
    assert any(t["organisation_id"] == "" for t in truth if t["usable"] == "true")
    with (dataset / "people.csv").open(encoding="utf-8", newline="") as handle:
        people = list(csv.DictReader(handle))
    names: dict[tuple[str, str], set[str]] = {}
    for person in people:
        names.setdefault((person["first_name"], person["last_name"]), set()).add(person["person_id"])
    assert any(len(ids) > 1 for ids in names.values())


def test_postcodes_cover_the_wards_and_leave_some_out(dataset: Path) -> None:
    with (dataset / "reference/postcodes.csv").open(encoding="utf-8", newline="") as handle:
        postcodes = {row["pcds"]: row for row in csv.DictReader(handle)}
    assert len({row["ward_name"] for row in postcodes.values()}) == 25
    assert postcodes["EC2R 8AH"]["ward_name"] in ("Cornhill", "Walbrook")
    for row in postcodes.values():
        assert 51.508 <= float(row["lat"]) <= 51.522 and -0.113 <= float(row["long"]) <= -0.072
    seen = set()
    for source in _manifest(dataset):
        if source["kind"] == "contacts":
            seen |= {re.sub(r"\s+", "", v).upper() for row in _sheet_rows(dataset, source) for v in row
                     if isinstance(v, str) and re.fullmatch(r"(?i)ec\d[a-z]?\s*\d[a-z]{2}", v.strip())}
    assert seen - {p.replace(" ", "") for p in postcodes}, "some contact postcodes are not in the file"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], False),
        ([(None, None), (date(2024, 1, 1), None)], False),
        ([(None, True)], True),
        ([(date(2023, 1, 1), True), (date(2024, 1, 1), False)], False),
        ([(date(2024, 1, 1), True), (date(2023, 1, 1), False)], True),
        ([(date(2024, 1, 1), True), (None, False)], True),  # undated counts as oldest
        ([(date(2024, 1, 1), True), (date(2024, 1, 1), False)], False),  # same day: no wins
        ([(None, True), (None, False)], False),
        ([(date(2024, 1, 1), True), (date(2025, 1, 1), None)], True),  # blank is not an answer
    ],
)
def test_merged_consent_follows_section_6(answers: list, expected: bool) -> None:
    assert merged_consent(answers) is expected


def test_cli_writes_a_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--people", "30", "--seed", "5", "--directorates", "4"]) == 0
    assert "total" in capsys.readouterr().out
    assert [s["kind"] for s in _manifest(tmp_path)].count("contacts") == 4


# city_score on a hand-made example: rows a1..a3 are person P1 at org O1, b1..b2 person P2
# with no organisation, c1 is P3 at O1, and x1 is unusable.
TINY_TRUTH = {
    ("s", "a1"): city_score.TruthRow("P1", "O1", True),
    ("s", "a2"): city_score.TruthRow("P1", "O1", True),
    ("s", "a3"): city_score.TruthRow("P1", "O1", True),
    ("s", "b1"): city_score.TruthRow("P2", "", True),
    ("s", "b2"): city_score.TruthRow("P2", "", True),
    ("s", "c1"): city_score.TruthRow("P3", "O1", True),
    ("s", "x1"): city_score.TruthRow("P3", "O1", False),
}


def _clusters(contact: dict[str, str], organisation: dict[str, str]) -> list[dict[str, str]]:
    return ([{"entity_type": "contact", "entity_id": e, "source": "s", "record_id": r} for r, e in contact.items()]
            + [{"entity_type": "organisation", "entity_id": e, "source": "s", "record_id": r}
               for r, e in organisation.items()])


def test_city_score_perfect() -> None:
    result = city_score.score(
        TINY_TRUTH,
        _clusters({"a1": "k1", "a2": "k1", "a3": "k1", "b1": "k2", "b2": "k2", "c1": "k3"},
                  {"a1": "g1", "a2": "g1", "a3": "g1", "c1": "g1"}),
        [{"source": "s", "record_id": "x1", "reason": "no name"}],
    )
    assert (result.contacts.true_pairs, result.contacts.predicted_pairs, result.contacts.f1) == (4, 4, 1.0)
    assert (result.organisations.true_pairs, result.organisations.f1) == (6, 1.0)
    a = result.accounting
    assert (a.usable, a.usable_in_one_contact, a.unusable_quarantined, a.unknown_rows) == (6, 6, 1, 0)


def test_city_score_all_merged() -> None:
    everything = dict.fromkeys(("a1", "a2", "a3", "b1", "b2", "c1"), "k")
    result = city_score.score(TINY_TRUTH, _clusters(everything, everything))
    assert result.contacts.predicted_pairs == 15
    assert result.contacts.recall == 1.0
    assert result.contacts.precision == pytest.approx(4 / 15)
    assert result.contacts.f1 == pytest.approx(2 * (4 / 15) / (1 + 4 / 15))
    assert result.organisations.precision == pytest.approx(6 / 15)
    assert result.accounting.unusable_quarantined == 0


def test_city_score_all_split() -> None:
    singletons = {r: f"k{r}" for r in ("a1", "a2", "a3", "b1", "b2", "c1", "x1")}
    result = city_score.score(TINY_TRUTH, _clusters(singletons, {}))
    assert (result.contacts.predicted_pairs, result.contacts.recall, result.contacts.f1) == (0, 0.0, 0.0)
    assert result.organisations.f1 == 0.0
    assert result.accounting.unusable_clustered == 1
    assert result.accounting.usable_in_one_contact == 6


def test_city_score_command_prints_one_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truth = tmp_path / "truth.csv"
    truth.write_text("source,record_id,person_id,organisation_id,usable\n"
                     "s,r1,P1,O1,true\ns,r2,P1,O1,true\ns,r3,P2,,false\n", encoding="utf-8")
    clusters = tmp_path / "clusters.csv"
    clusters.write_text("entity_type,entity_id,source,record_id\ncontact,c1,s,r1\ncontact,c1,s,s:r2\n"
                        "organisation,o1,s,r1\norganisation,o1,s,r2\n", encoding="utf-8")
    assert city_score.main(["--truth", str(truth), "--clusters", str(clusters)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"contacts\s+1\.0000\s+1\.0000\s+1\.0000", out)
    assert re.search(r"organisations\s+1\.0000\s+1\.0000\s+1\.0000", out)
