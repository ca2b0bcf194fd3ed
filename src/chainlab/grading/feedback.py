"""Feedback for learners: nbgrader's feedback HTML, with no hidden-test source and no expected values.

nbgrader's own feedback shows the autograded notebook as it ran, hidden tests
included. Here a preprocessor removes each hidden-test region and replaces that
cell's outputs (a failing hidden assert prints its line and its values) with one
sentence, and another makes the learner's markup inert (`sanitize`: no script,
handler or active HTML reaches the page). Every page written is then searched for
instructor-only text: hidden-test lines from solutions/ and the answer keys' salt
and hashes anywhere on the page, and the worked solutions in what the learner's
code printed; as written, reversed, or base64- or hex-encoded. A page that
contains any is deleted, never handed out, and its learner flagged. The checks'
own messages never state an expected answer (see `chainlab.exercises.answers`).

The page names each exercise by its number and title, in course order, and
under each exercise's test cell shows its last hint and worked solution, from the
cohort's instructor keys: an assessment's learner gets them here, with the
returned feedback, and nowhere before (a template in templates/feedback;
`configure` sets it up for any nbgrader command that reads the course's
nbgrader_config.py). The template escapes them like any text.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import nbgrader
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets import Bool

from .. import course
from ..exercises.core import exercises_of
from ..exercises.answer_widgets import PANEL_LINE
from ..exercises.keys import solution_cells
from . import release, rubric, sanitize, status
from .workspace import GradingError, Workspace

HIDDEN_DELIMITERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
TEMPLATES = Path(__file__).with_name("templates")
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"


def exercise_titles(slug: str) -> dict[str, str]:
    """Each graded cell's grade id (`correct_<name>`) mapped to "Exercise n: <title>", in course order."""
    exercises = exercises_of(course.module(slug).number)
    return {f"correct_{name}": f"Exercise {exercise.number}: {exercise.title}" for name, exercise in exercises.items()}


def worked_answers(root: Path, slug: str) -> dict[str, dict[str, str]]:
    """Each graded cell's grade id (`correct_<name>`) mapped to its exercise's last hint and worked solution, from the
    cohort's instructor keys (an assessment's learners get them only here); {} for a module not released to the cohort."""
    try:
        table = release.cohort_keys(Workspace(root), slug)
    except GradingError:
        return {}
    module = course.module(slug).number
    found = {}
    for name in exercises_of(module):
        worked = {
            part: table.get(part, {}).get(f"{module}.{name}") for part in ("last_hints", "solutions")
        }
        if any(worked.values()):
            found[f"correct_{name}"] = worked
    return found


class NameExercises(Preprocessor):
    """Give each graded cell of an exercise its title (instead of nbgrader's "Test cell"), its last hint and its worked
    solution, for the feedback template."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        slug = resources.get("nbgrader", {}).get("assignment")
        root = self.config.get("CourseDirectory", {}).get("root")
        self._titles = exercise_titles(slug) if slug else {}
        self._worked = worked_answers(Path(root), slug) if slug and root else {}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        title = self._titles.get(grade_id)
        if title:
            cell.metadata["chainlab_title"] = title
        worked = self._worked.get(grade_id, {})
        if worked.get("last_hints"):
            cell.metadata["chainlab_last_hint"] = worked["last_hints"]
        if worked.get("solutions"):
            cell.metadata["chainlab_worked_solution"] = worked["solutions"]
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


class MakeInert(Preprocessor):
    """Make the learner's markdown and outputs inert (`sanitize.clean_notebook`) before a page is rendered."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        sanitize.clean_notebook(nb)
        return nb, resources


class FeedbackExporter(HTMLExporter):
    """nbgrader's HTML exporter, for feedback pages only: the course's feedback template is set on this class, so that
    formgrader's exporter (a plain HTMLExporter) keeps its own template."""


def configure(config) -> None:
    """Set nbgrader up for this course: feedback with hidden tests removed, exercises named by title, errors wrapped;
    learner markup made inert on every page nbgrader renders (formgrader's and the feedback pages)."""
    config.GenerateFeedback.preprocessors = [GetGrades, RemoveHiddenTests, NameExercises, CSSHTMLHeaderPreprocessor]
    config.GenerateFeedback.exporter_class = FeedbackExporter
    config.HTMLExporter.preprocessors = [MakeInert]
    # nbgrader's API sets the template name to "feedback": our templates/feedback/ comes first on that name's path, and its
    # file is not called index.html.j2, so that it can extend nbgrader's feedback/index.html.j2.
    config.FeedbackExporter.template_name = "feedback"
    config.FeedbackExporter.template_file = "chainlab_feedback.html.j2"
    config.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]


def hidden_test_lines(solution) -> list[str]:
    """The lines of every hidden-test region of the instructor notebook (6 characters or longer)."""
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
    return lines


def instructor_only_text(ws: Workspace, slug: str) -> list[str]:
    """Text that must never reach a learner's page: hidden-test lines, rubric lines, the answer keys' salt and hashes."""
    solution = nbformat.read(ws.solutions / slug / f"{slug}.ipynb", as_version=4)
    lines = hidden_test_lines(solution)
    lines += [line.strip() for text in rubric.written_answers(solution).values() for line in text.splitlines() if len(line.strip()) >= 12]
    keys = release.cohort_keys(ws, slug)
    hashes = [value for answer in keys["answers"].values() for value in answer.values() if value]
    return lines + [keys["salt"], *hashes]


def worked_solution_lines(ws: Workspace, slug: str) -> list[str]:
    """The lines of the instructor's worked solutions (16 characters or longer), which a learner's code must not print."""
    solution = nbformat.read(ws.solutions / slug / f"{slug}.ipynb", as_version=4)
    return [line.strip() for code in solution_cells(solution).values() for line in code.splitlines() if len(line.strip()) >= 16]


def readings(text: str) -> Iterator[tuple[str, str]]:
    """(how, text) for the ways a page or output could carry a secret: as written, reversed, and decoded from base64 or hex runs."""
    yield "as written", text
    yield "reversed", text[::-1]
    joined = re.sub(r"\s*\n\s*", "", text)  # encoded text wrapped over lines
    decoded = []
    for run in set(re.findall(r"[A-Za-z0-9+/_-]{16,}", text)) | set(re.findall(r"[A-Za-z0-9+/_-]{16,}", joined)):
        for start in range(4):  # a secret inside a longer encoded text starts at any of 4 offsets
            chunk = run[start:]
            chunk = chunk[:-1] if len(chunk) % 4 == 1 else chunk + "=" * (-len(chunk) % 4)
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                try:
                    decoded.append(decode(chunk).decode("utf-8", "ignore"))
                except (binascii.Error, ValueError):
                    pass
    yield "base64-encoded", "\n".join(decoded)
    runs = [run[start:] for run in set(re.findall(r"[0-9a-fA-F]{16,}", joined)) for start in (0, 1)]
    yield "hex-encoded", "\n".join(bytes.fromhex(run[: len(run) - len(run) % 2]).decode("utf-8", "ignore") for run in runs)


def leak_report(page: str, secrets: list[str]) -> dict[str, str]:
    """Each instructor-only string a page or output carries, and how (as written, reversed, base64- or hex-encoded)."""
    text = html.unescape(re.sub(r"data:image/[\w.+-]+;base64,[A-Za-z0-9+/=]+", "", page))  # images are not text
    found = {}
    for how, reading in readings(text):
        for secret in secrets:
            if secret not in found and secret in reading:
                found[secret] = how
    return found


def leaks(page: str, secrets: list[str]) -> list[str]:
    """The instructor-only strings that appear in a page or output, in any of the `readings`."""
    return list(leak_report(page, secrets))


def printed_text(notebook) -> str:
    """Everything the notebook's code printed or showed as text (streams, errors, text outputs), but the lines in which
    an answer panel shows the learner's own chosen answer as code."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts += [output.get("text", ""), output.get("evalue", ""), *output.get("traceback", [])]
            parts += [value for kind, value in output.get("data", {}).items() if not kind.startswith("image/") and isinstance(value, str)]
    lines = "\n".join(str(part) for part in parts).splitlines()
    return "\n".join(line for line in lines if not line.startswith(PANEL_LINE))  # an answer panel's own line of code


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
    secrets, solutions = instructor_only_text(ws, slug), worked_solution_lines(ws, slug)
    pages, withheld = [], {}
    for student in graded:
        result = api.generate_feedback(slug, student, force=True)
        page = ws.feedback / student / slug / f"{slug}.html"
        if not result["success"] or not page.exists():
            withheld[student] = [f"nbgrader could not write feedback: {(result.get('error') or '').strip().splitlines()[-1:]}"]
            continue
        autograded = nbformat.read(ws.autograded / student / slug / f"{slug}.ipynb", as_version=4)
        found = leak_report(page.read_text(encoding="utf-8"), secrets) | leak_report(printed_text(autograded), solutions)
        if found:
            page.unlink()
            reason = f"feedback withheld: it carried {len(found)} piece(s) of instructor-only text (hidden tests, worked solutions or answer keys; {', '.join(sorted(set(found.values())))}), which the learner's code can only have read from the grader's files"
            withheld[student] = [reason]
            records[student].setdefault("flags", []).append(reason)
            continue
        pages.append(page)
    if withheld:
        status.save(ws, slug, records)
    with zipfile.ZipFile(ws.feedback / f"{slug}-feedback.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for page in pages:
            bundle.write(page, page.relative_to(ws.feedback))
    return pages, withheld
