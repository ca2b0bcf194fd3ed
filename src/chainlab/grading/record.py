"""Runs inside a graded kernel: writes the canonical form of each answer for a re-check outside it.

The autograder adds a cell after each `correct_<name>` test cell that calls
`answer()`. The canonical strings it writes are re-checked against the answer
keys by the grading process, which the submission's code cannot reach (`read`
is its side); see `chainlab.grading.integrity` for what this protects against,
and `chainlab.grading.assessment` for an assessment, where they are the grade.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..exercises.core import exercises_of

RECORD_ENV = "CHAINLAB_ANSWER_RECORD"
READ_LIMIT = 1024 * 1024  # bytes of a record the grader reads; a kernel writes a few hundred


def answer(module: str, name: str, namespace: dict) -> None:
    """Append `{"name", "canonical"}` for the learner's variable `name` (canonical is null if unusable)."""
    exercise = exercises_of(module)[name]
    try:
        canonical = exercise.answer.canonical(namespace[name])
    except Exception:  # a blank, a wrong form or a missing variable: nothing to re-check
        canonical = None
    with open(os.environ[RECORD_ENV], "a", encoding="utf-8") as out:
        out.write(json.dumps({"name": name, "canonical": canonical}) + "\n")


def read(record_file: Path) -> dict[str, str | None]:
    """The last canonical answer recorded for each exercise name (None where it was unusable); {} when nothing was recorded."""
    last: dict[str, str | None] = {}
    if record_file.is_file() and not record_file.is_symlink():  # the kernel may have put a folder or a link there
        with open(record_file, "rb") as written:
            text = written.read(READ_LIMIT).decode("utf-8", errors="replace")
        for line in text.splitlines():
            try:
                entry = json.loads(line)
                last[str(entry["name"])] = entry["canonical"]
            except (ValueError, KeyError, TypeError):
                continue  # a line the kernel garbled proves nothing
    return last
