"""The report pages: satisfaction (a chart per figure and the table beside it) and engagement coverage
with the priority stakeholders nobody engaged lately; each with the command line's CSV as a download.

What a role may see is decided in the graph queries (``services.reports``): for any role but a SPOC,
restricted contacts are left out of every count and list, as if they did not exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from exports.cells import neutralise_row
from kernel.errors import UsageError
from reports.periods import PERIODS, periods_between
from reports.satisfaction import SatisfactionRow
from services import reports

from .pages import ReportReader, render, restricted_visible
from .report_chart import Chart, line_chart, series_colours

router = APIRouter(prefix="/reports")
CHART_GROUPS = 6  # the groups with most responses drawn beside the overall line; the table has every group
OVERALL = "All responses"
GROUP_LABELS = {"": "No grouping", "directorate": "Directorate", "category": "Category", "ward": "Ward",
                "sector": "Sector", "group": "Stakeholder group"}


def _role(session) -> str:
    return "spoc" if restricted_visible(session) else "messaging"


def _day(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name}: {value!r} is not a date (YYYY-MM-DD).") from None


def _satisfaction(request: Request, session, by: str, group_by: str, since: str, until: str):
    asked = reports.SatisfactionAsked(by, group_by, _day(since, "From"), _day(until, "Until"))
    try:
        return asked, reports.satisfaction_report(request.app.state.store, asked, restricted_visible(session))
    except UsageError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


@router.get("/satisfaction")
def satisfaction_page(request: Request, session: ReportReader, by: str = "month", group_by: str = "",
                      since: str = "", until: str = ""):
    asked, found = _satisfaction(request, session, by, group_by, since, until)
    overall = found if not group_by else reports.satisfaction_report(
        request.app.state.store, reports.SatisfactionAsked(by, "", asked.since, asked.until),
        restricted_visible(session))
    charts, legend = satisfaction_charts(overall.rows, found.rows if group_by else [], by, group_by)
    return render(request, "report_satisfaction.html", asked=asked, rows=found.rows, charts=charts, legend=legend,
                  periods=PERIODS, groupings=reports.SATISFACTION_GROUPINGS, labels=GROUP_LABELS,
                  restricted_shown=restricted_visible(session), query=request.url.query)


@router.get("/satisfaction.csv")
def satisfaction_download(request: Request, session: ReportReader, by: str = "month", group_by: str = "",
                          since: str = "", until: str = ""):
    asked, found = _satisfaction(request, session, by, group_by, since, until)
    records = found.records()
    reports.record(request.app.state.installation.audit, session.user.username, "satisfaction",
                   {"by": by, "group_by": group_by, "since": since, "until": until}, len(records), "web",
                   _role(session))
    return _csv(records, found.columns, f"satisfaction-{by}{'-' + group_by if group_by else ''}.csv")


def _coverage(request: Request, session, group_by: str):
    try:
        return reports.coverage_report(request.app.state.store, reports.CoverageAsked(group_by),
                                       restricted_visible(session))
    except UsageError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


def _neglected(request: Request, session, days: str):
    if not days.strip().isdigit():
        raise HTTPException(status_code=400, detail=f"Days: {days!r} is not a whole number of days.")
    try:
        return reports.neglected_priority(request.app.state.store, reports.NeglectAsked(int(days)),
                                          restricted_visible(session))
    except UsageError as error:
        raise HTTPException(status_code=400, detail=str(error).replace("--days", "Days")) from None


@router.get("/engagement")
def engagement_page(request: Request, session: ReportReader, group_by: str = "", days: str = "90"):
    coverage, neglect = _coverage(request, session, group_by), _neglected(request, session, days)
    return render(request, "report_engagement.html", coverage=coverage, neglect=neglect, group_by=group_by,
                  groupings=reports.COVERAGE_GROUPINGS, labels=GROUP_LABELS,
                  restricted_shown=restricted_visible(session), query=request.url.query)


@router.get("/engagement.csv")
def engagement_download(request: Request, session: ReportReader, group_by: str = ""):
    coverage = _coverage(request, session, group_by)
    records = coverage.records()
    reports.record(request.app.state.installation.audit, session.user.username, "engagement",
                   {"group_by": group_by, "as_of": coverage.as_of.isoformat()}, len(records), "web", _role(session))
    return _csv(records, coverage.columns, f"engagement-{coverage.as_of}{'-' + group_by if group_by else ''}.csv")


@router.get("/neglected.csv")
def neglected_download(request: Request, session: ReportReader, days: str = "90"):
    neglect = _neglected(request, session, days)
    reports.record(request.app.state.installation.audit, session.user.username, "engagement",
                   {"neglected_priority": True, "days": neglect.days, "as_of": neglect.as_of.isoformat()},
                   len(neglect.rows), "web", _role(session), [s.id for s in neglect.rows])
    return _csv([s.cells() for s in neglect.rows], neglect.columns,
                f"neglected-priority-{neglect.days}-days-{neglect.as_of}.csv")


def _csv(records: Sequence[dict], columns: Sequence[str], name: str) -> Response:
    """The command line's CSV: the same columns, every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(neutralise_row({k: "" if v is None else v for k, v in r.items()}) for r in records)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def satisfaction_charts(overall: Sequence[SatisfactionRow], grouped: Sequence[SatisfactionRow], by: str,
                        group_by: str) -> tuple[list[Chart], list[tuple[str, str]]]:
    """The mean score, responses and share satisfied per period: all responses, and with a grouping the
    ``CHART_GROUPS`` groups with most responses. Also the legend: (name, colour) of each group drawn."""
    if not overall:
        return [], []
    periods = periods_between(overall[0].period, overall[-1].period, by)
    totals: dict[str, int] = {}
    for row in grouped:
        totals[row.group] = totals.get(row.group, 0) + row.responses
    drawn = sorted(totals, key=lambda g: (-totals[g], g))[:CHART_GROUPS]
    drawn.sort(key=lambda g: (g.startswith("("), g.lower()))

    def series(measure: str) -> list[tuple[str, dict[str, float]]]:
        found = [(OVERALL, {r.period: getattr(r, measure) for r in overall if getattr(r, measure) is not None})]
        return found + [(g, {r.period: getattr(r, measure) for r in grouped
                             if r.group == g and getattr(r, measure) is not None}) for g in drawn]

    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    which = (f"all responses and, by {group_by}, the {len(drawn)} group{'s' if len(drawn) != 1 else ''} with most "
             f"responses ({', '.join(drawn)})" if drawn else "all responses")
    latest = overall[-1]

    def desc(what: str, value: str) -> str:
        return (f"{what} per {by}, {span}: {which}. In {latest.period}, all responses: {value}. "
                "The table below gives every figure.")

    mean_text = "no score" if latest.mean_score is None else f"{latest.mean_score}"
    share_text = "none" if latest.satisfied_pct is None else f"{latest.satisfied_pct}%"
    charts = [
        line_chart("chart-mean", f"Mean score per {by} (1 to 5, 5 best)", desc("Mean score", mean_text), periods,
                   series("mean_score"), low=1, high=5, overall=OVERALL),
        line_chart("chart-satisfied", f"Share satisfied (a score of 4 or 5) per {by}",
                   desc("Share satisfied", share_text), periods, series("satisfied_pct"), low=0, high=100, unit="%",
                   overall=OVERALL),
        line_chart("chart-responses", f"Responses per {by}", desc("Responses", f"{latest.responses}"), periods,
                   series("responses"), low=0, overall=OVERALL),
    ]
    return charts, list(series_colours(drawn).items())
