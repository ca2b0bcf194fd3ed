"""A synthetic cohort for a module: right, partly right and blank learners, and each hostile case.

Built from the module's release and solution notebooks, so it works for any module.
The tests run it through the whole workflow; the benchmark grades many copies.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from ..exercises.keys import solution_cells
from .integrity import grade_id
from .workspace import Workspace

HOSTILE_CODE = {
    "infinite-loop": "while True:\n    pass",
    "memory-bomb": "hoard = []\nwhile True:\n    hoard.append(bytes(50 * 1024 * 1024))",
    "kernel-crash": "import ctypes\nctypes.string_at(0)",
    "patched-checker": "import chainlab.exercises.core as core\ncore.Exercise.check = lambda self, value=None: None",
    "reads-keys": "import chainlab.exercises.keys as answer_keys\nkey_text = ''.join(f.read_text() for f in answer_keys.keys_dir().glob('*.json'))\nprint('read', len(key_text), 'characters of answer keys')",
}
WRITTEN_ANSWER = "I looked at the timestamps of the transfers, in my own words."
KINDS = ("right", "partly-right", "blank", "invalid-json", "deleted-test", "edited-test", *HOSTILE_CODE, "renamed", "missing")


def _answered(release, solutions: dict[str, str], how_many: int | None = None):
    """The release with the first `how_many` code answers (default all) filled in from the solutions, and written answers written."""
    notebook = copy.deepcopy(release)
    filled = 0
    for cell in notebook.cells:
        if not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            continue
        if cell.cell_type == "markdown":
            cell.source = WRITTEN_ANSWER
        elif grade_id(cell) in solutions and (how_many is None or filled < how_many):
            cell.source = solutions[grade_id(cell)]
            filled += 1
    return notebook


def _first_test(notebook) -> int:
    return next(i for i, cell in enumerate(notebook.cells) if (grade_id(cell) or "").startswith("correct_"))


def learner_notebook(kind: str, release, solutions: dict[str, str]):
    """The notebook a learner of `kind` submits (None for 'invalid-json' and 'missing', which have no notebook)."""
    if kind in ("right", "renamed"):
        return _answered(release, solutions)
    if kind == "partly-right":
        return _answered(release, solutions, how_many=len(solutions) // 2)
    if kind == "blank":
        return copy.deepcopy(release)
    if kind == "deleted-test":
        notebook = _answered(release, solutions)
        del notebook.cells[_first_test(notebook)]
        return notebook
    if kind == "edited-test":
        notebook = copy.deepcopy(release)
        for cell in notebook.cells:
            if (grade_id(cell) or "").startswith("correct_"):
                cell.source = "pass  # edited by the learner"
        return notebook
    if kind in HOSTILE_CODE:
        notebook = copy.deepcopy(release) if kind == "patched-checker" else _answered(release, solutions)
        notebook.cells.insert(_first_test(notebook) - 1, nbformat.v4.new_code_cell(HOSTILE_CODE[kind]))
        return notebook
    return None


def write_cohort(ws: Workspace, slug: str, folder: Path, kinds=KINDS, copies: int = 1) -> list[str]:
    """Write `<folder>/<kind>[-n]/<file>` for each kind (as a learner would upload them); return the learner ids."""
    release = nbformat.read(ws.course / slug / f"{slug}.ipynb", as_version=4)
    solutions = solution_cells(nbformat.read(ws.solutions / slug / f"{slug}.ipynb", as_version=4))
    students = []
    for number in range(copies):
        for kind in kinds:
            student = kind if copies == 1 else f"{kind}-{number + 1:02d}"
            target = folder / student
            target.mkdir(parents=True, exist_ok=True)
            students.append(student)
            notebook = learner_notebook(kind, release, solutions)
            if kind == "invalid-json":
                text = nbformat.writes(_answered(release, solutions))
                (target / f"{slug}.ipynb").write_text(text[: len(text) // 2])
            elif kind == "missing":
                (target / "notes.txt").write_text("I could not find the notebook to upload.\n")
            else:
                name = "My lab (1).ipynb" if kind == "renamed" else f"{slug}.ipynb"
                nbformat.write(notebook, target / name)
    return students
