"""Runs inside a graded kernel: writes the canonical form of each answer for a re-check outside it.

The autograder adds a cell after each `correct_<name>` test cell that calls
`answer()`. The canonical strings it writes are re-checked against the answer
keys by the grading process, which the submission's code cannot reach; see
`chainlab.grading.integrity` for what this protects against.
"""

from __future__ import annotations

import json
import os

from ..exercises.core import exercises_of

RECORD_ENV = "CHAINLAB_ANSWER_RECORD"


def answer(module: str, name: str, namespace: dict) -> None:
    """Append `{"name", "canonical"}` for the learner's variable `name` (canonical is null if unusable)."""
    exercise = exercises_of(module)[name]
    try:
        canonical = exercise.answer.canonical(namespace[name])
    except Exception:  # a blank, a wrong form or a missing variable: nothing to re-check
        canonical = None
    with open(os.environ[RECORD_ENV], "a", encoding="utf-8") as out:
        out.write(json.dumps({"name": name, "canonical": canonical}) + "\n")
