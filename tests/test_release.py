"""course/ is exactly what nbgrader generates from solutions/, and every notebook keeps the house rules."""

from __future__ import annotations

import json

import nbformat
import pytest

from chainlab import course
from chainlab.exercises.core import exercises_of

from .notebook_tools import ROOT, copy_course_root, nbgrader_steps, notebook_path

ALL_NOTEBOOKS = [(folder, m.slug) for m in course.MODULES for folder in ("solutions", "course")]


def test_every_module_has_a_solution_and_a_release():
    on_disk = {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()}
    assert on_disk == {m.slug for m in course.MODULES}, "solutions/ and chainlab.course.MODULES list different modules"
    for module in course.MODULES:
        assert notebook_path("solutions", module.slug).exists()
        assert notebook_path("course", module.slug).exists(), f"run `make release` to generate course/{module.slug}"


@pytest.mark.slow
def test_course_is_what_nbgrader_generates_from_solutions(tmp_path):
    root = copy_course_root(tmp_path)
    nbgrader_steps(root, [("generate_assignment", module.slug) for module in course.MODULES])
    for module in course.MODULES:
        generated = json.loads((root / "course" / module.slug / f"{module.slug}.ipynb").read_text())
        committed = json.loads(notebook_path("course", module.slug).read_text())
        assert generated == committed, f"course/{module.slug} is out of date: run `make release` and commit the result"


@pytest.mark.parametrize("folder, slug", ALL_NOTEBOOKS)
def test_committed_notebooks_carry_no_outputs_or_widget_state(folder, slug):
    notebook = nbformat.read(notebook_path(folder, slug), as_version=4)
    assert "widgets" not in notebook.metadata, "widget state is saved in the notebook metadata"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"cell {cell.get('id')} has outputs: clear them"


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_notebook_has_the_house_skeleton(module):
    notebook = nbformat.read(notebook_path("solutions", module.slug), as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert notebook.cells[0].source.startswith("# "), "the notebook opens with its title"
    assert f"about {module.minutes} minutes" in notebook.cells[0].source, (
        "the intro states the time estimate from chainlab.course"
    )
    for heading in ("By the end you will be able to", "## Key points", "## Sources"):
        assert heading in text, f"missing: {heading}"
    assert "cl.widgets." in "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code"), (
        "every module shows a widget"
    )


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_every_exercise_has_a_named_solution_cell_and_a_graded_check(module):
    notebook = nbformat.read(notebook_path("solutions", module.slug), as_version=4)
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells if "nbgrader" in c.metadata}
    exercises = exercises_of(module.number)
    assert len(exercises) >= 5, "every module has at least 5 autograded exercises"
    for name in exercises:
        assert cells[name].metadata["nbgrader"]["solution"], f"{name}: the solution cell is named after what it defines"
        check = cells[f"correct_{name}"]
        assert check.metadata["nbgrader"]["grade"] and check.metadata["nbgrader"]["locked"]
        assert check.source.startswith('"""'), f"correct_{name} opens with a docstring saying what it checks"
        assert f"ex.{name}.check({name})" in check.source
        assert check.source.splitlines()[1] == f"from chainlab.exercises import m{module.number} as ex", (
            f"correct_{name} imports the exercises itself, so that run first after a restart it explains what to run"
        )
        assert check.metadata["nbgrader"]["points"] == exercises[name].points, (
            f"correct_{name}: points differ from the exercise's"
        )


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_hints_and_solutions_are_buttons_not_commented_cells(module):
    notebook = nbformat.read(notebook_path("solutions", module.slug), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert ".hint()" not in cell.source and ".solution()" not in cell.source, (
                f"cell {cell.get('id')}: the check's Hint and Solution buttons replace this cell"
            )
