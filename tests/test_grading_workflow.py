"""The whole instructor workflow on a synthetic cohort: release, collect (LMS zip), autograde, feedback, export, report.

Module 00 is copied into a temporary course root, with a hidden test and a
written answer added, so hidden-test leaks and manual grading are exercised too.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from chainlab.grading import (
    autograde,
    collect,
    export,
    feedback,
    gradebook,
    release,
    report,
    sandbox,
    status,
    synthetic,
)
from chainlab.grading.limits import Limits
from chainlab.grading.workspace import Workspace

from .answer_panels import record_right_answers
from .notebook_tools import copy_course_root

pytestmark = pytest.mark.slow

SLUG = "00_getting_started"
SEED = 41
HIDDEN_TEST = '### BEGIN HIDDEN TESTS\nassert n_transfers == len(transfers), f"hidden: expected {len(transfers)} transfers"\n### END HIDDEN TESTS'
RUBRIC = "Full marks name the column used for the order and say why."
LIMITS = Limits(cell_seconds=5, memory_mb=3000, submission_seconds=90)
SANDBOXED = (
    sandbox.unavailable() is None
)  # in the sandbox the grader judges every answer: a patched checker is just wrong
ANY_SCORE = "any"  # cells after a memory bomb may or may not find memory left, depending on the machine


def _author_extras(solution_path: Path) -> None:
    """Add a hidden test to the first test cell and a written answer (with its rubric) to the instructor notebook."""
    notebook = nbformat.read(solution_path, as_version=4)
    test = next(
        cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "correct_n_transfers"
    )
    test.source = test.source.replace("ex.n_transfers.check", f"{HIDDEN_TEST}\nex.n_transfers.check")
    written = nbformat.v4.new_markdown_cell(
        f"### BEGIN SOLUTION\n{RUBRIC}\nModel answer: sorting by timestamp shows the order of events.\n### END SOLUTION",
        metadata={
            "nbgrader": {
                "grade": True,
                "solution": True,
                "locked": False,
                "points": 2,
                "grade_id": "why_sort",
                "schema_version": 3,
                "task": False,
            }
        },
    )
    notebook.cells.insert(notebook.cells.index(test) + 1, written)
    nbformat.write(notebook, solution_path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A released, collected and autograded synthetic cohort, with the autograde outcomes."""
    root = tmp_path_factory.mktemp("course")
    copy_course_root(root, (SLUG,))
    _author_extras(root / "solutions" / SLUG / f"{SLUG}.ipynb")
    ws = Workspace(root)
    archive = release.release(ws, SLUG, seed=SEED)
    uploads = root / "uploads"
    synthetic.write_cohort(ws, SLUG, uploads)
    panel = uploads / "panel"  # answered by answer panel only: the blank release and its answers file
    panel.mkdir()
    shutil.copy2(ws.course / SLUG / f"{SLUG}.ipynb", panel / f"{SLUG}.ipynb")
    record_right_answers("00", panel)
    lms_zip = root / "lms-download.zip"
    with zipfile.ZipFile(lms_zip, "w") as zipped:
        for file in uploads.rglob("*"):
            if file.is_file():
                zipped.write(file, file.relative_to(uploads))
    collect.collect(ws, SLUG, lms_zip)
    outcomes = autograde.autograde(ws, SLUG, LIMITS, workers=2, progress=lambda line: None)
    return ws, archive, outcomes


def test_release_ships_the_cohort_seed_and_keys(graded):
    ws, archive, _ = graded
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        assert f"{SLUG}/{SLUG}.ipynb" in names
        assert json.loads(zipped.read(f"{SLUG}/chainlab_cohort/cohort.json"))["seed"] == SEED
        shipped_keys = json.loads(zipped.read(f"{SLUG}/chainlab_cohort/keys/{SLUG}.json"))
    assert shipped_keys == release.cohort_keys(ws, SLUG)
    assert not any("solutions" in name or name.endswith(".db") for name in names)


@pytest.mark.parametrize(
    "student, verdict, score, says",
    [
        ("right", status.GRADED, 6, ""),
        ("renamed", status.GRADED, 6, "renamed from My lab (1).ipynb"),
        ("partly-right", status.GRADED, 3, ""),
        ("blank", status.GRADED, 0, ""),
        ("panel", status.GRADED, 6, ""),
        ("deleted-test", status.GRADED, 6, "locked cells deleted (restored before grading): correct_n_transfers"),
        ("edited-test", status.GRADED, 0, "locked cells edited"),
        ("infinite-loop", status.GRADED, 6, "stopped at the 5 s time limit"),
        ("memory-bomb", status.GRADED, ANY_SCORE, "ran out of memory (limit 3000 MB)"),
        ("patched-checker", status.GRADED, 0, "" if SANDBOXED else "failed the re-check outside it"),
        ("reads-keys", status.GRADED, 6, "reaches into the answer keys"),
        ("kernel-crash", status.NOT_GRADED, None, "the kernel stopped unexpectedly"),
        ("invalid-json", status.NOT_GRADED, None, "its JSON breaks at line"),
        ("missing", status.MISSING, None, "no notebook in the submission"),
    ],
)
def test_each_submission_is_graded_or_flagged_with_a_reason(graded, student, verdict, score, says):
    _, _, outcomes = graded
    record = outcomes[student]
    assert record["status"] == verdict
    assert score == ANY_SCORE or record.get("score") == score
    explained = " | ".join([record.get("reason", ""), *record.get("flags", []), *record.get("notes", [])])
    assert says in explained


def test_scores_reach_the_course_gradebook_and_written_answers_wait_for_manual_grading(graded):
    ws, _, outcomes = graded
    scores = gradebook.cohort_scores(ws, SLUG)
    assert set(scores) == {s for s, r in outcomes.items() if r["status"] == status.GRADED}
    assert scores["patched-checker"]["correct_n_transfers"].auto_score == 0
    assert scores["right"]["correct_n_transfers"].auto_score == 1
    assert scores["right"]["why_sort"].needs_manual_grade
    autograded = nbformat.read(ws.autograded / "right" / SLUG / f"{SLUG}.ipynb", as_version=4)
    sources = [cell.source for cell in autograded.cells]
    assert any(RUBRIC in source for source in sources), "formgrader shows the rubric under the written answer"
    assert not any("chainlab grader: records" in source for source in sources)


def test_rerunning_is_idempotent_and_keeps_manual_grades(graded):
    ws, _, outcomes = graded
    with gradebook.open_gradebook(ws.gradebook) as gb:
        grade = gb.find_grade("why_sort", SLUG, SLUG, "right")
        grade.manual_score = 2
        grade.needs_manual_grade = False
        gb.db.commit()
    again = autograde.autograde(ws, SLUG, LIMITS, workers=2, progress=lambda line: None)
    assert again == outcomes
    autograde.autograde(ws, SLUG, LIMITS, workers=1, force=True, students=["right"], progress=lambda line: None)
    kept = gradebook.cohort_scores(ws, SLUG)["right"]["why_sort"]
    assert kept.auto_score == 2 and not kept.needs_manual_grade


def test_feedback_hides_hidden_tests_expected_values_and_rubrics(graded):
    ws, _, _ = graded
    blank_graded = (ws.autograded / "blank" / SLUG / f"{SLUG}.ipynb").read_text()
    assert "hidden: expected" in blank_graded, "the autograded notebook does hold the hidden test's message"
    pages, withheld = feedback.generate(ws, SLUG)
    assert withheld == {}
    assert {page.parent.parent.name for page in pages} == {
        "right",
        "renamed",
        "partly-right",
        "blank",
        "panel",
        "deleted-test",
        "edited-test",
        "infinite-loop",
        "memory-bomb",
        "patched-checker",
        "reads-keys",
    }
    for page in pages:
        text = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "assert n_transfers ==" not in text
        assert "hidden: expected" not in text and RUBRIC not in text
        assert not feedback.leaks(text, feedback.instructor_only_text(ws, SLUG))
        assert "Test cell" not in text and ">Exercise 1: how many transfers?</a>" in text, (
            "exercises are named by their titles"
        )
        if page.parent.parent.name != "memory-bomb":  # with no memory left, IPython drops the custom error display
            assert "core.py" not in text and "AnswerNotAccepted" not in text, (
                f"{page}: a refused check shows its message, not the checker's frames"
            )
    patched_page = (ws.feedback / "patched-checker" / SLUG / f"{SLUG}.html").read_text()
    assert ("No answer of the right form was recorded" if SANDBOXED else "re-check") in patched_page
    with zipfile.ZipFile(ws.feedback / f"{SLUG}-feedback.zip") as bundle:
        assert len(bundle.namelist()) == len(pages)


def test_grades_export_as_csv_and_the_report_shows_pass_rates_and_problems(graded):
    ws, _, outcomes = graded
    with open(export.export(ws, SLUG), newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    assert set(rows) == set(outcomes)
    assert rows["partly-right"]["score"] == "3" and rows["partly-right"]["correct_n_transfers"] == "1"
    assert rows["invalid-json"]["score"] == "" and "JSON" in rows["invalid-json"]["reason"]
    page = report.build(ws, SLUG)
    assert "Pass rate per exercise" in page and "data:image/png;base64," in page
    labels = list(feedback.exercise_titles(SLUG).values())
    positions = [page.find(f"<td>{label}</td>") for label in labels]
    assert -1 not in positions and positions == sorted(positions), (
        "the report names exercises by title, in course order"
    )
    for student in ("kernel-crash", "invalid-json", "missing", "patched-checker", "infinite-loop"):
        assert f"<td>{student}</td>" in page
