"""Which ways to answer a released module offers: code, answer panels (widget), or both.

`chainlab grade release NN --answers code|widget|both` (default both) shapes the
learner's notebook in grading/release/NN_slug/ and its zip; course/ (nbgrader's own
release, used by the assignment list) always offers both.

- both: the notebook as nbgrader generated it: the answer panel above each answer cell.
- code: no answer panels, and no sentence about them.
- widget: the panels, and each answer cell's code collapsed (a click on the bar
  opens it again, so the code blank stays available).

Nothing nbgrader grades or locks changes: only the panel cells (`ex.<name>.answer_panel()`),
markdown lines about the panels, and the answer cells' `jupyter.source_hidden` flag.
Sentences about the panels are found by the words in PANEL_WORDS, so a notebook's
author writes each such sentence on its own line (the house style: one sentence a line).
"""

from __future__ import annotations

import re

from ..exercises.answer_widgets import ANSWERS_SUFFIX, BUTTON

FORMS = ("both", "code", "widget")
PANEL_CELL = re.compile(r"^ex\.\w+\.answer_panel\(\)\s*$")
PANEL_WORDS = ("answer panel", "the panels", BUTTON, ANSWERS_SUFFIX, "two ways")


def is_panel_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(PANEL_CELL.match(cell.source.strip()))


def shape(notebook, form: str):
    """The notebook offering the answer form `form` (one of FORMS); changes `notebook` in place and returns it."""
    if form not in FORMS:
        raise ValueError(f"--answers must be one of {', '.join(FORMS)}, not {form!r}.")
    if form == "code":
        notebook.cells = [cell for cell in notebook.cells if not is_panel_cell(cell)]
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                lines = cell.source.split("\n")
                cell.source = "\n".join(line for line in lines if not any(word in line for word in PANEL_WORDS))
    elif form == "widget":
        panelled = {cell.source.strip().split(".")[1] for cell in notebook.cells if is_panel_cell(cell)}
        for cell in notebook.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade_id") in panelled:
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return notebook
