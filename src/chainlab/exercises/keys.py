"""Answer keys: salted, slow hashes of each exercise's canonical answer, and (for a practice cohort) its worked solution and last hint.

A module's keys live in `keys/NN_slug.json` beside this file (or in the folder
CHAINLAB_KEYS_DIR names, for a cohort with its own seed). They are built from
the instructor notebooks in solutions/ by `chainlab.exercises.keybuilder`, so the
solution is written once. The hashes use scrypt, so that trying every possible
answer costs far more time than solving the exercise; for a small answer space
(a percent, a count) that is still only seconds, which is why an assessment
ships none (see below).

The last hint of an exercise (the one that all but gives the answer) is written
beside its worked solution, in the solution cell of the instructor notebook, on a
line `# Last hint: ...` inside the solution region (so nbgrader leaves it out of
course/, and the worked solution shown leaves it out too). The package's own keys
hold no worked solutions and no last hints: `solution()` and the last hint read them
from the repository's solutions/ when it is there (a learner working from the
repository has it anyway), or from a practice cohort's key file.

An assessment release (`chainlab grade release NN --assessment`) ships, in place
of a module's keys, a notice `{"module": ..., "mode": "assessment"}`: no salt, no
hashes, no worked solutions, no last hints. Its checks then judge only an answer's form, and the
grader judges the recorded answers outside the kernel (`chainlab.grading.assessment`).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from .. import cohort

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
LAST_HINT_MARK = "# Last hint:"  # opens the line, inside a solution region, that holds the exercise's last hint
PACKAGE_KEYS = Path(__file__).with_name("keys")
RECORD_ENV = "CHAINLAB_RECORD_KEYS"
NO_SOLUTION = "(No worked solution in this installation: ask your instructor for the module's practice release.)"
NO_LAST_HINT = "(The last hint is not in this installation: ask your instructor for the module's practice release.)"


class MissingKeys(RuntimeError):
    """No answer key for an exercise: the keys were not built for this module or seed."""


def keys_dir() -> Path:
    """The folder of key files: the cohort's (see `chainlab.cohort`), else the package's."""
    return cohort.keys_dir(default=PACKAGE_KEYS)


@lru_cache(maxsize=256)
def digest(salt: str, exercise_id: str, canonical: str) -> str:
    """The salted scrypt hash of one canonical answer (hex)."""
    return hashlib.scrypt(
        canonical.encode(), salt=bytes.fromhex(salt) + exercise_id.encode(), n=2**14, r=8, p=1, dklen=16
    ).hex()


@lru_cache(maxsize=None)
def _module_keys(directory: str, module: str) -> dict:
    matches = sorted(Path(directory).glob(f"{module}_*.json"))
    if not matches:
        raise MissingKeys(
            f"No answer keys for module {module} in {directory}. An instructor builds them with `make keys`."
        )
    try:
        return json.loads(matches[0].read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise MissingKeys(
            f"The answer keys in {matches[0]} cannot be read ({err}). Rebuild them with `make keys`."
        ) from err


def key_for(exercise_id: str) -> dict:
    """The key record of one exercise: its salt and hashes."""
    table = _module_keys(str(keys_dir()), exercise_id.split(".")[0])
    if table.get("mode") == cohort.ASSESSMENT:
        raise MissingKeys(
            f"{exercise_id} is part of an assessment: no answer keys are here, and the grader judges your answer."
        )
    if exercise_id not in table["answers"]:
        raise MissingKeys(f"No answer key for {exercise_id}. Rebuild the keys with `make keys`.")
    return {"salt": table["salt"], "id": exercise_id, **table["answers"][exercise_id]}


def matches(key: dict, field: str, canonical: str) -> bool:
    """True when `canonical` hashes to the key's `field`: 'answer', 'size', 'facet:<name>' (a part of the right answer,
    such as its rows in any order) or 'slip:<key>' (the answer of a likely wrong method, see `core.Slip`)."""
    return key.get(field) is not None and digest(key["salt"], key["id"], canonical) == key[field]


def assessment(module: str) -> bool:
    """True when the module's keys are an assessment's notice: no hashes here, the grader judges the answers."""
    return _module_keys(str(keys_dir()), module).get("mode") == cohort.ASSESSMENT


def solution_code(exercise_id: str) -> str:
    """The worked solution of an exercise: from a practice cohort's keys, else from the repository's solutions/."""
    return _worked(exercise_id, "solutions", NO_SOLUTION)


def last_hint(exercise_id: str) -> str:
    """The last hint of an exercise: from a practice cohort's keys, else from the repository's solutions/."""
    return _worked(exercise_id, "last_hints", NO_LAST_HINT)


def _worked(exercise_id: str, part: str, missing: str) -> str:
    module = exercise_id.split(".")[0]
    table = _module_keys(str(keys_dir()), module)
    worked = table[part] if part in table else _repository_worked(module)[part]
    return worked.get(exercise_id, missing)


@lru_cache(maxsize=None)
def _repository_worked(module: str) -> dict[str, dict[str, str]]:
    import nbformat

    from .. import course

    slug = course.module(module).slug
    notebook = course.ROOT / "solutions" / slug / f"{slug}.ipynb"
    if not notebook.is_file():
        return {"solutions": {}, "last_hints": {}}
    return worked_answers(nbformat.read(notebook, as_version=4), module)


def worked_answers(notebook, module: str) -> dict[str, dict[str, str]]:
    """What a practice cohort's keys carry beside the hashes: each exercise's worked solution and last hint, by exercise id."""
    return {
        "solutions": {f"{module}.{name}": code for name, code in sorted(solution_cells(notebook).items())},
        "last_hints": {f"{module}.{name}": hint for name, hint in sorted(last_hints(notebook).items())},
    }


def _solution_lines(notebook):
    """(grade_id, line, inside a solution region) for every line of the notebook's solution cells."""
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            inside = False
            for line in cell.source.splitlines():
                if line.strip() in SOLUTION_MARKERS:
                    inside = line.strip() == SOLUTION_MARKERS[0]
                    continue
                yield meta["grade_id"], line, inside


def solution_cells(notebook) -> dict[str, str]:
    """The solution cells of a notebook by nbgrader grade_id, markers and last-hint lines removed."""
    found: dict[str, list[str]] = {}
    for name, line, inside in _solution_lines(notebook):
        found.setdefault(name, [])
        if not (inside and line.strip().startswith(LAST_HINT_MARK)):
            found[name].append(line)
    return {name: "\n".join(lines).strip() for name, lines in found.items()}


def last_hints(notebook) -> dict[str, str]:
    """The last hint written in each solution cell's solution region (`# Last hint: ...`), by nbgrader grade_id."""
    return {
        name: line.strip()[len(LAST_HINT_MARK) :].strip()
        for name, line, inside in _solution_lines(notebook)
        if inside and line.strip().startswith(LAST_HINT_MARK)
    }


def recording() -> bool:
    """True while the key builder runs a solution notebook."""
    return bool(os.environ.get(RECORD_ENV))


def record(entry: dict) -> None:
    """Append one solution answer's record (see `Exercise.key_record`) to the key builder's record file."""
    with open(os.environ[RECORD_ENV], "a", encoding="utf-8") as out:
        out.write(json.dumps(entry) + "\n")
