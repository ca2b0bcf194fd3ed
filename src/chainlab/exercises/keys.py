"""Answer keys: salted, slow hashes of each exercise's canonical answer, and (for a practice cohort) its worked solution.

A module's keys live in `keys/NN_slug.json` beside this file (or in the folder
CHAINLAB_KEYS_DIR names, for a cohort with its own seed). They are built from
the instructor notebooks in solutions/ by `chainlab.exercises.keybuilder`, so the
solution is written once. The hashes use scrypt, so that trying every possible
answer costs far more time than solving the exercise; for a small answer space
(a percent, a count) that is still only seconds, which is why an assessment
ships none (see below).

The package's own keys hold no worked solutions: `solution()` reads them from the
repository's solutions/ when it is there (a learner working from the repository
has it anyway), or from a practice cohort's key file.

An assessment release (`chainlab grade release NN --assessment`) ships, in place
of a module's keys, a notice `{"module": ..., "mode": "assessment"}`: no salt, no
hashes, no worked solutions. Its checks then judge only an answer's form, and the
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
PACKAGE_KEYS = Path(__file__).with_name("keys")
RECORD_ENV = "CHAINLAB_RECORD_KEYS"
NO_SOLUTION = "(No worked solution in this installation: ask your instructor for the module's practice release.)"


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
    module = exercise_id.split(".")[0]
    table = _module_keys(str(keys_dir()), module)
    worked = table["solutions"] if "solutions" in table else _repository_solutions(module)
    return worked.get(exercise_id, NO_SOLUTION)


@lru_cache(maxsize=None)
def _repository_solutions(module: str) -> dict[str, str]:
    import nbformat

    from .. import course

    slug = course.module(module).slug
    notebook = course.ROOT / "solutions" / slug / f"{slug}.ipynb"
    if not notebook.is_file():
        return {}
    return {f"{module}.{name}": code for name, code in solution_cells(nbformat.read(notebook, as_version=4)).items()}


def solution_cells(notebook) -> dict[str, str]:
    """The solution cells of a notebook by nbgrader grade_id, markers removed."""
    found = {}
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS]
            found[meta["grade_id"]] = "\n".join(lines).strip()
    return found


def recording() -> bool:
    """True while the key builder runs a solution notebook."""
    return bool(os.environ.get(RECORD_ENV))


def record(entry: dict) -> None:
    """Append one solution answer's record (see `Exercise.key_record`) to the key builder's record file."""
    with open(os.environ[RECORD_ENV], "a", encoding="utf-8") as out:
        out.write(json.dumps(entry) + "\n")
