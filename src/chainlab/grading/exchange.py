"""nbgrader's exchange on a course server (deploy/, docs/course-server.md): release to it, collect from it, return feedback.

On a JupyterHub, learners fetch and submit from their Assignment List through the exchange, a folder every server
shares (`c.Exchange.root`, which the hub's nbgrader settings set). These steps move a cohort's files through it:
- `release`: the cohort's release folder, grading/release/NN_slug/ (the notebook and its `chainlab_cohort/` seed
  and keys), goes out as the assignment learners fetch;
- `collect_to`: each learner's latest submission is copied, as nbgrader collects it, into a folder that
  `collect.collect` then reads like any other (its timestamp.txt kept, so feedback finds its way back);
- `release_feedback`: the checked feedback pages of grading/feedback/ go out to the learners' Assignment List.
"""

from __future__ import annotations

from pathlib import Path

from .release import nbgrader_command
from .workspace import Workspace


def release(ws: Workspace, slug: str) -> None:
    """Put the cohort's release of `slug` in the exchange, replacing an earlier one."""
    nbgrader_command(
        ws, "release_assignment", slug, "--force", f"--CourseDirectory.release_directory={ws.releases.relative_to(ws.root)}"
    )


def collect_to(ws: Workspace, slug: str, folder: Path) -> Path:
    """Copy every learner's latest submission of `slug` from the exchange into `folder`/<learner>/<slug>/; return `folder`."""
    nbgrader_command(ws, "collect", slug, "--update", f"--CourseDirectory.submitted_directory={folder}")
    return folder


def release_feedback(ws: Workspace, slug: str) -> None:
    """Return the feedback pages of `slug` to the learners' Assignment List (Fetch Feedback)."""
    nbgrader_command(ws, "release_feedback", slug)
