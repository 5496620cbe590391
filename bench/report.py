"""One fixed-width table per benchmark: each tool's accuracy, time and memory on each dataset."""

from __future__ import annotations

import numpy as np

from bench.harness import ToolRun
from bench.metrics import CLUSTERS_DEFINITION, EDGES_DEFINITION, PAIRS_DEFINITION, accuracy, threshold_f1

HEADER = ["dataset", "records", "tool", "pair P", "pair R", "pair F1", "clus P", "clus R", "clus F1",
          "best F1 (thr)", "F1@0.9 edges", "wall s", "peak GB", "time split s"]
ABBREVIATIONS = {"training": "train", "prediction": "predict", "clustering": "cluster"}


def _split(seconds: dict[str, float]) -> str:
    if len(seconds) < 2:
        return ""
    return " + ".join(f"{ABBREVIATIONS.get(name, name)} {value:.1f}" for name, value in seconds.items())


def row(dataset: str, truth: np.ndarray, run: ToolRun) -> list[str]:
    """Score ``run`` against the true entity per row and format one table row."""
    head = [dataset, f"{len(truth):,}", run.tool]
    if run.labels is None:
        return [*head, run.note]
    score = accuracy(run.labels, truth)
    cells = [*head]
    for unit in (score.pairs, score.clusters):
        cells += [f"{unit.precision:.4f}", f"{unit.recall:.4f}", f"{unit.f1:.4f}"]
    if run.pairs is not None:
        edges = threshold_f1(run.pairs["left"], run.pairs["right"], run.pairs["probability"], truth)
        cells += [f"{edges.best_f1:.4f} ({edges.best_threshold:.2f})", f"{edges.f1_at[0.9]:.4f}"]
    else:
        cells += ["-", "-"]
    return [*cells, f"{run.wall:.1f}", f"{run.peak_bytes / 1e9:.2f}", _split(run.seconds)]


def render(title: str, rows: list[list[str]], notes: list[str] = ()) -> str:
    """The table, then the metric definitions and any notes."""
    full = [r for r in rows if len(r) == len(HEADER)]
    widths = [max(len(r[c]) for r in [HEADER, *full]) + 2 for c in range(len(HEADER))]
    widths[:3] = [max(len(r[c]) for r in [HEADER, *rows]) + 2 for c in range(3)]

    def line(cells: list[str]) -> str:
        # a tool that did not run has one reason in place of its figures
        return "".join(f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=False)).rstrip()

    rule = "-" * sum(widths)
    body = [title, rule, line(HEADER), rule, *(line(r) for r in rows), rule]
    footer = [PAIRS_DEFINITION, CLUSTERS_DEFINITION, EDGES_DEFINITION,
              "F1@0.9 edges: the same at match probability 0.9; Splink's pair and cluster figures are for its "
              "clusters at 0.9",
              "wall: the tool's own work on a table in memory; peak: the child process's max RSS", *notes]
    return "\n".join([*body, *footer])
