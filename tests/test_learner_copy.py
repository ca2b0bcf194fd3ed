"""my-course/, the learner's own copy (make lab): no release or git pull overwrites a learner's work; the course home."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from chainlab import course, course_home, learner_copy, progress
from chainlab.exercises.answers import BLANK
from chainlab.exercises.core import exercises_of

from .notebook_tools import copy_course_root

FIRST = "00_getting_started/00_getting_started.ipynb"
SECOND = "01_blockchain_fundamentals/01_blockchain_fundamentals.ipynb"


def _work_in(path):
    """Answer the first exercise of a notebook and give it an output, as a learner's save does."""
    book = nbformat.read(path, as_version=4)
    answer = next(c for c in book.cells if c.metadata.get("nbgrader", {}).get("solution"))
    answer.source = answer.source.replace("____", "len(transfers)")
    answer.execution_count = 3
    nbformat.write(book, path)
    return answer.source


def _git(folder, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def test_first_sync_copies_every_module_and_writes_the_home(tmp_path):
    said = learner_copy.sync(course.ROOT / "course", tmp_path / "my-course")
    assert (tmp_path / "my-course" / FIRST).is_file() and any(FIRST in line for line in said)
    home = nbformat.read(tmp_path / "my-course" / learner_copy.HOME, as_version=4)
    assert f"({FIRST})" in home.cells[1].source, "the home links every module"
    settings = json.loads((tmp_path / "my-course" / ".jupyter" / "labconfig" / "page_config.json").read_text())
    assert settings["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True


def test_git_pull_of_a_new_release_leaves_an_edited_copy_as_it_was(tmp_path):
    origin = tmp_path / "origin"
    shutil.copytree(course.ROOT / "course", origin / "course")
    _git(origin, "init", "-q")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "release")
    _git(tmp_path, "clone", "-q", str(origin), "clone")
    clone = tmp_path / "clone"
    learner_copy.sync(clone / "course", clone / "my-course")
    answered = _work_in(clone / "my-course" / FIRST)
    for name in (FIRST, SECOND):  # the instructor publishes a new release of both modules
        book = nbformat.read(origin / "course" / name, as_version=4)
        book.cells.append(nbformat.v4.new_markdown_cell("A new paragraph."))
        nbformat.write(book, origin / "course" / name)
    _git(origin, "commit", "-qam", "new release")
    _git(clone, "pull", "-q")
    said = learner_copy.sync(clone / "course", clone / "my-course")
    mine = nbformat.read(clone / "my-course" / FIRST, as_version=4)
    assert answered in [c.source for c in mine.cells] and "A new paragraph." not in mine.cells[-1].source, (
        "the learner's work is kept"
    )
    beside = clone / "my-course" / FIRST.replace(".ipynb", learner_copy.NEW_RELEASE_SUFFIX)
    assert nbformat.read(beside, as_version=4).cells[-1].source == "A new paragraph.", (
        "the new release is offered beside it"
    )
    assert nbformat.read(clone / "my-course" / SECOND, as_version=4).cells[-1].source == "A new paragraph.", (
        "an unchanged copy is updated"
    )
    assert any("kept your" in line for line in said) and any("updated" in line for line in said)


@pytest.mark.slow
def test_a_release_over_a_learners_edited_notebook_keeps_their_work(tmp_path):
    root = copy_course_root(tmp_path / "root")
    answered = _work_in(root / "course" / FIRST)
    result = subprocess.run(
        [sys.executable, "-m", "chainlab.cli", "grade", "release", "00", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    saved = nbformat.read(root / "my-course" / FIRST, as_version=4)
    assert answered in [c.source for c in saved.cells] and "saved to" in result.stdout
    assert not learner_copy.holds_learner_work(root / "course" / FIRST), "course/ holds the fresh release again"


def test_progress_survives_a_restart_and_marks_a_module_done(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINLAB_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
    exercises = list(exercises_of("00").values())
    exercises[0].check(BLANK)  # not answered yet: recorded as not right
    assert "0 of 6" in course_home.home_markdown().split("\n")[2]
    for exercise in exercises:
        progress.record(exercise.id, True)
    row = course_home.home_markdown().split("\n")[2]  # read afresh from the file, as after a kernel restart
    assert "done" in row and "00 · Using the lab" in row
    assert "Next: open [01" in course_home.home_markdown()
