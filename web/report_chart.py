"""Line charts of a report's figures per period, drawn as SVG on the server (no script, no CDN).

Pure: periods and values in, an SVG model out (the markup is templates/report_chart.html). Every period
from the first to the last has its place on the axis, so a period without data is a gap in the line, not
a shortcut across it. Each chart says what it shows in its <title> and <desc>; the table beside it holds
every figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Twelve colours that stay apart from each other and from the white background.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#ff7f0e", "#393b79", "#637939")

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 14, 44
MAX_X_LABELS = 7  # a label is about 60 units wide: more would overlap
OVERALL_COLOUR = "#1b1f24"


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    period: str
    text: str  # the value as the table shows it


@dataclass(frozen=True)
class ChartSeries:
    name: str
    colour: str
    path: str  # SVG path data: one M…L… run per stretch of periods with values
    points: tuple[ChartPoint, ...]
    overall: bool = False


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    desc: str
    width: int
    height: int
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str], ...]
    series: tuple[ChartSeries, ...]


def _nice_top(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def series_colours(names: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def line_chart(chart_id: str, title: str, desc: str, periods: Sequence[str],
               series: Sequence[tuple[str, Mapping[str, float]]], low: float | None = None,
               high: float | None = None, unit: str = "", overall: str = "") -> Chart:
    """``series``: (name, period -> value); ``low``/``high``: the y axis (``high`` defaults to a round
    number above the largest value); ``overall``: the name of the series drawn as the overall one."""
    values = [v for _, by_period in series for v in by_period.values()]
    bottom_value = 0.0 if low is None else low
    top_value = high if high is not None else _nice_top(max(values, default=1))
    left, top, right, bottom = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (right - left) / max(len(periods) - 1, 1)
    xs = {p: left + (i * step if len(periods) > 1 else (right - left) / 2) for i, p in enumerate(periods)}

    def y_of(value: float) -> float:
        span = (top_value - bottom_value) or 1
        return round(bottom - (value - bottom_value) / span * (bottom - top), 1)

    colours = series_colours([name for name, _ in series if name != overall])
    drawn = []
    for name, by_period in series:
        points, runs, run = [], [], []
        for period in periods:
            if period not in by_period:
                if run:
                    runs.append(run)
                run = []
                continue
            value = by_period[period]
            point = ChartPoint(round(xs[period], 1), y_of(value), period, _text(value, unit))
            points.append(point)
            run.append(point)
        if run:
            runs.append(run)
        path = " ".join("M" + " L".join(f"{p.x},{p.y}" for p in r) for r in runs)
        drawn.append(ChartSeries(name, OVERALL_COLOUR if name == overall else colours[name], path, tuple(points),
                                 name == overall))
    # a round step giving at most six ticks, whole numbers only: scores, shares and counts
    tick = max(_nice_top((top_value - bottom_value) / 5), 1)
    y_ticks = tuple((y_of(bottom_value + i * tick), _text(bottom_value + i * tick, unit))
                    for i in range(int((top_value - bottom_value) // tick) + 1))
    every = max(1, math.ceil(len(periods) / MAX_X_LABELS))
    x_labels = tuple((round(xs[p], 1), p) for i, p in enumerate(periods) if i % every == 0)
    return Chart(chart_id, title, desc, WIDTH, HEIGHT, (left, top, right, bottom), y_ticks, x_labels,
                 tuple(drawn))


def _text(value: float, unit: str) -> str:
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return shown + unit
