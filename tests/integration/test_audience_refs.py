"""The command line's Include / Exclude / Must be and polygon (data contract section 9), as the web
builder has them: every list a set of contact IDs or organisations' people."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cli_helpers import Cli
from .test_sync_and_audience import city  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, clean_graph, tmp_path, city: Path) -> Cli:  # noqa: F811
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")
    assert cli("sync", "--manifest", str(city)).code == 0
    return cli


def _people(cli: Cli, *args: str) -> dict[str, dict]:
    result = cli("audience", *args, "--format", "json")
    assert result.code == 0, result.err
    return {r["name"]: r for r in result.json()}


def test_include_exclude_and_must_be(cli: Cli):
    everyone = _people(cli)
    protest = _people(cli, "--issue", "protest")
    outsider = next(r for name, r in everyone.items() if name not in protest)
    assert outsider["name"] in _people(cli, "--issue", "protest", "--include", outsider["contact_id"])
    one = next(iter(protest.values()))
    assert one["name"] not in _people(cli, "--issue", "protest", "--exclude", one["contact_id"])
    # an organisation someone in the audience works for: a contact row that also names it (export clusters)
    rows = cli("export", "clusters").csv_rows()
    contact_of = {(r["source"], r["record_id"]): r["entity_id"] for r in rows if r["entity_type"] == "contact"}
    reached = {r["contact_id"] for r in everyone.values()}
    org_id = next(r["entity_id"] for r in rows if r["entity_type"] == "organisation"
                  and contact_of.get((r["source"], r["record_id"])) in reached)
    within = _people(cli, "--within", org_id)
    assert within and set(within) <= set(everyone)
    assert len({r["organisation"] for r in within.values()}) == 1  # only the people of that organisation
    assert _people(cli, "--within", one["contact_id"]).keys() <= {one["name"]}


def test_a_polygon_keeps_the_people_inside_it(cli: Cli):
    around_cornhill = "51.5125,-0.0905;51.5145,-0.0905;51.5145,-0.0875;51.5125,-0.0875"
    inside = _people(cli, "--polygon", around_cornhill, "--role", "messaging")
    assert inside.keys() == _people(cli, "--ward", "Cornhill").keys()


@pytest.mark.parametrize(("args", "said"), [(("--include", "bob"), "contact ID"),
                                            (("--polygon", "51.5,-0.1;51.6,-0.1"), "three")])
def test_a_reference_or_polygon_that_is_not_one_is_a_usage_error(cli: Cli, args, said):
    result = cli("audience", *args)
    assert result.code == 2 and said in result.err and "Traceback" not in result.err


def test_a_saved_audience_is_a_reference_too(cli: Cli, neo4j_connection):
    from graph.store import GraphStore
    from services.saved_audiences import AudienceForm

    with GraphStore(neo4j_connection) as store:
        store.save_audience("terrorism list", AudienceForm(issues=("terrorism",)).to_json(), "ann", "2026-12-01")
    terrorism = _people(cli, "--issue", "terrorism")
    assert terrorism and _people(cli, "--within", "saved:terrorism list").keys() == terrorism.keys()
    both = _people(cli, "--issue", "protest", "--include", "saved:terrorism list")
    assert set(terrorism) <= set(both)
    assert not set(terrorism) & set(_people(cli, "--exclude", "saved:terrorism list"))
    unknown = cli("audience", "--include", "saved:nothing like it")
    assert unknown.code == 2 and "terrorism list" in unknown.err


def test_a_must_be_list_that_names_nobody_keeps_nobody(cli: Cli, neo4j_connection):
    from graph.store import GraphStore
    from services.saved_audiences import AudienceForm

    with GraphStore(neo4j_connection) as store:
        store.save_audience("nobody", AudienceForm(issues=("fraud",), wards=("Tower",)).to_json(), "ann", "2026-12-01")
    assert _people(cli, "--issue", "protest") and _people(cli, "--issue", "protest", "--within", "saved:nobody") == {}
