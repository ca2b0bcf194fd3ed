"""The grading round trip through real nbgrader commands, for every module.

The instructor solution scores full marks, the untouched release scores zero, a
submission with one wrong answer loses exactly that cell's points, and the
feedback holds no hidden-test source, no answer key and no expected value.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat
import pytest
from nbgrader.api import Gradebook

from chainlab import course
from chainlab.exercises import answers, keys
from chainlab.exercises.core import exercises_of
from chainlab.grading import rubric

from .answer_panels import PANEL_WALKTHROUGH_MODULES, record_right_answers
from .notebook_tools import copy_course_root, nbgrader_steps_running, notebook_path, run_solution_code

pytestmark = pytest.mark.slow
NBGRADER = [sys.executable, "-m", "nbgrader"]
STUDENTS = ("right", "blank", "one_wrong")
FEEDBACK_READ_FOR = ("blank", "one_wrong")  # the students whose feedback pages the tests below read


def _wrong_line(module) -> tuple[str, str]:
    """An exercise of the module and a line that turns its right answer into a wrong one of the right form."""
    for name, exercise in exercises_of(module.number).items():
        kind = exercise.answer
        if isinstance(kind, (answers.Count, answers.Amount)):
            return name, f"{name} = {name} + 1"
        if isinstance(kind, answers.LabelSet):
            return name, f"{name} = ['not-one-of-the-answers']"
        if isinstance(kind, answers.Rows):
            return name, f"{name} = {name}.iloc[1:]"
    raise AssertionError(f"{module.slug} has no exercise this test knows how to answer wrongly: extend _wrong_line")


def _one_module_per_kind_of_wrong_answer() -> list:
    """The first module for each kind of answer that _wrong_line makes wrong: validate's line for a wrong answer is
    written by that kind's check, so these show every form of it (every module is autograded above)."""
    chosen = {}
    for module in course.MODULES:
        name, _ = _wrong_line(module)
        chosen.setdefault(type(exercises_of(module.number)[name].answer), module)
    return list(chosen.values())


VALIDATED = _one_module_per_kind_of_wrong_answer()


def _submit(root, student: str, slug: str, notebook) -> None:
    folder = root / "grading" / "submitted" / student / slug
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{slug}.ipynb")


class RoundTrip(NamedTuple):
    """One module's round trip: its scratch course root, the exercise answered wrongly, the lines of its right answers,
    and what `nbgrader validate` printed for the wrong submission (for the modules validated, else None)."""

    root: Path
    wrong: str
    expected: set[str]
    validated: str | None


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Scratch courses with three students per module (four where answer panels exist), autograded and given feedback.

    The modules are split over two course roots graded side by side, so the round trip of every module takes about
    half as long as one after the other; the validate runs and the expected values are worked out meanwhile.
    Returns {slug: RoundTrip}."""
    wrong = {}
    halves = (course.MODULES[0::2], course.MODULES[1::2])
    roots = [copy_course_root(tmp_path_factory.mktemp("course")) for _ in halves]
    root_of = {module.slug: root for root, modules in zip(roots, halves) for module in modules}
    jobs = []
    for root, modules in zip(roots, halves):
        steps = [("generate_assignment", module.slug) for module in modules]
        for module in modules:
            slug = module.slug
            _submit(root, "right", slug, nbformat.read(notebook_path("solutions", slug), as_version=4))
            _submit(root, "blank", slug, nbformat.read(notebook_path("course", slug), as_version=4))
            if slug in PANEL_WALKTHROUGH_MODULES:  # answered by panel only: the blank release and its answers file
                _submit(root, "panel", slug, nbformat.read(notebook_path("course", slug), as_version=4))
                record_right_answers(module.number, root / "grading" / "submitted" / "panel" / slug)
            one_wrong = nbformat.read(notebook_path("solutions", slug), as_version=4)
            wrong[slug], line = _wrong_line(module)
            cell = next(c for c in one_wrong.cells if c.metadata.get("nbgrader", {}).get("grade_id") == wrong[slug])
            cell.source += f"\n{line}"
            _submit(root, "one_wrong", slug, one_wrong)
            students = (*STUDENTS, "panel") if slug in PANEL_WALKTHROUGH_MODULES else STUDENTS
            steps += [("autograde", slug, student) for student in students]
            steps += [("generate_feedback", slug, student) for student in FEEDBACK_READ_FOR]
        jobs.append((root, steps))
    scratch = tmp_path_factory.mktemp("validate")
    validating = {}
    for module in VALIDATED:
        submitted = root_of[module.slug] / "grading" / "submitted" / "one_wrong" / module.slug / f"{module.slug}.ipynb"
        with (scratch / module.slug).open("w") as output:  # a file, not a pipe: a full pipe would stall it
            command = [*NBGRADER, "validate", str(submitted)]
            validating[module.slug] = subprocess.Popen(command, cwd=root_of[module.slug], stdout=output, text=True)
    with nbgrader_steps_running(jobs):  # meanwhile, in this process: the values the feedback must not show
        expected = {module.slug: _expected_values(module) for module in course.MODULES}
    for process in validating.values():
        process.wait()
    return {
        slug: RoundTrip(root, wrong[slug], expected[slug], (scratch / slug).read_text() if slug in validating else None)
        for slug, root in root_of.items()
    }


def _expected_values(module) -> set[str]:
    """Every line (of 3 characters or more) of every right answer of the module, as a check would write it."""
    solved = run_solution_code(module.slug)
    return {
        part
        for name, ex in exercises_of(module.number).items()
        for part in ex.answer.canonical(solved[name]).splitlines()
        if len(part) >= 3
    }


def _grades(root, slug: str, student: str) -> dict[str, tuple[float, float]]:
    """The autograded cells' (score, maximum); written answers waiting for a grader are left out (see below)."""
    with Gradebook(f"sqlite:///{root / 'grading' / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(slug, student)
        return {
            grade.name: (grade.score, grade.max_score)
            for nb in submission.notebooks
            for grade in nb.grades
            if grade.max_score and not grade.needs_manual_grade
        }


WRITTEN = [
    m for m in course.MODULES if rubric.written_answers(nbformat.read(notebook_path("solutions", m.slug), as_version=4))
]


@pytest.mark.parametrize("module", WRITTEN, ids=lambda m: m.slug)
def test_a_written_answer_waits_in_formgrader_with_its_rubric(graded, module):
    """The solution's written answer is graded by hand: the gradebook holds it as needing a grader, for its points, and
    the autograded notebook formgrader opens shows the answer with the rubric under it (chainlab's autograde step)."""
    root = graded[module.slug].root
    slug = module.slug
    rubrics = rubric.written_answers(nbformat.read(notebook_path("solutions", slug), as_version=4))
    with Gradebook(f"sqlite:///{root / 'grading' / 'gradebook.db'}") as gradebook:
        waiting = {
            grade.name: grade.max_score
            for nb in gradebook.find_submission(slug, "right").notebooks
            for grade in nb.grades
            if grade.needs_manual_grade
        }
        blank = {
            grade.name: grade.score
            for nb in gradebook.find_submission(slug, "blank").notebooks
            for grade in nb.grades
            if grade.name in rubrics
        }
    points = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nbformat.read(notebook_path("solutions", slug), as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") in rubrics
    }
    assert waiting == points, "each written answer waits for a grader, for its points"
    assert blank == dict.fromkeys(rubrics, 0), "an untouched written answer scores 0 without a grader"
    path = root / "grading" / "autograded" / "right" / slug / f"{slug}.ipynb"
    shown = rubric.add_rubrics(nbformat.read(path, as_version=4), rubrics)
    for name, text in rubrics.items():
        position = next(i for i, c in enumerate(shown.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == name)
        answer, under = shown.cells[position], shown.cells[position + 1]
        assert "YOUR ANSWER HERE" not in answer.source and answer.source.strip(), (
            "the learner's written answer is shown"
        )
        assert under.source.startswith(rubric.MARKER) and text in under.source, "its rubric is right under it"


def _cells_with_errors(root, slug: str, student: str, *, grade_cells: bool) -> list[str]:
    """The autograded notebook's cells (their first line) that stopped with an error; grade cells only if asked."""
    notebook = nbformat.read(root / "grading" / "autograded" / student / slug / f"{slug}.ipynb", as_version=4)
    return [
        cell.source.splitlines()[0] if cell.source else "(empty cell)"
        for cell in notebook.cells
        if cell.cell_type == "code"
        and (grade_cells or not cell.metadata.get("nbgrader", {}).get("grade"))
        and any(output.get("output_type") == "error" for output in cell.get("outputs", []))
    ]


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_the_solution_runs_without_an_error_and_scores_full_marks_on_every_cell(graded, module):
    """Autograding runs the instructor notebook strict (a wrong worked answer fails its check): this is the solution's
    notebook test in `make test`, which leaves solutions/ out of its nbval run (see the Makefile)."""
    root = graded[module.slug].root
    assert not _cells_with_errors(root, module.slug, "right", grade_cells=True)
    grades = _grades(root, module.slug, "right")
    assert grades and all(score == maximum for score, maximum in grades.values()), grades


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_the_untouched_release_runs_to_its_checks_and_scores_zero(graded, module):
    """Only checks may stop with an error in an untouched release: every other cell of the learner's notebook runs."""
    root = graded[module.slug].root
    assert not _cells_with_errors(root, module.slug, "blank", grade_cells=False)
    grades = _grades(root, module.slug, "blank")
    assert grades and all(score == 0 for score, _ in grades.values()), grades


@pytest.mark.parametrize("slug", PANEL_WALKTHROUGH_MODULES)
def test_a_submission_answered_by_answer_panel_only_scores_full_marks(graded, slug):
    root = graded[slug].root
    grades = _grades(root, slug, "panel")
    assert grades and all(score == maximum for score, maximum in grades.values()), grades
    assert (root / "grading" / "autograded" / "panel" / slug / f"{slug}.answers.json").exists()


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_one_wrong_answer_loses_exactly_that_cells_points(graded, module):
    root, wrong = graded[module.slug].root, graded[module.slug].wrong
    grades = _grades(root, module.slug, "one_wrong")
    lost = {cell for cell, (score, maximum) in grades.items() if score != maximum}
    assert lost == {f"correct_{wrong}"}
    assert grades[f"correct_{wrong}"][0] == 0


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_feedback_holds_no_hidden_test_no_key_and_no_expected_value(graded, module):
    root, expected = graded[module.slug].root, graded[module.slug].expected
    key_table = json.loads((keys.PACKAGE_KEYS / f"{module.slug}.json").read_text())
    secrets = {key_table["salt"]} | {
        digest for entry in key_table["answers"].values() for digest in entry.values() if digest
    }
    for student in FEEDBACK_READ_FOR:
        html = (root / "grading" / "feedback" / student / module.slug / f"{module.slug}.html").read_text()
        assert "HIDDEN TESTS" not in html
        assert not any(secret in html for secret in secrets), "feedback shows answer-key material"
        autograded = nbformat.read(
            root / "grading" / "autograded" / student / module.slug / f"{module.slug}.ipynb", as_version=4
        )
        check_outputs = "\n".join(
            json.dumps(output)
            for cell in autograded.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
            for output in cell.get("outputs", [])
        )
        leaked = [part for part in expected if part in check_outputs]
        assert not leaked, f"{student}'s check outputs reveal expected values: {leaked[:3]}"


@pytest.mark.parametrize("module", course.MODULES, ids=lambda m: m.slug)
def test_feedback_names_exercises_by_title_in_course_order_with_a_plain_wrapped_verdict(graded, module):
    root, wrong = graded[module.slug].root, graded[module.slug].wrong
    html = (root / "grading" / "feedback" / "one_wrong" / module.slug / f"{module.slug}.html").read_text()
    exercises = list(exercises_of(module.number).values())
    titles = [f"Exercise {exercise.number}: {exercise.title}" for exercise in exercises]
    positions = [html.find(f">{title}</a>") for title in titles]
    assert -1 not in positions and positions == sorted(positions), (
        "the contents list names every exercise, in course order"
    )
    assert "Test cell" not in html and "Grade cell:" not in html
    number = exercises_of(module.number)[wrong].number
    assert f"Exercise {number} · Not yet:" in html
    assert "AnswerNotAccepted" not in html and "core.py" not in html and str(root) not in html, (
        "no checker frames or server paths"
    )


@pytest.mark.parametrize("module", VALIDATED, ids=lambda m: m.slug)
def test_validate_lists_a_wrong_answer_as_one_plain_line_not_cut_off(graded, module):
    trip = graded[module.slug]
    number = exercises_of(module.number)[trip.wrong].number
    assert f"Exercise {number} · Not yet:" in trip.validated, trip.validated[-2000:]
    assert (
        "AnswerNotAccepted" not in trip.validated
        and "core.py" not in trip.validated
        and str(trip.root) not in trip.validated
    )
    failure = trip.validated[trip.validated.index(f"Exercise {number} · Not yet:") :]
    assert not any(line.rstrip().endswith("...") for line in failure.splitlines()[:6]), (
        "validate cut the learner's message off"
    )
