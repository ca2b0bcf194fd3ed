"""A check judges what the answer cell just produced: after the cell stops with an error, it never reports on an older value.

An answer cell edited and not run is seen only in the page: tests/test_browser.py shows the verdict give way there;
here, that the verdict's widget is told the right variable and finds its answer cell by the right pattern.
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from chainlab import course
from chainlab.exercises.core import Feedback, exercises_of, feedback_box
from chainlab.exercises.runs import assigned_names, assignment_pattern, last_run, record
from chainlab.exercises.verdict_view import VerdictView

from .notebook_tools import notebook_path

SETUP = "import chainlab as cl\nfrom chainlab.exercises import ____\nfrom chainlab.exercises import m00 as ex\nfrom chainlab.cases import m00 as case\ntransfers = case.transfers()"
CHECK = "from chainlab.exercises import m00 as ex\nex.n_transfers.check(n_transfers)"
BROKEN_ANSWERS = {
    "NameError": "n_transfers = (len(transfer))",
    "TypeError": "n_transfers = len(transfers) + ____",
    "SyntaxError": 'n_transfers = len("transfers)',
}


def _run(cells: list[str], strict: bool, monkeypatch):
    if strict:
        monkeypatch.setenv("CHAINLAB_STRICT", "1")
    else:
        monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    notebook = new_notebook(cells=[new_code_cell(source, id=f"cell-{i}") for i, source in enumerate(cells)])
    NotebookClient(notebook, allow_errors=True, kernel_name="python3", timeout=120).execute()
    return notebook.cells


def _text(cell) -> str:
    return "\n".join(
        output.get("data", {}).get("text/plain", "") + "\n".join(output.get("traceback", [])) for output in cell.outputs
    )


@pytest.mark.parametrize("error", sorted(BROKEN_ANSWERS))
def test_after_a_good_run_an_answer_cell_that_stops_with_an_error_is_not_judged(error, monkeypatch):
    cells = _run(
        [SETUP, "n_transfers = len(transfers)", CHECK, BROKEN_ANSWERS[error], CHECK],
        strict=False,
        monkeypatch=monkeypatch,
    )
    assert "Correct" in _text(cells[2])
    stale = _text(cells[4])
    assert "Correct" not in stale and "Not yet" not in stale
    assert f"({error})" in stale and "run the answer cell again" in stale


def test_under_strict_mode_the_grade_cell_fails_with_one_plain_line(monkeypatch):
    cells = _run(
        [SETUP, "n_transfers = len(transfers)", CHECK, BROKEN_ANSWERS["NameError"], CHECK],
        strict=True,
        monkeypatch=monkeypatch,
    )
    assert not [o for o in cells[2].outputs if o.output_type == "error"]
    errors = [o for o in cells[4].outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "AnswerNotAccepted"
    text = "\n".join(errors[0].traceback)
    assert text.startswith("Exercise 1 · Not checked: Your answer cell stopped with an error (NameError)")
    assert "core.py" not in text and "File " not in text  # no frames from the checker, no server path


def test_fixing_the_cell_and_running_it_again_is_judged_again(monkeypatch):
    cells = _run(
        [SETUP, BROKEN_ANSWERS["NameError"], "n_transfers = len(transfers)", CHECK],
        strict=False,
        monkeypatch=monkeypatch,
    )
    assert "Correct" in _text(cells[3])


def test_a_wrong_answer_under_strict_mode_names_the_exercise_and_shows_no_frames(monkeypatch):
    cells = _run([SETUP, "n_transfers = 3", CHECK], strict=True, monkeypatch=monkeypatch)
    (error,) = [o for o in cells[2].outputs if o.output_type == "error"]
    assert error.traceback[0].startswith("Exercise 1 · Not yet:") and all(len(line) <= 80 for line in error.traceback)
    assert "core.py" not in "\n".join(error.traceback)


def test_assigned_names_are_the_module_level_ones():
    source = "import pandas as pd\nx, (y, z) = 1, (2, 3)\ntotal += 1\nfor row in []: pass\ndef f(a):\n    inner = a\nsquares = [n * n for n in range(3)]"
    assert assigned_names(source) == {"pd", "x", "y", "z", "total", "row", "f", "squares"}
    assert assigned_names('answer = "no closing quote\nother = 2') == {
        "answer",
        "other",
    }  # does not parse: line by line


def test_a_cell_that_no_longer_parses_still_marks_the_names_it_assigned_before():
    record("hidden_answer = 1", None, cell_id="c1")
    record("this does not parse (", SyntaxError("x"), cell_id="c1")
    assert last_run("hidden_answer").error == "SyntaxError"


@pytest.mark.parametrize("slug", [module.slug for module in course.MODULES])
def test_each_check_s_verdict_watches_the_answer_cell_it_checks(slug, monkeypatch):
    """The pattern the page uses finds each exercise's answer cell in the learner's release, and not its check cell."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
    cells = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nbformat.read(notebook_path("course", slug), as_version=4).cells
        if cell.cell_type == "code" and "grade_id" in cell.metadata.get("nbgrader", {})
    }
    for name, exercise in exercises_of(slug[:2]).items():
        (view,) = [
            c for c in feedback_box(Feedback("correct", "Well done."), exercise).children if isinstance(c, VerdictView)
        ]
        assert view.variable == name and "Correct:" in view.verdict
        assert "Shift+Enter" in view.edited and "Run this check again" in view.rerun
        assigns = re.compile(view.assigns, re.MULTILINE)
        assert assigns.search(cells[name]), f"{slug}: the page would not find the answer cell of {name}"
        assert not assigns.search(cells[f"correct_{name}"]), (
            f"{slug}: the page would take {name}'s check for its answer"
        )


def test_the_answer_cell_pattern_wants_an_assignment_to_that_very_name():
    assigns = re.compile(assignment_pattern("total"), re.MULTILINE)
    assert assigns.search("# the sum\ntotal = (\n    1\n)") and assigns.search("total += 1")
    assert (
        not assigns.search("total == 1") and not assigns.search("total_btc = 1") and not assigns.search("  total = 1")
    )
    with pytest.raises(ValueError, match="not a Python variable name"):
        assignment_pattern("total) or (1")


def test_under_strict_mode_a_check_has_no_verdict_widget(monkeypatch):
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    assert feedback_box(Feedback("correct", "Well done."), exercises_of("00")["n_transfers"]) is None
