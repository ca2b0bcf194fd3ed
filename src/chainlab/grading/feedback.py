"""Feedback for learners: nbgrader's feedback HTML, with no hidden-test source and no expected values.

nbgrader's own feedback shows the autograded notebook as it ran, hidden tests
included. Here a preprocessor removes each hidden-test region and replaces that
cell's outputs (a failing hidden assert prints its line and its values) with one
sentence. Every page written is then searched for instructor-only text: hidden
test lines from solutions/ and the answer keys' salt and hashes. A page that
contains any is deleted and reported, never handed out. The checks' own messages
never state an expected answer (see `chainlab.exercises.answers`).

The page names each exercise by its number and title, in course order (a
template in templates/feedback; `configure` sets it up for any
nbgrader command that reads the course's nbgrader_config.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import nbgrader
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets import Bool

from .. import course
from ..exercises.core import exercises_of
from . import release, rubric, status
from .workspace import GradingError, Workspace

HIDDEN_DELIMITERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
TEMPLATES = Path(__file__).with_name("templates")
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"


def exercise_titles(slug: str) -> dict[str, str]:
    """Each graded cell's grade id (`correct_<name>`) mapped to "Exercise n: <title>", in course order."""
    exercises = exercises_of(course.module(slug).number)
    return {f"correct_{name}": f"Exercise {exercise.number}: {exercise.title}" for name, exercise in exercises.items()}


class NameExercises(Preprocessor):
    """Give each graded cell of an exercise its title, for the feedback template (instead of nbgrader's "Test cell")."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        slug = resources.get("nbgrader", {}).get("assignment")
        self._titles = exercise_titles(slug) if slug else {}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        title = self._titles.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if title:
            cell.metadata["chainlab_title"] = title
        return cell, resources


class RemoveHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions and, in those cells, everything the tests printed; remove rubrics."""

    def preprocess(self, nb, resources):
        return super().preprocess(rubric.remove_rubrics(nb), resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and self._remove_hidden_test_region(cell):
            failed = any(output.get("output_type") == "error" for output in cell.get("outputs", []))
            message = "A hidden test of this answer did not pass.\n" if failed else "The hidden tests of this answer passed.\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=message)]
        return cell, resources


def configure(config) -> None:
    """Set nbgrader's feedback up for this course: hidden tests removed, exercises named by title, errors wrapped."""
    config.GenerateFeedback.preprocessors = [GetGrades, RemoveHiddenTests, NameExercises, CSSHTMLHeaderPreprocessor]
    # nbgrader's API sets the template name to "feedback": our templates/feedback/ comes first on that name's path, and its
    # file is not called index.html.j2, so that it can extend nbgrader's feedback/index.html.j2.
    config.HTMLExporter.template_name = "feedback"
    config.HTMLExporter.template_file = "chainlab_feedback.html.j2"
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]


def instructor_only_text(ws: Workspace, slug: str) -> list[str]:
    """Text that must never reach a learner: hidden-test lines, rubric lines, the answer keys' salt and hashes."""
    solution = nbformat.read(ws.solutions / slug / f"{slug}.ipynb", as_version=4)
    lines = []
    for cell in solution.cells:
        hidden = False
        for line in cell.source.splitlines():
            if HIDDEN_DELIMITERS[0] in line:
                hidden = True
            elif HIDDEN_DELIMITERS[1] in line:
                hidden = False
            elif hidden and len(line.strip()) >= 6:
                lines.append(line.strip())
    lines += [line.strip() for text in rubric.written_answers(solution).values() for line in text.splitlines() if len(line.strip()) >= 12]
    keys = release.cohort_keys(ws, slug)
    hashes = [value for answer in keys["answers"].values() for value in answer.values() if value]
    return lines + [keys["salt"], *hashes]


def leaks(page: str, secrets: list[str]) -> list[str]:
    """The instructor-only strings that appear in a feedback page."""
    return [secret for secret in secrets if secret in page]


def generate(ws: Workspace, slug: str) -> tuple[list[Path], dict[str, list[str]]]:
    """Feedback pages for every graded learner of `slug`, and a zip of them; also the pages withheld and why."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    records = status.load(ws, slug)
    graded = sorted(student for student, record in records.items() if record.get("status") == status.GRADED)
    if not graded:
        raise GradingError(f"No graded submissions of {slug} yet. Run: chainlab grade autograde {slug}")
    config = ws.nbgrader_config()
    configure(config)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    secrets = instructor_only_text(ws, slug)
    pages, withheld = [], {}
    for student in graded:
        result = api.generate_feedback(slug, student, force=True)
        page = ws.feedback / student / slug / f"{slug}.html"
        if not result["success"] or not page.exists():
            withheld[student] = [f"nbgrader could not write feedback: {(result.get('error') or '').strip().splitlines()[-1:]}"]
            continue
        found = leaks(page.read_text(encoding="utf-8"), secrets)
        if found:
            page.unlink()
            withheld[student] = [f"withheld: the page contained instructor-only text ({len(found)} item(s))"]
            continue
        pages.append(page)
    with zipfile.ZipFile(ws.feedback / f"{slug}-feedback.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for page in pages:
            bundle.write(page, page.relative_to(ws.feedback))
    return pages, withheld
