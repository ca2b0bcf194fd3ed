"""Per-submission verdicts of a module (collected, graded, flagged and why), kept beside the gradebook.

`grading/status/<slug>.json` holds, for each learner, what `collect` and
`autograde` found. It is rewritten atomically after every submission, so a run
that stops half-way loses nothing and the next run carries on. A file lock lets
only one grading step at a time change a course's grading/ folder; it is a POSIX
record lock, which belongs to the grading process alone: the workers it forks do
not inherit it, and it is gone the moment that process dies, however it dies.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path

from .workspace import GradingError, Workspace

GRADED = "graded"
NOT_GRADED = "not graded"
MISSING = "missing"
COLLECTED = "collected"


def path(ws: Workspace, slug: str) -> Path:
    return ws.status / f"{slug}.json"


def load(ws: Workspace, slug: str) -> dict[str, dict]:
    """Each learner's record for module `slug` (empty if nothing was collected yet)."""
    file = path(ws, slug)
    if not file.exists():
        return {}
    try:
        return json.loads(file.read_text(encoding="utf-8"))["students"]
    except (ValueError, KeyError) as problem:
        raise GradingError(f"{file} is damaged ({problem}). Delete it and run `chainlab grade collect` and `autograde` again.") from problem


def save(ws: Workspace, slug: str, students: dict[str, dict]) -> None:
    file = path(ws, slug)
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_suffix(".json.tmp")
    partial.write_text(json.dumps({"module": slug, "students": dict(sorted(students.items()))}, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, file)


@contextmanager
def exclusive(ws: Workspace):
    """Hold the course's grading lock, or fail at once if another grading step (a live process) holds it."""
    ws.grading.mkdir(parents=True, exist_ok=True)
    with open(ws.lock_file, "a") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as busy:
            raise GradingError(f"Another `chainlab grade` step is running on {ws.root}. Wait for it to finish, then try again.") from busy
        yield
