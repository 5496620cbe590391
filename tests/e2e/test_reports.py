"""The report pages in the real browser, over the sample with an engagement record added whose truth is known:
three survey responses last month (5, 4 and an anonymous 2), and a priority stakeholder last met 200 days ago."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from playwright.sync_api import expect

from .conftest import REPO_ROOT, screenshot

pytestmark = pytest.mark.neo4j

TODAY = dt.date.today()
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the first day of last month
MET_LAURA = TODAY - dt.timedelta(days=200)


@pytest.fixture(scope="module")
def engagement_record(web_app, tmp_path_factory) -> dict:
    """The sample synced again with engagements, a priority group and surveys; Laura Chen's contact ID."""
    folder = tmp_path_factory.mktemp("sample-with-engagements")
    shutil.copytree(REPO_ROOT / "sample", folder, dirs_exist_ok=True)
    day = [(MONTH + dt.timedelta(days=n)).isoformat() for n in (1, 5, 10)]
    (folder / "engagements.csv").write_text(
        "Engagement ID,Date,Type,Officer,Name,Email,Organisation,Subject\n"
        f"E1,{MET_LAURA.isoformat()},Meeting,PC Smith,Laura Chen,laura.chen@mitchelltaylor.com,,Fraud briefing\n"
        f"E2,{(TODAY - dt.timedelta(days=10)).isoformat()},Phone call,PC Smith,Jonathan Hepby,jhepby@icloud.com,,\n",
        encoding="utf-8")
    (folder / "groups.csv").write_text(
        "Group,Organisation,Name,Email,Priority stakeholder\n"
        "CoLCPA,,Laura Chen,laura.chen@mitchelltaylor.com,yes\n", encoding="utf-8")
    (folder / "surveys.csv").write_text(
        "Response ID,Submitted,Rating,Question,Feedback,Email\n"
        f"S1,{day[0]},5,How satisfied,,laura.chen@mitchelltaylor.com\n"
        f"S2,{day[1]},4,How satisfied,,jhepby@icloud.com\n"
        f"S3,{day[2]},2,How satisfied,,\n", encoding="utf-8")
    manifest = folder / "manifest.yaml"
    # these three files in place of the sample's own engagement record, whose figures would blur theirs
    listed = yaml.safe_load(manifest.read_text(encoding="utf-8"))["sources"]
    record_kinds = ("engagements", "groups", "sectors", "surveys")
    sources = [s for s in listed if s["kind"] not in record_kinds]
    removed = [arg for s in listed if s["kind"] in record_kinds for arg in ("--accept-removal", s["name"])]
    sources += [{"name": "diary", "kind": "engagements", "directorate": "Counter Terrorism", "path": "engagements.csv"},
                {"name": "groups", "kind": "groups", "path": "groups.csv"},
                {"name": "surveys", "kind": "surveys", "path": "surveys.csv"}]
    manifest.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")
    assert web_app.cli("sync", "--manifest", str(manifest), *removed) == 0
    with web_app.store.session() as session:
        laura = session.run("MATCH (c:Contact {email: 'laura.chen@mitchelltaylor.com'}) RETURN c.id AS id").single()
    return {"laura": laura["id"]}


def test_the_satisfaction_page_draws_the_chart_beside_the_table(sign_in, engagement_record):
    page = sign_in("messaging")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Satisfaction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Satisfaction")
    chart = page.get_by_role("img", name="Mean score per month (1 to 5, 5 best)")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text(f"In {MONTH:%Y-%m}, all responses: 3.7")
    expect(page.get_by_role("img", name="Share satisfied (a score of 4 or 5) per month")).to_be_visible()
    expect(page.get_by_role("img", name="Responses per month")).to_be_visible()
    row = page.get_by_role("table", name="Survey responses per month").get_by_role("row", name=f"{MONTH:%Y-%m}")
    # 5, 4 and 2: three responses, mean 3.7, two of three satisfied, one anonymous
    expect(row.locator("td")).to_have_text(["3", "3.7", "2", "67%", "1"])
    screenshot(page, "report-satisfaction")

    page.get_by_label("Group by").select_option("ward")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Survey responses per month and ward")
    expect(table.get_by_role("cell", name="(anonymous)")).to_be_visible()
    expect(page.get_by_role("list", name="Lines in the charts")).to_contain_text("(anonymous)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0] == "period,ward,responses,mean_score,satisfied,satisfied_pct,anonymous"
    assert f"{MONTH:%Y-%m},(anonymous),1,2.0,0,0,1" in lines
    screenshot(page, "report-satisfaction-by-ward")


def test_the_engagement_page_lists_a_neglected_priority_stakeholder_with_a_link_to_their_profile(
        sign_in, engagement_record):
    page = sign_in("steward")
    page.goto("/reports/engagement")
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement coverage")
    coverage = page.get_by_role("table", name=f"Stakeholders engaged, as of {TODAY}")
    expect(coverage.locator("tbody tr")).to_have_count(1)
    neglected = page.get_by_role("table", name="1 priority stakeholder not engaged in 90 days")
    row = neglected.get_by_role("row", name="Laura Chen")
    expect(row).to_contain_text(MET_LAURA.isoformat())
    expect(row).to_contain_text("CoLCPA")
    expect(row).to_contain_text("200")
    screenshot(page, "report-engagement")
    row.get_by_role("link", name="Laura Chen").click()
    page.wait_for_url(f"**/contacts/{engagement_record['laura']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laura Chen")


def test_an_admin_has_no_reports(sign_in, engagement_record):
    page = sign_in("admin")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Satisfaction")).to_have_count(0)
    assert page.goto("/reports/engagement").status == 403
