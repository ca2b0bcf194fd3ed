"""Rubrics for written answers, shown to whoever grades by hand in nbgrader's formgrader, never to learners.

A written answer is an nbgrader "manually graded answer" cell: a markdown cell
with solution and grade set. In solutions/, what the author puts between
`### BEGIN SOLUTION` and `### END SOLUTION` is the rubric (marking points and a
model answer); learners get nbgrader's text stub instead. After autograding, a
locked cell holding the rubric is added under each written answer of the
autograded notebook, which formgrader shows; feedback removes it again.
"""

from __future__ import annotations

import nbformat

from ..exercises.keys import SOLUTION_MARKERS

MARKER = "**Rubric (instructors only; removed from feedback)**"


def written_answers(solution) -> dict[str, str]:
    """Each written-answer cell's rubric, by grade_id, from the instructor notebook."""
    rubrics = {}
    for cell in solution.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            lines = cell.source.splitlines()
            inside = [i for i, line in enumerate(lines) if line.strip() in SOLUTION_MARKERS]
            body = lines[inside[0] + 1 : inside[1]] if len(inside) == 2 else lines
            rubrics[meta["grade_id"]] = "\n".join(body).strip()
    return rubrics


def add_rubrics(notebook, rubrics: dict[str, str]):
    """Put a rubric cell under each written answer of an autograded notebook."""
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "markdown" and name in rubrics:
            cells.append(nbformat.v4.new_markdown_cell(f"{MARKER}\n\n{rubrics[name]}", metadata={"editable": False, "deletable": False}))
    notebook.cells = cells
    return notebook


def remove_rubrics(notebook):
    notebook.cells = [cell for cell in notebook.cells if not (cell.cell_type == "markdown" and cell.source.startswith(MARKER))]
    return notebook
