"""`stakeholders report` on a hand-made engagement record whose truth is known: the real sync, the real CLI,
a real Neo4j. Every expected figure below is worked out from the rows written here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from accounts.users import AccountStore
from pipelines.cli import main

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j

POSTCODES = """
postcode,latitude,longitude,ward,district
EC2R 8AH,51.5134,-0.0890,Cornhill,City of London
EC2V 7HH,51.5149,-0.0930,Cheap,City of London
EC3N 4AB,51.5098,-0.0766,Tower,City of London
"""
# Sam Secret is restricted ("Sensitive"); Robert Okafor is on both lists: known to two directorates.
ECD = """
Ref,Forename,Surname,Company,E-mail,Mobile,Post Code,Stakeholder Type,Priority,Sensitive
E1,Robert,Okafor,Acme Insurance Ltd,robert.okafor@acme.co.uk,07700 900123,EC2R 8AH,business,H,
E2,Priya,Shah,Guildhall Hotel,priya.shah@guildhall.co.uk,07700 900124,EC2V 7HH,business,M,
E3,Tom,Baker,Guildhall Hotel,tom.baker@guildhall.co.uk,07700 900125,EC2V 7HH,business,L,
E4,Sam,Secret,Acme Insurance Ltd,sam.secret@acme.co.uk,07700 900333,EC2R 8AH,business,H,y
"""
CT = """
Name,Organisation,Email,Mobile,Postcode,Category,Priority
Robert Okafor,Acme Insurance Ltd,robert.okafor@acme.co.uk,07700 900123,EC2R 8AH,business,high
Olivia Farrow,City Residents Association,olivia@residents.org.uk,07700 900444,EC3N 4AB,resident,medium
Dan Resident,,dan@residents.example,07700 900555,EC3N 4AB,resident,low
"""
AS_OF = dt.date(2026, 6, 30)
ENGAGEMENTS = """
Engagement ID,Date,Type,Officer,Name,Email,Organisation,Subject,Issues,Notes
D1,2026-06-10,Meeting,PC Smith,Robert Okafor,robert.okafor@acme.co.uk,,Protest planning,protest,
D2,2026-02-01,Call,PC Smith,Robert Okafor,robert.okafor@acme.co.uk,,Follow-up,,
D3,2026-04-15,Visit,PS Jones,Priya Shah,priya.shah@guildhall.co.uk,,Hotel security,,
D4,2025-09-01,Briefing,PS Jones,,,Guildhall Hotel,Counter terrorism briefing,terrorism,
D5,2024-01-10,Meeting,PS Jones,Olivia Farrow,olivia@residents.org.uk,,Residents meeting,,
"""
# The hotel is a priority stakeholder, and so its people; Dan and Sam through the residents' forum.
GROUPS = """
Group,Organisation,Name,Email,Priority stakeholder
Business Crime Reduction Partnership,Guildhall Hotel,,,yes
Residents Forum,,Dan Resident,dan@residents.example,yes
Residents Forum,,Sam Secret,sam.secret@acme.co.uk,yes
CoLCPA,,Robert Okafor,robert.okafor@acme.co.uk,no
"""
SECTORS = """
Organisation,Sector,Hub,Sector lead,Name,Email
Acme Insurance Ltd,Finance,London,no,,
Guildhall Hotel,Hospitality,London,no,,
"""
# March: 5, 4, 2 from people anyone may see, and 1 from Sam (restricted); April: one anonymous 3, Olivia's 5.
SURVEYS = """
Response ID,Submitted,Rating,Question,Feedback,Email
S1,2026-03-02,5,How satisfied,,robert.okafor@acme.co.uk
S2,2026-03-10,4,How satisfied,,priya.shah@guildhall.co.uk
S3,2026-03-20,2,How satisfied,,tom.baker@guildhall.co.uk
S4,2026-03-15,1,How satisfied,,sam.secret@acme.co.uk
S5,2026-04-05,3,How satisfied,,
S6,2026-04-06,very satisfied,How satisfied,,olivia@residents.org.uk
"""
MANIFEST = """
sources:
  - {name: ecd, kind: contacts, directorate: Economic Crime, path: ecd.csv}
  - {name: ct, kind: contacts, directorate: Counter Terrorism, path: ct.csv}
  - {name: onspd, kind: postcodes, path: postcodes.csv}
  - {name: diary, kind: engagements, directorate: Counter Terrorism, path: engagements.csv}
  - {name: groups, kind: groups, path: groups.csv}
  - {name: sectors, kind: sectors, path: sectors.csv}
  - {name: surveys, kind: surveys, path: surveys.csv}
"""


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


@pytest.fixture
def synced(cli: Cli, tmp_path: Path) -> Cli:
    for name, text in (("postcodes.csv", POSTCODES), ("ecd.csv", ECD), ("ct.csv", CT),
                       ("engagements.csv", ENGAGEMENTS), ("groups.csv", GROUPS), ("sectors.csv", SECTORS),
                       ("surveys.csv", SURVEYS)):
        write(tmp_path / "data" / name, text)
    result = cli("sync", "--manifest", str(write(tmp_path / "data" / "manifest.yaml", MANIFEST)))
    assert result.code == 0, result.err
    return cli


def _json(cli: Cli, *args: str) -> list[dict]:
    result = cli("report", *args, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def _by(rows: list[dict], *keys: str) -> dict:
    return {tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]: row for row in rows}


def test_satisfaction_per_month_leaves_a_restricted_respondent_out_and_counts_the_anonymous(synced: Cli):
    months = _by(_json(synced, "satisfaction"), "period")
    march, april = months["2026-03"], months["2026-04"]
    # 5, 4, 2: mean 11/3 = 3.7, two of three satisfied; Sam's 1 is not there for messaging
    assert (march["responses"], march["mean_score"], march["satisfied"], march["satisfied_pct"]) == (3, 3.7, 2, 67)
    assert march["anonymous"] == 0
    # the anonymous 3 and Olivia's "very satisfied" (5): mean 4.0, one of two satisfied
    assert (april["responses"], april["mean_score"], april["satisfied_pct"], april["anonymous"]) == (2, 4.0, 50, 1)
    assert set(months) == {"2026-03", "2026-04"}

    spoc = _by(_json(synced, "satisfaction", "--role", "spoc"), "period")["2026-03"]
    # with Sam's 1: (5 + 4 + 2 + 1) / 4 = 3.0, two of four satisfied
    assert (spoc["responses"], spoc["mean_score"], spoc["satisfied_pct"]) == (4, 3.0, 50)


def test_satisfaction_as_csv_by_week_and_between_dates(synced: Cli):
    result = synced("report", "satisfaction", "--by", "week", "--since", "2026-03-03", "--until", "2026-04-05")
    assert result.code == 0, result.err
    weeks = _by(result.csv_rows(), "period")
    # 2026-03-02 (S1) is before --since; 2026-03-10 (Tue) is W11, 03-20 (Fri) W12, 04-05 (Sun) W14; 04-06 after --until
    assert list(weeks) == ["2026-W11", "2026-W12", "2026-W14"]
    assert weeks["2026-W11"] == {"period": "2026-W11", "responses": "1", "mean_score": "4.0", "satisfied": "1",
                                 "satisfied_pct": "100", "anonymous": "0"}
    assert weeks["2026-W14"]["anonymous"] == "1"
    assert "restricted contacts left out" in result.err


def test_satisfaction_by_directorate_counts_a_contact_in_both_of_its_directorates(synced: Cli):
    rows = _by(_json(synced, "satisfaction", "--group-by", "directorate"), "period", "directorate")
    # Robert (5) is on both lists; Priya (4) and Tom (2) on Economic Crime's only
    assert rows["2026-03", "Economic Crime"]["responses"] == 3
    assert rows["2026-03", "Economic Crime"]["mean_score"] == 3.7
    assert (rows["2026-03", "Counter Terrorism"]["responses"], rows["2026-03", "Counter Terrorism"]["mean_score"]) == \
        (1, 5.0)
    assert rows["2026-04", "(anonymous)"]["responses"] == 1 and rows["2026-04", "(anonymous)"]["anonymous"] == 1
    assert rows["2026-04", "Counter Terrorism"]["responses"] == 1  # Olivia
    assert ("2026-03", "(anonymous)") not in rows


@pytest.mark.parametrize(("group_by", "expected"), [
    ("ward", {("2026-03", "Cornhill"): (1, 5.0), ("2026-03", "Cheap"): (2, 3.0), ("2026-04", "Tower"): (1, 5.0),
              ("2026-04", "(anonymous)"): (1, 3.0)}),
    ("sector", {("2026-03", "Finance"): (1, 5.0), ("2026-03", "Hospitality"): (2, 3.0),
                ("2026-04", "(none)"): (1, 5.0), ("2026-04", "(anonymous)"): (1, 3.0)}),
    ("category", {("2026-03", "business"): (3, 3.7), ("2026-04", "resident"): (1, 5.0),
                  ("2026-04", "(anonymous)"): (1, 3.0)}),
])
def test_satisfaction_by_ward_sector_and_category(synced: Cli, group_by: str, expected: dict):
    rows = _json(synced, "satisfaction", "--group-by", group_by)
    assert {(r["period"], r[group_by]): (r["responses"], r["mean_score"]) for r in rows} == expected


def test_engagement_coverage_in_30_90_and_365_days(synced: Cli):
    (everyone,) = _json(synced, "engagement", "--as-of", AS_OF.isoformat())
    # messaging sees Robert, Priya, Tom, Olivia and Dan (not Sam). As of 30 June 2026: Robert met on 10 June
    # (20 days); Priya on 15 April (76 days); Tom only through the hotel's briefing of 1 September 2025 (302
    # days); Olivia in January 2024; Dan never.
    assert everyone == {"stakeholders": 5, "engaged_30d": 1, "engaged_90d": 2, "engaged_365d": 3,
                        "share_30d": 20, "share_90d": 40, "share_365d": 60}
    (spoc,) = _json(synced, "engagement", "--as-of", AS_OF.isoformat(), "--role", "spoc")
    assert (spoc["stakeholders"], spoc["engaged_30d"], spoc["share_30d"], spoc["share_365d"]) == (6, 1, 17, 50)


@pytest.mark.parametrize(("as_of", "within"), [
    # 1 May: the June meeting is later and does not count, Robert's last is the call of 1 February (89 days);
    # Priya's visit was 16 days before; Tom's briefing 242 days
    ("2026-05-01", (1, 2, 3)),
    ("2026-07-10", (1, 2, 3)),  # Robert's meeting exactly 30 days before: within 30 days
    ("2026-07-11", (0, 2, 3)),  # 31 days: not any more; Priya's visit 87 days before
    ("2026-09-01", (0, 1, 3)),  # the hotel's briefing exactly 365 days before still counts for Tom
    ("2026-09-02", (0, 1, 2)),
    ("2023-12-31", (0, 0, 0)),  # before any engagement
])
def test_the_windows_count_back_from_the_as_of_day(synced: Cli, as_of: str, within: tuple):
    (everyone,) = _json(synced, "engagement", "--as-of", as_of)
    assert (everyone["engaged_30d"], everyone["engaged_90d"], everyone["engaged_365d"]) == within


def test_engagement_coverage_per_group_and_ward(synced: Cli):
    groups = _by(_json(synced, "engagement", "--as-of", AS_OF.isoformat(), "--group-by", "group"), "group")
    # the partnership is the hotel's: Priya and Tom through it; the forum is Dan's (Sam's too, unseen)
    partnership = groups["Business Crime Reduction Partnership"]
    assert (partnership["stakeholders"], partnership["engaged_90d"], partnership["engaged_365d"]) == (2, 1, 2)
    assert (groups["Residents Forum"]["stakeholders"], groups["Residents Forum"]["engaged_365d"]) == (1, 0)
    assert (groups["CoLCPA"]["stakeholders"], groups["CoLCPA"]["engaged_30d"]) == (1, 1)
    assert groups["(none)"]["stakeholders"] == 1  # Olivia
    wards = _by(_json(synced, "engagement", "--as-of", AS_OF.isoformat(), "--group-by", "ward", "--role", "spoc"),
                "ward")
    assert {w: (r["stakeholders"], r["engaged_365d"]) for w, r in wards.items()} == {
        "Cheap": (2, 2), "Cornhill": (2, 1), "Tower": (2, 0)}  # Cornhill: Robert and (for a SPOC) Sam


def test_the_neglected_priority_stakeholders_for_monday(synced: Cli):
    result = synced("report", "engagement", "--neglected-priority", "--as-of", AS_OF.isoformat())
    assert result.code == 0, result.err
    rows = result.csv_rows()
    # Dan was never engaged; Tom's last was the hotel's briefing; Priya and the hotel itself (through Priya's
    # visit) were engaged within 90 days; Robert is not a priority stakeholder; Sam is restricted
    assert [(r["name"], r["kind"], r["last_engaged"]) for r in rows] == [
        ("Dan Resident", "contact", "never"), ("Tom Baker", "contact", "2025-09-01")]
    tom = rows[1]
    assert tom["organisation"] == "Guildhall Hotel" and tom["groups"] == "Business Crime Reduction Partnership"
    assert tom["days_since"] == str((AS_OF - dt.date(2025, 9, 1)).days) and tom["id"].startswith("C-")
    assert rows[0]["groups"] == "Residents Forum" and rows[0]["days_since"] == ""
    assert "2 priority stakeholder(s)" in result.err and "1 never engaged" in result.err

    spoc = _json(synced, "engagement", "--neglected-priority", "--as-of", AS_OF.isoformat(), "--role", "spoc")
    assert [r["name"] for r in spoc] == ["Dan Resident", "Sam Secret", "Tom Baker"]
    assert spoc[1]["last_engaged"] is None and spoc[1]["organisation"] == ["Acme Insurance Ltd"]

    # within 30 days, the hotel itself has gone unengaged too (its last: Priya's visit of 15 April), and Priya
    later = _json(synced, "engagement", "--neglected-priority", "--as-of", AS_OF.isoformat(), "--days", "30")
    assert [(r["kind"], r["name"]) for r in later] == [
        ("contact", "Dan Resident"), ("contact", "Tom Baker"), ("organisation", "Guildhall Hotel"),
        ("contact", "Priya Shah")]

    # as of 1 March 2026, Priya's visit was still to come: she, Tom and the hotel were last engaged through the
    # hotel's briefing of 1 September 2025
    earlier = _json(synced, "engagement", "--neglected-priority", "--as-of", "2026-03-01")
    assert [(r["name"], r["last_engaged"]) for r in earlier] == [
        ("Dan Resident", None), ("Guildhall Hotel", "2025-09-01"), ("Priya Shah", "2025-09-01"),
        ("Tom Baker", "2025-09-01")]


def test_reports_are_recorded_in_the_audit_log_with_ids_only(synced: Cli, tmp_path: Path):
    synced("report", "engagement", "--neglected-priority", "--as-of", AS_OF.isoformat())
    entries = [json.loads(line) for line in (tmp_path / "home" / "audit.jsonl").read_text().splitlines()]
    drawn = [e for e in entries if e["action"] == "report drawn"][-1]
    assert drawn["details"]["rows"] == 2 and len(drawn["details"]["ids"]) == 2
    assert "Tom" not in json.dumps(drawn) and "Dan" not in json.dumps(drawn)


def test_a_bad_value_is_a_usage_error(synced: Cli, capsys):
    for args in (["satisfaction", "--by", "year"], ["satisfaction", "--group-by", "postcode"],
                 ["engagement", "--as-of", "30/06/2026"], ["engagement", "--group-by", "sector"]):
        with pytest.raises(SystemExit) as exit_:
            main(["report", *args])
        assert exit_.value.code == 2
        assert "argument" in capsys.readouterr().err  # argparse names the argument and what it takes
    result = synced("report", "satisfaction", "--since", "2026-04-01", "--until", "2026-03-01")
    assert result.code == 2 and "after --until" in result.err
    result = synced("report", "engagement", "--days", "30")
    assert result.code == 2 and "--neglected-priority" in result.err


def test_with_accounts_only_a_spoc_may_count_restricted_contacts(synced: Cli, tmp_path: Path, monkeypatch):
    accounts = AccountStore(tmp_path / "home")
    accounts.add_user("mo", "messaging", "a long enough passphrase")
    accounts.add_user("sara", "spoc", "a long enough passphrase")
    accounts.add_user("ada", "admin", "a long enough passphrase")
    monkeypatch.setenv("STAKEHOLDERS_USER", "mo")
    assert synced("report", "satisfaction").code == 0
    refused = synced("report", "satisfaction", "--role", "spoc")
    assert refused.code == 1 and "may not use --role spoc" in refused.err
    monkeypatch.setenv("STAKEHOLDERS_USER", "sara")
    assert synced("report", "engagement", "--role", "spoc", "--as-of", AS_OF.isoformat()).code == 0
    monkeypatch.setenv("STAKEHOLDERS_USER", "ada")
    assert synced("report", "engagement").code == 1  # an admin manages accounts, not stakeholders


def test_report_commands_have_help(capsys):
    for command in (["report"], ["report", "satisfaction"], ["report", "engagement"]):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--help"])
        assert exit_.value.code == 0
        shown = capsys.readouterr().out
        assert "usage: stakeholders" in shown
        if command[-1] == "satisfaction":
            assert "counts in both" in " ".join(shown.split())


def test_an_erased_contact_leaves_the_reports_at_once(synced: Cli):
    robert = next(r["entity_id"] for r in synced("export", "clusters").csv_rows()
                  if r["entity_type"] == "contact" and r["source"] == "ecd" and r["record_id"] == "E1")
    assert synced("forget", robert, "--why", "ticket 1").code == 0
    (everyone,) = _json(synced, "engagement", "--as-of", AS_OF.isoformat())
    assert (everyone["stakeholders"], everyone["engaged_30d"], everyone["engaged_90d"]) == (4, 0, 1)
    march = _by(_json(synced, "satisfaction"), "period")["2026-03"]
    assert (march["responses"], march["mean_score"]) == (2, 3.0)  # Priya's 4 and Tom's 2
