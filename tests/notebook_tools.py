"""Test helpers for notebooks: read them, run their code in-process, copy a course root, run nbgrader steps."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def notebook_path(folder: str, slug: str) -> Path:
    return ROOT / folder / slug / f"{slug}.ipynb"


def run_solution_code(slug: str, through_last_check: bool = False) -> dict:
    """Run every code cell of the instructor notebook in one namespace (no kernel) and return it; with
    `through_last_check`, only the cells up to the last graded one (what the exercises see, without the closing cells)."""
    notebook = nbformat.read(notebook_path("solutions", slug), as_version=4)
    if through_last_check:
        last = max(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade"))
        notebook.cells = notebook.cells[: last + 1]
    namespace: dict = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            exec(compile(cell.source, f"{slug}[cell {index}]", "exec"), namespace)  # noqa: S102 (our own notebook)
    return namespace


def copy_course_root(target: Path, slugs: tuple[str, ...] | None = None) -> Path:
    """A scratch nbgrader course root: the config, solutions/ and course/ (only the modules `slugs`, if given) and an
    empty grading/ (never the real one)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("solutions", "course"):
        if slugs is None:
            shutil.copytree(ROOT / name, target / name)
        for slug in slugs or ():
            shutil.copytree(ROOT / name / slug, target / name / slug)
    shutil.copy(ROOT / "nbgrader_config.py", target / "nbgrader_config.py")
    (target / "grading").mkdir(exist_ok=True)
    return target


# One Python process runs every step through nbgrader's own API: each `nbgrader` command would start and load
# the gradebook again (a few seconds of CPU each, times every module, in several test files).
_NBGRADER_STEPS = r"""
import json, sys
from nbgrader.apps import NbGraderAPI
from nbgrader.apps.nbgraderapp import NbGraderApp
from nbgrader.coursedir import CourseDirectory
app = NbGraderApp.instance()
app.load_config_file()
api = NbGraderAPI(CourseDirectory(config=app.config), config=app.config)
for step, *arguments in json.loads(sys.argv[1]):
    result = getattr(api, step)(*arguments)
    if not result["success"]:
        sys.exit(f"nbgrader {step} {arguments} failed:\n{result.get('log', '')}{result.get('error', '')}")
"""


def nbgrader_steps(root: Path, steps: list[tuple[str, ...]]) -> None:
    """Run nbgrader API steps such as ("generate_assignment", slug) or ("autograde", slug, student) in `root`."""
    nbgrader_steps_side_by_side([(root, steps)])


def nbgrader_steps_side_by_side(jobs: list[tuple[Path, list[tuple[str, ...]]]]) -> None:
    """Run each (course root, steps) of `jobs` in its own process, all at once (see `nbgrader_steps`)."""
    with nbgrader_steps_running(jobs):
        pass


@contextlib.contextmanager
def nbgrader_steps_running(jobs: list[tuple[Path, list[tuple[str, ...]]]]):
    """Start `jobs` as `nbgrader_steps_side_by_side` does, let the caller work meanwhile, then wait for them all."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}  # alembic
    with tempfile.TemporaryDirectory() as scratch:
        logs = [Path(scratch) / f"job-{number}.log" for number in range(len(jobs))]
        running = []
        for (root, steps), log in zip(jobs, logs):
            with log.open("w") as stderr:  # a file, not a pipe: a full pipe would stall the job
                command = [sys.executable, "-c", _NBGRADER_STEPS, json.dumps(steps)]
                running.append(subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=stderr))
        try:
            yield
        finally:
            failures = [log.read_text()[-4000:] for process, log in zip(running, logs) if process.wait()]
    assert not failures, "\n".join(failures)
