"""A learner's progress (introduced in 00_getting_started): which exercises they have right, kept across restarts.

Every check a learner runs records its verdict in one small JSON file (CHAINLAB_PROGRESS_FILE, else
~/.chainlab/progress.json); the course home (`chainlab.course_home`) reads it. Nothing is recorded while
nbgrader validates or grades.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path


def progress_file() -> Path:
    return Path(os.environ.get("CHAINLAB_PROGRESS_FILE") or Path.home() / ".chainlab" / "progress.json")


def read() -> dict[str, dict]:
    """Exercise id -> {"correct": bool, "at": ISO time} for every exercise checked so far (empty if none or unreadable)."""
    try:
        recorded = json.loads(progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def record(exercise_id: str, correct: bool) -> None:
    """Keep the latest verdict on one exercise. A progress file that cannot be written never stops a check."""
    path = progress_file()
    recorded = read()
    recorded[exercise_id] = {"correct": bool(correct), "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(recorded, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass
