"""All reads and writes of a course's gradebook.db go through here, from one process.

Workers grade each submission into a gradebook of its own; `merge` then copies
the automatic scores into the course's gradebook. Manual scores and comments are
never touched, so re-running the autograder loses no instructor's work.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from .workspace import GradingError, Workspace

COURSE_ID = "chainlab"


@dataclass
class CellScore:
    """One graded cell of a submission."""

    name: str
    auto_score: float | None
    max_score: float
    needs_manual_grade: bool
    auto_comment: str | None = None


def open_gradebook(db: Path) -> Gradebook:
    return Gradebook(f"sqlite:///{db}", COURSE_ID)


def require_assignment(ws: Workspace, slug: str) -> None:
    """Fail clearly unless the course's gradebook knows the assignment (that is, it was released)."""
    if ws.gradebook.exists():
        with open_gradebook(ws.gradebook) as gb:
            try:
                gb.find_assignment(slug)
                return
            except MissingEntry:
                pass
    raise GradingError(f"The gradebook has no assignment {slug}. Release it first: chainlab grade release {slug}")


def read_scores(db: Path, slug: str, student: str) -> tuple[list[CellScore], datetime | None]:
    """The cell scores and submission time of one learner's submission in a (worker's) gradebook."""
    with open_gradebook(db) as gb:
        submission = gb.find_submission(slug, student)
        cells = []
        for notebook in submission.notebooks:
            comments = {comment.name: comment.auto_comment for comment in notebook.comments}
            for grade in notebook.grades:
                cells.append(CellScore(grade.name, grade.auto_score, grade.max_score, grade.needs_manual_grade, comments.get(grade.name)))
        return cells, submission.timestamp


def merge(ws: Workspace, slug: str, student: str, cells: list[CellScore], timestamp: datetime | None, comments: dict[str, str]) -> None:
    """Write one learner's automatic scores and comments into the course gradebook, keeping manual grading."""
    with warnings.catch_warnings(), open_gradebook(ws.gradebook) as gb:
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session handling warns harmlessly here
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(slug, student, timestamp=timestamp) if timestamp else gb.update_or_create_submission(slug, student)
        by_name = {cell.name: cell for cell in cells}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                cell = by_name.get(grade.name)
                if cell is None:
                    continue
                grade.auto_score = cell.auto_score
                grade.needs_manual_grade = cell.needs_manual_grade and grade.manual_score is None
            for comment in notebook.comments:
                if comment.name in comments:
                    comment.auto_comment = comments[comment.name]
        gb.db.commit()


def cohort_scores(ws: Workspace, slug: str) -> dict[str, dict[str, CellScore]]:
    """Every graded learner's cells (score = manual if given, else automatic) in the course gradebook."""
    result: dict[str, dict[str, CellScore]] = {}
    if not ws.gradebook.exists():
        return result
    with open_gradebook(ws.gradebook) as gb:
        for submission in gb.assignment_submissions(slug):
            cells = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    cells[grade.name] = CellScore(grade.name, grade.score, grade.max_score, grade.needs_manual_grade)
            result[submission.student_id] = cells
    return result
