"""Build a module's answer keys by running its instructor notebook from solutions/.

Each `check()` in the notebook records its canonical answer instead of judging
it, and the answers of the exercise's slips (likely wrong methods) beside it; the
worked solution shown by `solution()` is the notebook's solution cell without
nbgrader's markers, and the last hint is the `# Last hint:` line in it (see `keys`).
So every answer is written once, in solutions/. The package's keys hold no worked
solutions and no last hints (`solution()` and the last hint read solutions/ itself);
a cohort's keys, built by `chainlab grade release`, do. The build
fails when the data cannot tell a slip from the right method or from another slip.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from . import keys
from .core import exercises_of
from .keys import solution_cells


class KeyBuildError(RuntimeError):
    """The solution notebook does not answer every exercise of its module exactly once (with its last hint), or a slip is not told apart."""


def record_answers(notebook_path: Path, timeout: int = 300) -> list[dict]:
    """Run a solution notebook with key recording on; return what each check recorded."""
    notebook = nbformat.read(notebook_path, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        record_file = Path(scratch) / "answers.jsonl"
        record_file.touch()
        previous = os.environ.get(keys.RECORD_ENV)
        os.environ[keys.RECORD_ENV] = str(record_file)
        try:
            NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(notebook_path.parent)}},
            ).execute()
        finally:
            if previous is None:
                os.environ.pop(keys.RECORD_ENV, None)
            else:
                os.environ[keys.RECORD_ENV] = previous
        return [json.loads(line) for line in record_file.read_text().splitlines()]


def slip_hashes(record: dict, salt: str) -> dict[str, str]:
    """The salted hashes of one exercise's slip answers, as key fields 'slip:<slip key>'; refuse slips the data cannot tell apart."""
    seen: dict[str, str] = {
        record["canonical"]: "the right answer: the data cannot tell this slip from the right method"
    }
    hashes = {}
    for slip_key, slip in record.get("slips", {}).items():
        where = f"{record['id']}, slip {slip['code']!r}"
        if "error" in slip:
            raise KeyBuildError(
                f"{where}: its code fails or gives an answer of the wrong form ({slip['error']}). Fix the slip's code."
            )
        if slip["canonical"] in seen:
            raise KeyBuildError(f"{where} gives {seen[slip['canonical']]}. Change the case data.")
        seen[slip["canonical"]] = f"the same answer as slip {slip['code']!r}: the data cannot tell the two slips apart"
        hashes[f"slip:{slip_key}"] = keys.digest(salt, record["id"], slip["canonical"])
    return hashes


def checked_answers(slug: str, solutions_root: Path) -> list[dict]:
    """What each check of `solutions_root/<slug>/<slug>.ipynb` recorded, once it is sure every exercise has one check and one solution cell."""
    module = slug.split("_")[0]
    notebook_path = solutions_root / slug / f"{slug}.ipynb"
    exercises = exercises_of(module)
    notebook = nbformat.read(notebook_path, as_version=4)
    missing = [name for name in exercises if name not in solution_cells(notebook)]
    if missing:
        raise KeyBuildError(f"{notebook_path} has no solution cell with grade_id {missing}.")
    unhinted = [name for name in exercises if name not in keys.last_hints(notebook)]
    if unhinted:
        raise KeyBuildError(
            f"{notebook_path}: the solution cells of {unhinted} have no `{keys.LAST_HINT_MARK} ...` line inside their "
            "solution region. Write each exercise's last hint there."
        )
    records = record_answers(notebook_path)
    recorded = [r["id"] for r in records]
    expected = sorted(e.id for e in exercises.values())
    if sorted(recorded) != expected:
        raise KeyBuildError(
            f"{notebook_path} checked {sorted(recorded)}; the module defines {expected}. Each exercise needs one check in the notebook."
        )
    return records


def build(
    slug: str,
    solutions_root: Path,
    out_dir: Path = keys.PACKAGE_KEYS,
    worked_solutions: bool = False,
    records: list[dict] | None = None,
) -> Path:
    """Write `out_dir/<slug>.json` from `solutions_root/<slug>/<slug>.ipynb` (or its `checked_answers`, if given),
    with the worked solutions and last hints if asked; keep an existing salt."""
    module = slug.split("_")[0]
    records = checked_answers(slug, solutions_root) if records is None else records
    out_path = out_dir / f"{slug}.json"
    salt = json.loads(out_path.read_text())["salt"] if out_path.exists() else secrets.token_hex(16)
    answers = {
        r["id"]: {
            "answer": keys.digest(salt, r["id"], r["canonical"]),
            "size": None if r["size"] is None else keys.digest(salt, r["id"], str(r["size"])),
            **{
                f"facet:{name}": keys.digest(salt, r["id"], canonical)
                for name, canonical in r.get("facets", {}).items()
            },
            **slip_hashes(r, salt),
        }
        for r in records
    }
    table = {"module": slug, "salt": salt, "answers": dict(sorted(answers.items()))}
    if worked_solutions:
        worked = keys.worked_answers(nbformat.read(solutions_root / slug / f"{slug}.ipynb", as_version=4), module)
        ids = sorted(exercise.id for exercise in exercises_of(module).values())
        for part, texts in worked.items():
            table[part] = {exercise_id: texts[exercise_id] for exercise_id in ids}
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(table, indent=1) + "\n")
    return out_path
