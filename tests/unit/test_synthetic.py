"""The synthetic City dataset: reproducible, readable as declared, and its truth matches the contract."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from synthetic.generate import generate, main
from synthetic.reference import ACCENTED_FIRST_NAMES
from synthetic.truth import merged_consent

ROOT = Path(__file__).resolve().parents[2]
PEOPLE, SEED = 80, 3
# Contract section 3: the headers that name the record_id column.
RECORD_ID_HEADERS = {
    "contacts": {"recordid", "id", "ref", "reference", "contactid"},
    "keyholders": {"keyholderid", "recordid"},
    # section 8; groups and sectors have no record_id field, so their rows are row-<n>
    "engagements": {"engagementid", "recordid", "id", "ref"},
    "surveys": {"responseid", "recordid", "id"},
    "groups": set(),
    "sectors": set(),
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


# The engagement record (contract section 8): diaries, groups, sectors, surveys and ward boundaries.

_PERSON = {
    "first_name": ("first name", "forename", "given name", "firstname"),
    "last_name": ("last name", "surname", "family name", "lastname"),
    "full_name": ("name", "full name", "contact name", "contact"),
    "email": ("email", "e-mail", "email address"),
    "mobile": ("mobile", "mobile phone", "mobile number", "cell"),
    "phone": ("phone", "telephone", "tel", "landline", "work phone"),
    "organisation": ("organisation", "organization", "company", "business", "employer", "firm"),
}
# Contract section 8's header synonyms, written out here so the generator is checked against the
# contract rather than against the readers.
SECTION_8 = {
    "engagements": {
        "record_id": ("engagement id", "record id", "id", "ref"),
        "date": ("date", "engagement date", "meeting date", "when"),
        "engagement_type": ("type", "engagement type", "activity", "contact type"),
        "officer": ("officer", "staff member", "owner", "logged by"),
        **_PERSON,
        "subject": ("subject", "title", "topic"),
        "issues": ("issues", "concerns"),
        "notes": ("notes", "summary", "outcome"),
        "directorate": ("directorate",),
    },
    "groups": {
        "group": ("group", "group name", "network", "list"),
        **{f: _PERSON[f] for f in ("organisation", "full_name", "first_name", "last_name", "email", "mobile")},
        "priority_stakeholder": ("priority stakeholder", "key stakeholder", "high priority"),
    },
    "sectors": {
        "organisation": _PERSON["organisation"],
        "sector": ("sector", "industry sector", "industry"),
        "hub": ("hub", "regional hub", "region"),
        "sector_lead": ("sector lead", "industry sector lead", "isl"),
        **{f: _PERSON[f] for f in ("full_name", "first_name", "last_name", "email", "mobile", "phone")},
    },
    "surveys": {
        "record_id": ("response id", "record id", "id"),
        "date": ("date", "submitted", "response date"),
        "score": ("score", "rating", "satisfaction"),
        "question": ("question", "survey"),
        "comment": ("comment", "comments", "feedback"),
        "message_id": ("message id", "alert id"),
        **{f: _PERSON[f] for f in ("full_name", "email", "mobile", "organisation")},
    },
}
RECORD_KINDS = ("engagements", "groups", "sectors", "surveys")
TRUTH_FILES = {"engagements": "engagement_truth.csv", "groups": "group_truth.csv", "sectors": "sector_truth.csv",
               "surveys": "survey_truth.csv"}
SCORES = {"very dissatisfied": 1, "dissatisfied": 2, "neutral": 3, "satisfied": 4, "very satisfied": 5}
PRIORITY_GROUPS = ("City of London Crime Prevention Association", "Sister banks", "Police Committee")
EARLY_TODAY = date(2024, 2, 29)


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset exported on another day than the sample's."""
    out = tmp_path_factory.mktemp("early")
    generate(out, 60, 11, directorates=4, today=EARLY_TODAY)
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _field_of(kind: str, header: object) -> str | None:
    key = _header_key(header)
    return next((name for name, synonyms in SECTION_8[kind].items()
                 if key in {_header_key(s) for s in synonyms}), None)


def _records(folder: Path, source: dict) -> dict[str, dict[str, object]]:
    """Each data row by its record id (contract section 2), cells by canonical field."""
    rows = _sheet_rows(folder, source)
    fields = [_field_of(source["kind"], h) for h in rows[0]]
    ids = iter(_record_ids(folder, source))
    records = {}
    for row in rows[1:]:
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        records[next(ids)] = {f: v for f, v in zip(fields, row, strict=False) if f}
    return records


def _day(value: object) -> date | None:
    """A date as contract section 4 writes it: a date cell, dd/mm/yyyy, ISO, 3 Mar 2024 or 3 March 2024."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    for form in ("%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(str(value).strip(), form).date()
        except ValueError:
            continue
    raise AssertionError(f"not a contract date: {value!r}")


def _record_sources(folder: Path, kind: str) -> list[dict]:
    return [s for s in _manifest(folder) if s["kind"] == kind]


def test_manifest_declares_the_engagement_record(dataset: Path) -> None:
    sources = _manifest(dataset)
    kinds = [s["kind"] for s in sources]
    assert {"engagements", "groups", "sectors", "surveys", "wards"} <= set(kinds)
    assert [s["path"] for s in sources if s["kind"] == "wards"] == ["reference/wards.geojson"]
    diaries = _record_sources(dataset, "engagements")
    assert any("directorate" in s for s in diaries), "a directorate's own diary names it in the manifest"
    for source in (s for s in diaries if "directorate" not in s):
        header = [_field_of("engagements", h) for h in _sheet_rows(dataset, source)[0]]
        assert "directorate" in header, f"{source['name']}: a shared log says whose each row is"
    for source in sources:
        if source["kind"] in RECORD_KINDS:
            assert source["path"].endswith((".csv", ".xlsx")), source["path"]
            assert (dataset / source["path"]).is_file()


def test_engagement_record_headers_are_section_8_synonyms(dataset: Path) -> None:
    required = {"engagements": {"date"}, "groups": {"group"}, "sectors": {"sector", "organisation"},
                "surveys": {"score", "date"}}
    for kind in RECORD_KINDS:
        sources = _record_sources(dataset, kind)
        assert len(sources) >= 2, f"more than one {kind} file, in different house styles"
        headers = []
        for source in sources:
            header = _sheet_rows(dataset, source)[0]
            fields = [_field_of(kind, h) for h in header]
            assert None not in fields, (source["name"], dict(zip(header, fields, strict=True)))
            assert len(set(fields)) == len(fields), source["name"]
            assert required[kind] <= set(fields), source["name"]
            headers.append(tuple(header))
        assert len(set(headers)) == len(headers), f"the {kind} files vary their headers"


def test_engagement_record_truth_covers_every_row(dataset: Path) -> None:
    for kind, truth_file in TRUTH_FILES.items():
        truth = _read_csv(dataset / truth_file)
        sources = _record_sources(dataset, kind)
        assert {t["source"] for t in truth} == {s["name"] for s in sources}
        for source in sources:
            in_file = _record_ids(dataset, source)
            assert in_file == [t["record_id"] for t in truth if t["source"] == source["name"]], source["name"]
            assert len(set(in_file)) == len(in_file), source["name"]


def _dated_cells(folder: Path) -> list[tuple[str, date]]:
    """(source, day) for every date on a diary or survey row, and every list's last contacted or verified."""
    list_dates = {"lastcontacted", "lastcontact", "datelastcontacted", "lastupdated", "lastverified",
                  "dateverified", "verified"}
    days = []
    for source in _manifest(folder):
        if source["kind"] in ("engagements", "surveys"):
            days += [(source["name"], _day(r["date"])) for r in _records(folder, source).values()]
        elif source["kind"] in ("contacts", "keyholders"):
            rows = _sheet_rows(folder, source)
            columns = [i for i, h in enumerate(rows[0]) if _header_key(h) in list_dates]
            days += [(source["name"], _day(row[i])) for row in rows[1:] for i in columns if i < len(row)]
    return [(name, day) for name, day in days if day is not None]


@pytest.mark.parametrize(("folder", "today"), [("dataset", date(2025, 7, 1)), ("early", EARLY_TODAY)])
def test_no_date_is_after_today(folder: str, today: date, request: pytest.FixtureRequest) -> None:
    data: Path = request.getfixturevalue(folder)
    days = _dated_cells(data)
    assert {name for name, _ in days} >= {s["name"] for s in _manifest(data)
                                          if s["kind"] in ("engagements", "surveys")}
    assert all(day <= today for _, day in days), max(days, key=lambda d: d[1])
    record_days = [day for name, day in days if name in {s["name"] for s in _manifest(data)
                                                          if s["kind"] in ("engagements", "surveys")}]
    assert min(record_days) >= today - timedelta(days=731), "the diaries cover the last two years"
    assert max(record_days) >= today - timedelta(days=60)
    first_line = (data / "manifest.yaml").read_text(encoding="utf-8").splitlines()[0]
    if folder == "early":  # the default today is left out of the command, so the sample's line stays as it was
        assert first_line.endswith(f"--today {today.isoformat()}")
    else:
        assert "--today" not in first_line


def test_diary_rows_match_their_truth_and_a_few_name_nobody(dataset: Path) -> None:
    people = {p["person_id"]: p for p in _read_csv(dataset / "people.csv")}
    known_emails = {p["email"].lower() for p in people.values()}
    known_surnames = {p["last_name"].lower() for p in people.values()}
    truth = {(t["source"], t["record_id"]): t for t in _read_csv(dataset / "engagement_truth.csv")}
    for source in _record_sources(dataset, "engagements"):
        about = []
        for record_id, cells in _records(dataset, source).items():
            t = truth[(source["name"], record_id)]
            about.append(t["about"])
            assert _day(cells["date"]).isoformat() == t["date"]
            assert str(cells["engagement_type"]).lower() == t["engagement_type"]
            assert t["directorate"] == source.get("directorate", cells.get("directorate"))
            email = str(cells.get("email") or "").strip().lower()
            surname = str(cells.get("last_name") or cells.get("full_name") or "").replace(",", " ").split()
            if t["about"] == "nobody":
                assert not t["person_id"] and not t["organisation_id"]
                assert email not in known_emails
                assert not {w.lower() for w in surname} & known_surnames, cells
            if t["person_id"]:
                assert t["person_id"] in people, "an engagement names only someone a usable row brought in"
                assert not email or email == people[t["person_id"]]["email"].lower()
            if t["about"] in ("organisation", "person_and_organisation"):
                assert cells.get("organisation")
        assert "nobody" in about, f"{source['name']} has a row naming nobody the graph knows"
        assert about.count("nobody") <= max(2, len(about) // 20)
        assert {"person", "organisation"} <= {a.split("_")[0] for a in about}


def test_ward_boundaries_are_valid_wgs84_polygons_holding_their_postcodes(dataset: Path) -> None:
    collection = json.loads((dataset / "reference/wards.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    wards = {}
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for ring in (ring for polygon in polygons for ring in polygon):
            assert ring[0] == ring[-1] and len(ring) >= 4, "a closed ring"
            assert all(-0.12 <= lon <= -0.06 and 51.50 <= lat <= 51.53 for lon, lat in ring), "longitude, latitude"
        boundary = shape(geometry)
        assert boundary.is_valid, feature["properties"]["name"]
        wards[feature["properties"]["name"]] = boundary
    with (dataset / "reference/postcodes.csv").open(encoding="utf-8", newline="") as handle:
        postcodes = list(csv.DictReader(handle))
    assert set(wards) == {p["ward_name"] for p in postcodes}
    for postcode in postcodes:
        assert wards[postcode["ward_name"]].covers(Point(float(postcode["long"]), float(postcode["lat"]))), postcode
    assert unary_union(list(wards.values())).area == pytest.approx(sum(w.area for w in wards.values())), "no overlaps"


def test_priority_groups_and_their_members(dataset: Path) -> None:
    truth = _read_csv(dataset / "group_truth.csv")
    members = _read_csv(dataset / "group_members.csv")
    people = {p["person_id"] for p in _read_csv(dataset / "people.csv")}
    priority = {t["group"] for t in truth if t["priority_stakeholder"] == "true"}
    assert priority == set(PRIORITY_GROUPS)
    assert {"CCTV owners", "Licensed premises forum"} <= {t["group"] for t in truth}
    for row in truth:
        assert bool(row["person_id"]) != bool(row["organisation_id"]), "a row names a person or an organisation"
    for group in PRIORITY_GROUPS:
        assert any(m["group"] == group for m in members), group
    assert {m["person_id"] for m in members} <= people
    # Through an organisation: exactly the people whose usable contact rows name it (contract section 6).
    contact_sources = {s["name"] for s in _manifest(dataset) if s["kind"] == "contacts"}
    works_for: dict[str, set[str]] = {}
    for row in _truth(dataset):
        if row["source"] in contact_sources and row["usable"] == "true" and row["organisation_id"]:
            works_for.setdefault(row["organisation_id"], set()).add(row["person_id"])
    for row in (t for t in truth if t["organisation_id"]):
        through = {m["person_id"] for m in members if m["group"] == row["group"]
                   and m["organisation_id"] == row["organisation_id"]}
        assert through == works_for.get(row["organisation_id"], set()), row
    for source in _record_sources(dataset, "groups"):
        by_id = {(t["source"], t["record_id"]): t for t in truth}
        for record_id, cells in _records(dataset, source).items():
            flag = str(cells.get("priority_stakeholder") or "").lower()
            expected = by_id[(source["name"], record_id)]["priority_stakeholder"] == "true"
            assert (flag in ("yes", "y", "true")) is expected, (record_id, cells)


def test_every_sector_has_a_lead_and_every_organisation_one_sector(dataset: Path) -> None:
    truth = _read_csv(dataset / "sector_truth.csv")
    people = {p["person_id"] for p in _read_csv(dataset / "people.csv")}
    organisation_rows = [t for t in truth if not t["person_id"]]
    sector_of = {t["organisation_id"]: t["sector"] for t in organisation_rows}
    assert len(sector_of) == len(organisation_rows), "each organisation in one sector"
    leads = [t for t in truth if t["sector_lead"] == "true"]
    assert set(sector_of.values()) == {t["sector"] for t in leads}
    for lead in leads:
        assert lead["person_id"] in people
        assert sector_of[lead["organisation_id"]] == lead["sector"]
    assert all(1 <= sum(t["sector"] == s for t in leads) <= 2 for s in set(sector_of.values()))
    by_id = {(t["source"], t["record_id"]): t for t in truth}
    written = []
    for source in _record_sources(dataset, "sectors"):
        for record_id, cells in _records(dataset, source).items():
            t = by_id[(source["name"], record_id)]
            written.append(cells["sector"])
            # Sector and hub names match case- and spacing-insensitively (contract section 8).
            for name in ("sector", "hub"):
                assert " ".join(str(cells[name]).split()).lower() == t[name].lower()
            if t["sector_lead"] == "true":
                assert cells.get("email") and (cells.get("full_name") or cells.get("last_name"))
    assert any(w != " ".join(w.split()) or w.isupper() or w.islower() for w in written), "some untidy spellings"


def test_survey_scores_and_respondents(dataset: Path) -> None:
    truth = {(t["source"], t["record_id"]): t for t in _read_csv(dataset / "survey_truth.csv")}
    people = {p["person_id"] for p in _read_csv(dataset / "people.csv")}
    words = False
    for source in _record_sources(dataset, "surveys"):
        for record_id, cells in _records(dataset, source).items():
            t = truth[(source["name"], record_id)]
            score = cells["score"]
            words |= str(score).lower() in SCORES
            parsed = SCORES.get(str(score).lower()) or int(score)
            assert parsed == int(t["score"]) and 1 <= parsed <= 5
            named = bool(cells.get("email") or cells.get("mobile") or cells.get("full_name"))
            assert named is (t["respondent"] != "anonymous"), (record_id, cells, t)
            assert (t["person_id"] in people) if t["respondent"] == "contact" else not t["person_id"]
            assert not cells.get("message_id")
    assert words, "some scores are the words"
    assert {t["respondent"] for t in truth.values()} == {"contact", "anonymous", "unknown"}


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
