"""Each exercise is written once, in exercises/mNN.py: the notebook's heading cell for it is `Exercise.brief()`.

Its last hint is written once too, beside its worked solution: a `# Last hint: ...` line inside the solution
region of its solution cell in solutions/ (see `chainlab.exercises.keys`), never in the package.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from chainlab import course
from chainlab.exercises import keys
from chainlab.exercises.core import exercises_of

from .notebook_tools import notebook_path

MODULES = [module for module in course.MODULES if notebook_path("solutions", module.slug).exists()]


def heading_mismatches(notebook, module_number: str) -> list[str]:
    """For each exercise whose solution cell is not right after a markdown cell opening with its brief(), what is wrong."""
    problems = []
    cells = notebook.cells
    for name, exercise in exercises_of(module_number).items():
        solution = [
            i for i, cell in enumerate(cells) if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == name
        ]
        if not solution:
            problems.append(f"{name}: no solution cell")
            continue
        markdown = [cell for cell in cells[: solution[0]] if cell.cell_type == "markdown"]
        source = markdown[-1].source if markdown else ""
        brief = exercise.brief()
        if not (source.startswith(brief) and source[len(brief) : len(brief) + 1] in ("", "\n")):
            problems.append(
                f"{name}: the markdown cell before its solution cell should start with\n{brief}\n--- but reads ---\n{source}"
            )
    return problems


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_each_exercise_heading_is_written_once(module):
    notebook = nbformat.read(notebook_path("solutions", module.slug), as_version=4)
    problems = heading_mismatches(notebook, module.number)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_every_exercise_has_its_words_filled_in(module):
    for name, exercise in exercises_of(module.number).items():
        for field in ("title", "objective", "task"):
            text = getattr(exercise, field)
            assert text.strip() and text == text.strip() and "\n\n" not in text, (
                f"{module.number}.{name}: {field} is empty or badly spaced"
            )
        assert exercise.task.endswith(".") and exercise.objective.endswith("."), (
            f"{module.number}.{name}: objective and task are sentences"
        )


def test_brief_numbers_exercises_in_definition_order_and_counts_points():
    exercises = list(exercises_of("00").values())
    assert exercises[0].brief().startswith(f"### Exercise 1: {exercises[0].title} (1 point)\n\n**Objective:** ")
    assert exercises[1].brief().startswith("### Exercise 2: ")
    assert exercises[0].brief().endswith(f"**Answer form:** {exercises[0].answer.describe()}.")


@pytest.mark.parametrize(
    "doctor",
    [
        lambda text: text.replace("**Objective:** ", "**Objective:** now "),
        lambda text: text.replace("(1 point)", "(2 points)"),
        lambda text: text.replace("**Answer form:** ", "**Answer form:** roughly "),
        lambda text: "Some prose first.\n\n" + text,
        lambda text: text.replace(".\n\nReplace", ". Replace"),  # the block runs on into the next sentence
    ],
    ids=["objective", "points", "answer form", "prose before", "no break after"],
)
def test_a_doctored_heading_is_caught(doctor):
    notebook = nbformat.read(notebook_path("solutions", "00_getting_started"), as_version=4)
    assert not heading_mismatches(notebook, "00")
    brief = exercises_of("00")["n_transfers"].brief()
    (cell,) = [cell for cell in notebook.cells if cell.cell_type == "markdown" and cell.source.startswith(brief)]
    cell.source = doctor(cell.source)
    problems = heading_mismatches(notebook, "00")
    assert len(problems) == 1 and problems[0].startswith("n_transfers:")


def test_a_heading_cell_separated_from_its_solution_by_another_markdown_cell_is_caught():
    notebook = nbformat.read(notebook_path("solutions", "00_getting_started"), as_version=4)
    index = next(
        i
        for i, cell in enumerate(notebook.cells)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "big_transfers"
    )
    notebook.cells.insert(index, nbformat.v4.new_markdown_cell("A note between the heading and the answer."))
    assert [problem.split(":")[0] for problem in heading_mismatches(notebook, "00")] == ["big_transfers"]


def last_hint_problems(notebook, module_number: str) -> list[str]:
    """For each exercise whose last hint is not written once, in its solution cell's solution region, what is wrong."""
    written = keys.last_hints(notebook)
    problems = []
    for name, exercise in exercises_of(module_number).items():
        hint = written.get(name, "")
        if not hint:
            problems.append(
                f"{name}: its solution cell has no `{keys.LAST_HINT_MARK} ...` line inside the solution region"
            )
        elif hint in exercise.hints:
            problems.append(
                f"{name}: its last hint is also in exercises/m{module_number}.py; write it once, in solutions/"
            )
    return problems


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_each_exercise_has_its_last_hint_written_once_beside_its_worked_solution(module):
    notebook = nbformat.read(notebook_path("solutions", module.slug), as_version=4)
    problems = last_hint_problems(notebook, module.number)
    assert not problems, "\n".join(problems)
    course_notebook = nbformat.read(notebook_path("course", module.slug), as_version=4)
    assert keys.last_hints(course_notebook) == {}, "nbgrader leaves the last hints out of course/"
    assert all(keys.LAST_HINT_MARK not in code for code in keys.solution_cells(notebook).values()), (
        "the worked solution shown leaves the last hint out"
    )


def test_a_missing_or_repeated_last_hint_is_caught():
    notebook = nbformat.read(notebook_path("solutions", "00_getting_started"), as_version=4)
    (cell,) = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "n_transfers"]
    hint = keys.last_hints(notebook)["n_transfers"]
    exercise = exercises_of("00")["big_transfers"]
    exercise.hints.append(keys.last_hints(notebook)["big_transfers"])
    try:
        cell.source = "\n".join(line for line in cell.source.splitlines() if hint not in line)
        problems = last_hint_problems(notebook, "00")
    finally:
        exercise.hints.pop()
    assert [problem.split(":")[0] for problem in problems] == ["n_transfers", "big_transfers"]


def next_module_links(notebook) -> list[str]:
    """The notebook paths linked from the last markdown cell's "Next:" line (relative links, as Markdown writes them)."""
    last = [cell for cell in notebook.cells if cell.cell_type == "markdown"][-1].source
    lines = [line for line in last.splitlines() if line.startswith("Next:")]
    return re.findall(r"\]\(([^)\s]+\.ipynb)\)", lines[-1]) if lines else []


@pytest.mark.parametrize("module", course.MODULES[:-1], ids=lambda m: m.slug)
def test_each_module_ends_with_a_link_to_the_next_one(module):
    """Every module but the last ends on "Next:" with a relative link to the next module of course.py, which exists;
    the link resolves the same from solutions/, course/ and a learner's my-course/ (one folder per module)."""
    following = course.MODULES[course.MODULES.index(module) + 1]
    path = notebook_path("solutions", module.slug)
    links = next_module_links(nbformat.read(path, as_version=4))
    expected = f"../{following.slug}/{following.slug}.ipynb"
    assert links == [expected], f"{module.slug}: the last cell's Next: line should link to {expected}; it links {links}"
    for folder in ("solutions", "course"):
        here = notebook_path(folder, module.slug).parent
        assert (here / expected).resolve().exists(), f"{folder}/{module.slug}: {expected} does not exist"
