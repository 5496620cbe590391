"""The reports' arithmetic (pure): periods, rounding, satisfaction and coverage figures, the neglected list,
and the chart drawn from them."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.coverage import coverage_rows, neglected, window_starts
from reports.figures import mean, percent
from reports.periods import day_periods, first_day, period_of, periods_between
from reports.satisfaction import satisfaction_rows
from web.report_chart import line_chart


@pytest.mark.parametrize(("total", "count", "expected"), [
    (11, 3, 3.7), (9, 3, 3.0), (5, 2, 2.5), (1, 8, 0.1), (13, 4, 3.3), (7, 2, 3.5), (0, 0, None)])
def test_means_are_rounded_half_up_to_one_decimal(total, count, expected):
    assert mean(total, count) == expected


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (2, 3, 67), (1, 3, 33), (1, 8, 13), (1, 200, 1), (1, 201, 0), (0, 5, 0), (5, 5, 100), (1, 0, None)])
def test_shares_are_whole_per_cents_rounded_half_up(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(("day", "by", "expected"), [
    ("2026-03-02", "week", "2026-W10"),  # a Monday starts its week
    ("2026-03-01", "week", "2026-W09"),  # the Sunday before ends the previous one
    ("2027-01-01", "week", "2026-W53"),  # ISO weeks: the first days of a year can be the last week of the one before
    ("2024-12-30", "week", "2025-W01"),
    ("2026-03-31", "month", "2026-03"),
    ("2026-12-01", "month", "2026-12"),
])
def test_a_day_falls_in_its_iso_week_or_month(day, by, expected):
    assert period_of(day, by) == expected
    assert first_day(expected) <= dt.date.fromisoformat(day) < first_day(expected) + dt.timedelta(days=31)


def test_periods_between_include_those_without_data():
    assert periods_between("2025-11", "2026-02", "month") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert periods_between("2026-W52", "2027-W01", "week") == ["2026-W52", "2026-W53", "2027-W01"]
    days = day_periods(dt.date(2026, 2, 27), dt.date(2026, 3, 2), "month")
    assert days == {"2026-02-27": "2026-02", "2026-02-28": "2026-02", "2026-03-01": "2026-03", "2026-03-02": "2026-03"}


def _scored(period: str, grp: str, *scores: int, anonymous: bool = False) -> dict:
    return {"period": period, "grp": grp, "anonymous": anonymous,
            **{f"score_{s}": scores.count(s) for s in range(1, 6)}}


def test_satisfaction_adds_counts_up_per_period_and_group_then_works_out_the_figures():
    counts = [  # as the graph gives them: how many scored 1..5, per period and group, anonymous apart
        _scored("2026-03", "Cheap", 4, 2), _scored("2026-03", "(anonymous)", 1, anonymous=True),
        _scored("2026-02", "Cornhill", 5, 4), _scored("2026-03", "Aldgate", 5),
        _scored("2026-02", "Cornhill", 2),  # the same period and group again: adds up
    ]
    rows = satisfaction_rows(counts)
    assert [(r.period, r.group) for r in rows] == [
        ("2026-02", "Cornhill"), ("2026-03", "Aldgate"), ("2026-03", "Cheap"), ("2026-03", "(anonymous)")]
    cornhill = rows[0]
    assert (cornhill.responses, cornhill.mean_score, cornhill.satisfied, cornhill.satisfied_pct) == (3, 3.7, 2, 67)
    assert cornhill.anonymous == 0
    assert rows[-1].record("ward") == {"period": "2026-03", "ward": "(anonymous)", "responses": 1, "mean_score": 1.0,
                                       "satisfied": 0, "satisfied_pct": 0, "anonymous": 1}
    (everyone,) = satisfaction_rows([_scored("2026-03", "", 5, 4), _scored("2026-03", "", 2, anonymous=True)])
    assert (everyone.responses, everyone.mean_score, everyone.satisfied_pct, everyone.anonymous) == (3, 3.7, 67, 1)


def test_window_starts_count_back_from_the_as_of_day_widest_first():
    assert window_starts(dt.date(2026, 6, 30)) == ["2025-06-30", "2026-04-01", "2026-05-31"]


def test_coverage_reads_the_windows_met_as_nested():
    # windows met: 3 = within 30 days (and so 90 and 365), 1 = within 365 only, 0 = none
    counts = [{"grp": "Cheap", "windows": 3, "contacts": 2}, {"grp": "Cheap", "windows": 2, "contacts": 1},
              {"grp": "Cheap", "windows": 1, "contacts": 1}, {"grp": "Cheap", "windows": 0, "contacts": 4},
              {"grp": "Cheap", "windows": 3, "contacts": 1},  # the second branch of the query: adds up
              {"grp": "(none)", "windows": 0, "contacts": 2}]
    cheap, nobody = coverage_rows(counts)
    assert (cheap.group, cheap.stakeholders, cheap.engaged, cheap.shares) == ("Cheap", 9, (3, 4, 5), (33, 44, 56))
    assert (nobody.group, nobody.engaged, nobody.shares) == ("(none)", (0, 0, 0), (0, 0, 0))
    assert cheap.record("ward") == {"ward": "Cheap", "stakeholders": 9, "engaged_30d": 3, "engaged_90d": 4,
                                    "engaged_365d": 5, "share_30d": 33, "share_90d": 44, "share_365d": 56}


def test_the_neglected_come_never_engaged_first_then_longest_unengaged():
    rows = [{"kind": "contact", "id": "C-2", "name": "Tom Baker", "last": "2025-09-01", "organisations": ["Hotel"],
             "groups": ["BCRP", "BCRP"]},
            {"kind": "organisation", "id": "O-1", "name": "Hotel", "last": "2026-01-02", "organisations": [],
             "groups": []},
            {"kind": "contact", "id": "C-1", "name": "Dan Resident", "last": None, "organisations": [],
             "groups": ["Forum"]}]
    found = neglected(rows, dt.date(2026, 6, 30))
    assert [s.id for s in found] == ["C-1", "C-2", "O-1"]
    assert found[0].cells() == {"kind": "contact", "id": "C-1", "name": "Dan Resident", "organisation": "",
                                "groups": "Forum", "last_engaged": "never", "days_since": ""}
    assert found[1].days_since == (dt.date(2026, 6, 30) - dt.date(2025, 9, 1)).days
    assert found[1].record()["groups"] == ["BCRP"]


def test_a_chart_has_a_place_for_every_period_and_breaks_its_line_at_a_gap():
    chart = line_chart("c", "Mean score", "desc", ["2026-01", "2026-02", "2026-03", "2026-04"],
                       [("All", {"2026-01": 1, "2026-02": 5, "2026-04": 3})], low=1, high=5, overall="All")
    (line,) = chart.series
    left, top, right, bottom = chart.plot
    assert [p.period for p in line.points] == ["2026-01", "2026-02", "2026-04"]
    assert line.points[0].y == bottom and line.points[1].y == top  # 1 at the foot of the axis, 5 at its head
    assert line.points[0].x == left and line.points[-1].x == right
    assert line.path.count("M") == 2  # 2026-03 has no response: two stretches of line
    assert [label for _, label in chart.y_ticks] == ["1", "2", "3", "4", "5"]
    responses = line_chart("r", "Responses", "desc", ["2026-W01"], [("All", {"2026-W01": 37})], low=0, overall="All")
    assert responses.y_ticks[-1][1] == "50" and responses.series[0].points[0].text == "37"
