"""Test helpers for notebooks: read them, run their code in-process, copy a course root for nbgrader."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def notebook_path(folder: str, slug: str) -> Path:
    return ROOT / folder / slug / f"{slug}.ipynb"


def run_solution_code(slug: str) -> dict:
    """Run every code cell of the instructor notebook in one namespace (no kernel) and return it."""
    notebook = nbformat.read(notebook_path("solutions", slug), as_version=4)
    namespace: dict = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            exec(compile(cell.source, f"{slug}[cell {index}]", "exec"), namespace)  # noqa: S102 (our own notebook)
    return namespace


def copy_course_root(target: Path) -> Path:
    """A scratch nbgrader course root: the config, solutions/ and course/ (never the real grading/)."""
    for name in ("solutions", "course"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "nbgrader_config.py", target / "nbgrader_config.py")
    (target / "grading").mkdir()
    return target
