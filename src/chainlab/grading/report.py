"""The cohort report: pass rate per exercise, score distribution (with a chart), and every submission that needs a look."""

from __future__ import annotations

import base64
import html
import io
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ..viz.palette import PALETTE
from . import export, release, status
from .feedback import exercise_titles
from .workspace import Workspace


def score_chart(scores: list[float], max_score: float) -> str:
    """A histogram of total scores as an inline PNG <img>."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 3), dpi=100)
    bins = [x - 0.5 for x in range(int(max_score) + 2)]
    axes.hist(scores, bins=bins, color=PALETTE["blue"], edgecolor="white")
    axes.set_xlabel(f"score (out of {max_score:g})")
    axes.set_ylabel("learners")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title("Score distribution of graded submissions")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return f'<img alt="Histogram of total scores" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _table(header: list[str], body: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def graded_cells_in_course_order(ws: Workspace, slug: str, cell_names: list[str]) -> list[tuple[str, str]]:
    """(grade id, label) of each graded cell, in the order of the instructor notebook; exercises are labelled by title."""
    notebook = nbformat.read(ws.solutions / slug / f"{slug}.ipynb", as_version=4)
    order = [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade")]
    position = {name: index for index, name in enumerate(order)}
    titles = exercise_titles(slug)
    ordered = sorted(cell_names, key=lambda name: (position.get(name, len(order)), name))
    return [(name, titles.get(name, name)) for name in ordered]


def build(ws: Workspace, slug: str) -> str:
    """The report as one self-contained HTML page."""
    columns, table = export.rows(ws, slug)
    cells = graded_cells_in_course_order(ws, slug, columns[len(export.FIXED_COLUMNS):])
    graded = [row for row in table if row["status"] == status.GRADED]
    counts = {verdict: sum(1 for row in table if row["status"] == verdict) for verdict in (status.GRADED, status.NOT_GRADED, status.MISSING, status.COLLECTED)}
    pass_rates = []
    for name, label in cells:
        scored = [row[name] for row in graded if row.get(name) != ""]
        passed = sum(1 for value in scored if float(value) > 0)
        pass_rates.append([label, f"{passed}/{len(scored)}", f"{100 * passed / len(scored):.0f}%" if scored else "-"])
    totals = [float(row["score"]) for row in graded if row.get("score")]
    max_score = max((float(row["max_score"]) for row in graded if row.get("max_score")), default=0)
    attention = [row for row in table if row["status"] != status.GRADED or row["flags"] or row["notes"] or row["needs_manual_grade"]]
    seed = release.cohort_settings(ws)["seed"] if (ws.cohort / "cohort.json").exists() else "-"
    summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items() if count)
    parts = [
        f"<h1>Cohort report: {html.escape(slug)}</h1>",
        f"<p>Cohort seed {seed}. {len(table)} learners: {html.escape(summary)}. Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.</p>",
        "<h2>Pass rate per exercise</h2>",
        "<p>A graded cell counts as passed when it earned points (after the grader's re-check).</p>",
        _table(["exercise (graded cell)", "passed", "pass rate"], pass_rates),
        "<h2>Score distribution</h2>",
        score_chart(totals, max_score) if totals else "<p>No graded submissions yet.</p>",
        f"<p>Mean {sum(totals) / len(totals):.2f} of {max_score:g}.</p>" if totals else "",
        "<h2>Needs a look</h2>",
        "<p>Not graded, missing, flagged (possible tampering, edited cells, limits reached), or waiting for manual grading in formgrader.</p>",
        _table(
            ["learner", "status", "reason", "flags", "collect notes", "manual grading"],
            [[row["student_id"], row["status"], row["reason"], row["flags"], row["notes"], row["needs_manual_grade"]] for row in attention],
        )
        if attention
        else "<p>Nothing to look at.</p>",
        "<h2>All learners</h2>",
        _table(["learner", "status", "score", "of"], [[row["student_id"], row["status"], row.get("score", ""), row.get("max_score", "")] for row in table]),
    ]
    style = "body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eee}"
    return f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Cohort report: {html.escape(slug)}</title><style>{style}</style></head><body>{''.join(parts)}</body></html>"


def write(ws: Workspace, slug: str, out: Path | None = None) -> Path:
    """Write grading/reports/<slug>-report.html (or `out`); return its path."""
    path = out or ws.reports / f"{slug}-report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build(ws, slug), encoding="utf-8")
    return path
