"""Grades as CSV: one row per learner, with each graded cell, the total, and why a submission was not graded.

Text a learner or an LMS chose (a name, an id, a file name in a note) that starts like a
spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
leading `'`, so that Excel or LibreOffice shows it as text and never runs it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from . import gradebook, status
from .workspace import GradingError, Workspace

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = ("student_id", "name", "status", "reason", "flags", "notes", "needs_manual_grade")
FIXED_COLUMNS = ["student_id", "name", "module", "status", "score", "max_score", "needs_manual_grade", "reason", "flags", "notes"]


def rows(ws: Workspace, slug: str) -> tuple[list[str], list[dict]]:
    """The CSV's columns and rows: scores from the gradebook (manual scores count), verdicts from the status file."""
    records = status.load(ws, slug)
    if not records:
        raise GradingError(f"Nothing collected for {slug} yet. Run: chainlab grade collect {slug} <folder or zip>")
    scores = gradebook.cohort_scores(ws, slug)
    cell_names = sorted({name for cells in scores.values() for name in cells})
    table = []
    for student, record in sorted(records.items()):
        row = dict.fromkeys(FIXED_COLUMNS, "") | {"student_id": student, "name": record.get("name", ""), "module": slug, "status": record.get("status", "")}
        row.update(reason=record.get("reason", ""), flags="; ".join(record.get("flags", [])), notes="; ".join(record.get("notes", [])))
        cells = scores.get(student, {}) if record.get("status") == status.GRADED else {}
        for name in cell_names:
            cell = cells.get(name)
            row[name] = "" if cell is None or cell.auto_score is None else f"{cell.auto_score:g}"
        if cells:
            row["score"] = f"{sum(cell.auto_score or 0 for cell in cells.values()):g}"
            row["max_score"] = f"{sum(cell.max_score for cell in cells.values()):g}"
            row["needs_manual_grade"] = ", ".join(sorted(name for name, cell in cells.items() if cell.needs_manual_grade))
        table.append(row)
    return FIXED_COLUMNS + cell_names, table


def as_text_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading `'` if it would start a formula (after any spaces)."""
    value = str(value or "")
    return f"'{value}" if value.lstrip(" ").startswith(FORMULA_STARTS) else value


def export(ws: Workspace, slug: str, out: Path | None = None) -> Path:
    """Write grading/reports/<slug>-grades.csv (or `out`); return its path."""
    columns, table = rows(ws, slug)
    path = out or ws.reports / f"{slug}-grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows({**row, **{column: as_text_cell(row[column]) for column in TEXT_COLUMNS}} for row in table)
    return path
