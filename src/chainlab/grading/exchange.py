"""nbgrader's exchange on a course server (deploy/, docs/course-server.md): release to it, collect from it, return feedback.

On a JupyterHub, learners fetch and submit from their Assignment List through the exchange, a folder every server
shares (`c.Exchange.root`, which the hub's nbgrader settings set). These steps move a cohort's files through it:
- `release`: the cohort's release folder, grading/release/NN_slug/ (the notebook and its `chainlab_cohort/` seed
  and keys), goes out as the assignment learners fetch;
- `collect`: each learner's latest submission is copied, as nbgrader collects it, into a scratch folder that
  `collect.collect` then reads like any other; its timestamp.txt and submission_secret.txt are kept beside it in
  grading/submitted/, since nbgrader files the feedback for a learner under that secret;
- `release_feedback`: the checked feedback pages of grading/feedback/ go out to the learners' Assignment List.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import collect as collecting
from .release import nbgrader_command
from .workspace import Workspace

SECRET = "submission_secret.txt"  # nbgrader's submit writes it; the learner's fetch_feedback finds feedback by it


def release(ws: Workspace, slug: str) -> None:
    """Put the cohort's release of `slug` in the exchange, replacing an earlier one."""
    nbgrader_command(
        ws, "release_assignment", slug, "--force", f"--CourseDirectory.release_directory={ws.releases.relative_to(ws.root)}"
    )


def collect(ws: Workspace, slug: str) -> tuple[dict[str, dict], list[str]]:
    """Collect every learner's latest submission of `slug` from the exchange into grading/submitted/ (see `collect.collect`)."""
    with tempfile.TemporaryDirectory(prefix="exchange-", dir=ws.grading) as scratch:
        folder = Path(scratch)
        nbgrader_command(ws, "collect", slug, "--update", f"--CourseDirectory.submitted_directory={folder}")
        records, unowned = collecting.collect(ws, slug, folder)
        for secret in folder.glob(f"*/{slug}/{SECRET}"):
            kept = ws.submitted / secret.parent.parent.name / slug
            if kept.is_dir():
                shutil.copy2(secret, kept / SECRET)
    return records, unowned


def release_feedback(ws: Workspace, slug: str) -> None:
    """Return the feedback pages of `slug` to the learners' Assignment List (Fetch Feedback)."""
    for page in ws.feedback.glob(f"*/{slug}/*.html"):
        secret = ws.submitted / page.parent.parent.name / slug / SECRET
        if secret.is_file() and not (page.parent / SECRET).is_file():
            shutil.copy2(secret, page.parent / SECRET)
    nbgrader_command(ws, "release_feedback", slug)
