"""The course home (introduced in 00_getting_started): every module with its time, objectives, link and the learner's progress.

`make lab` opens it first (see `chainlab.learner_copy`); `home()` shows it again with today's progress.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import course, progress

OBJECTIVES_HEADING = "By the end you will be able to:"


def objectives(slug: str, release: Path | None = None) -> list[str]:
    """A module's learning objectives, as its notebook's first cell lists them."""
    path = (release or course.ROOT / "course") / slug / f"{slug}.ipynb"
    try:
        first = nbformat.read(path, as_version=4).cells[0].source
    except (OSError, ValueError, IndexError):
        return []
    listed = first.split(OBJECTIVES_HEADING, 1)[1] if OBJECTIVES_HEADING in first else ""
    return [re.sub(r"^\d+\.\s*", "", line).strip() for line in listed.splitlines() if re.match(r"^\d+\.", line.strip())]


def module_status() -> list[dict]:
    """Per module in course order: its slug, title, time, objectives, how many exercises are right out of how many."""
    from .exercises.core import exercises_of

    recorded = progress.read()
    rows = []
    for module in course.MODULES:
        ids = [exercise.id for exercise in exercises_of(module.number).values()]
        right = sum(recorded.get(exercise_id, {}).get("correct", False) for exercise_id in ids)
        rows.append(
            {
                "module": module,
                "objectives": objectives(module.slug),
                "right": right,
                "total": len(ids),
                "started": any(exercise_id in recorded for exercise_id in ids),
            }
        )
    return rows


def home_markdown() -> str:
    """The course home as Markdown: every module with its time, objectives, link and progress, and what to do next."""
    rows = module_status()
    lines = ["| | module | time | your progress |", "|---|---|---|---|"]
    for row in rows:
        module = row["module"]
        mark = "✓ done" if row["right"] == row["total"] else f"{row['right']} of {row['total']} exercises right"
        link = f"[{module.number} · {module.title}]({module.slug}/{module.slug}.ipynb)"
        goals = "<br>".join(f"– {goal}" for goal in row["objectives"])
        lines.append(
            f"| {'★' if module.one_day_track else ''} | {link}<br><small>{goals}</small> | {module.minutes} min | {mark} |"
        )
    waiting = [row for row in rows if row["right"] < row["total"]]
    if not waiting:
        step = "You have every exercise of the course right. Well done."
    else:
        nxt = next((row for row in waiting if row["started"]), waiting[0])
        step = f"Next: open [{nxt['module'].number} · {nxt['module'].title}]({nxt['module'].slug}/{nxt['module'].slug}.ipynb)."
    return "\n".join([*lines, "", "★ the one-day workshop track.", "", f"**{step}**"])


def home():
    """Show the course home with today's progress (run it again after working on a module)."""
    from IPython.display import Markdown

    return Markdown(home_markdown())
