"""Tampering checks: what a submission's own code could do to earn points it has not earned.

Two layers, both outside the learner's reach:

1. Re-check. Before grading, a cell is added after each `correct_<name>` test cell
   (and at the end for a test cell the learner deleted) that writes the canonical
   form of the learner's answer to a file. After the run, the grading process
   (not the kernel) hashes each recorded answer against the cohort's keys, which
   it read before any submission ran. A test cell that passed but whose answer
   does not pass the re-check scores 0, with a reason.
   Protects against: a patched or replaced `check()`, an overwritten chainlab
   function, edited keys or environment inside the kernel, a test cell that is
   made to pass without a right answer. In the grading sandbox (`sandbox`) the
   kernel holds no keys at all and the grader judges every recorded answer
   (`assessment`); this re-check then confirms what it kept. Without the sandbox
   the kernel runs with the instructor's rights and can read instructor files;
   the re-check does not protect against a learner who obtains the right answer
   by other means (copying it, or brute-forcing the hashed keys they were given
   for self-checks).
2. Scan. Learner code that refers to the checker's or the grader's internals is
   flagged for the instructor, without changing the score.

Edited or deleted locked cells need nothing here: nbgrader restores their source
(and re-adds deleted test cells) from the gradebook before running; `locked_cell_changes`
only reports them.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ..exercises import keys as answer_keys
from . import record

RECORD_MARKER = "# chainlab grader: records the answer above for a re-check outside the notebook"

SUSPICIOUS_CODE = (
    (re.compile(r"\.(check|verdict|answer|canonical)\s*=(?!=)|setattr\("), "replaces part of an exercise's checker"),
    (re.compile(r"\b(key_for|_module_keys|keys_dir|digest|solution_code|_judge|exercises_of)\b|exercises\.keys|CHAINLAB_KEYS_DIR|scrypt"), "reaches into the answer keys or the checker's internals"),
    (re.compile(r"NBGRADER_EXECUTION|CHAINLAB_STRICT|strict_mode|AnswerNotAccepted"), "changes how answers are judged"),
    (re.compile(r"chainlab\.grading|CHAINLAB_ANSWER_RECORD|CHAINLAB_KERNEL_PIDFILE|gradebook"), "tampers with the grader"),
    (re.compile(r"sys\.modules|importlib\.reload|\bbuiltins\b"), "replaces loaded modules"),
    (re.compile(r"solutions/|['\"]solutions['\"]|\bgrading/"), "reads instructor files"),
)


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def suspicious_code(notebook) -> list[str]:
    """Why the learner's own cells look like tampering (one reason per kind), for the instructor to review."""
    reasons = []
    learner_code = "\n".join(
        cell.source for cell in notebook.cells if cell.cell_type == "code" and not cell.get("metadata", {}).get("nbgrader", {}).get("locked")
    )
    for pattern, reason in SUSPICIOUS_CODE:
        match = pattern.search(learner_code)
        if match:
            reasons.append(f"code {reason} (`{match.group(0)}`)")
    return reasons


def locked_cell_changes(notebook, release) -> list[str]:
    """Locked cells of the release that the submission deleted or edited (nbgrader restores both)."""
    submitted = {grade_id(cell): cell.source for cell in notebook.cells if grade_id(cell)}
    deleted, edited = [], []
    for cell in release.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("locked"):
            continue
        name = meta["grade_id"]
        if name not in submitted:
            deleted.append(name)
        elif submitted[name].strip() != cell.source.strip():
            edited.append(name)
    changes = []
    if deleted:
        changes.append(f"locked cells deleted (restored before grading): {', '.join(deleted)}")
    if edited:
        changes.append(f"locked cells edited (originals restored before grading): {', '.join(edited)}")
    return changes


def checked_exercises(release, exercise_names: set[str]) -> list[str]:
    """The exercises of the module that have a `correct_<name>` test cell in the release, in order."""
    names = []
    for cell in release.cells:
        name = (grade_id(cell) or "").removeprefix("correct_")
        if grade_id(cell) == f"correct_{name}" and name in exercise_names:
            names.append(name)
    return names


def _record_cell(module: str, name: str):
    code = f'{RECORD_MARKER}\n__import__("chainlab.grading.record", fromlist=["answer"]).answer("{module}", "{name}", globals())'
    return nbformat.v4.new_code_cell(code)


def add_answer_records(notebook, module: str, names: list[str]):
    """Add a recording cell after each `correct_<name>` cell; answers whose test cell is gone are recorded at the end."""
    recorded = set()
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        name = (grade_id(cell) or "").removeprefix("correct_")
        if name in names and name not in recorded and cell.cell_type == "code":
            cells.append(_record_cell(module, name))
            recorded.add(name)
    cells.extend(_record_cell(module, name) for name in names if name not in recorded)
    notebook.cells = cells
    return notebook


def remove_answer_records(notebook):
    """The notebook without the grader's recording cells, for the instructor and the feedback."""
    notebook.cells = [cell for cell in notebook.cells if not (cell.cell_type == "code" and cell.source.startswith(RECORD_MARKER))]
    return notebook


def reverify(record_file: Path, key_table: dict, module: str, names: set[str] | None = None) -> dict[str, bool]:
    """For each recorded exercise name (or each of `names`): does its last recorded canonical answer hash to the key?"""
    last = record.read(record_file)
    verdicts = {}
    for name, canonical in last.items():
        if names is not None and name not in names:
            continue  # each hash costs scrypt time: only answers whose test passed need one
        exercise_id = f"{module}.{name}"
        answer = key_table["answers"].get(exercise_id)
        verdicts[name] = (
            isinstance(canonical, str)
            and answer is not None
            and answer_keys.digest(key_table["salt"], exercise_id, canonical) == answer["answer"]
        )
    return verdicts
