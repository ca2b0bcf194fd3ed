"""The learner's own copy of the course, `my-course/`, which no release, `git pull` or rebuild touches (used by `make lab`).

`course/` is the release: tracked in git and rewritten by `make release` and by `git pull`. A learner works in
`my-course/`, which git ignores. `sync()` copies a new module in, brings a module the learner has not changed up
to its new release, and, where the learner has changed their copy, keeps it and puts the new release beside it
as `NN_slug.new-release.ipynb`. It also writes the course home and the learner's JupyterLab settings.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from . import course, course_home

WORKSPACE = course.ROOT / "my-course"
RECORD = ".releases.json"  # notebook -> sha256 of the release it was last copied from
HOME = "course_home.ipynb"
NEW_RELEASE_SUFFIX = ".new-release.ipynb"
# nbgrader's instructor tools, and the assignment list (fetch and submit need a course server: see the README),
# are hidden from a learner on their own machine; Validate stays.
LEARNER_HIDDEN_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync(release: Path | None = None, workspace: Path = WORKSPACE) -> list[str]:
    """Bring `workspace` up to date with `release` (default: course/) without overwriting a learner's work; say what changed."""
    release = release or course.ROOT / "course"
    workspace.mkdir(exist_ok=True)
    record_path = workspace / RECORD
    try:
        copied = json.loads(record_path.read_text())
    except (OSError, ValueError):
        copied = {}
    said = []
    for source in sorted(release.glob("*/*.ipynb")):
        name = source.relative_to(release).as_posix()
        target, new = workspace / name, _sha256(source)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            said.append(f"added {name}")
        elif copied.get(name) == new:
            continue
        elif copied.get(name) == _sha256(target):
            shutil.copy2(source, target)
            said.append(f"updated {name} to its new release (you had not changed it)")
        else:
            beside = target.with_name(target.name.removesuffix(".ipynb") + NEW_RELEASE_SUFFIX)
            if not beside.exists() or _sha256(beside) != new:
                shutil.copy2(source, beside)
                said.append(f"kept your {name}; its new release is beside it: {beside.name}")
            continue
        copied[name] = new
    record_path.write_text(json.dumps(copied, indent=1, sort_keys=True) + "\n")
    write_home(workspace / HOME)
    write_learner_settings(workspace / ".jupyter")
    return said


def write_home(path: Path) -> None:
    """The course home notebook: the modules with the learner's progress, and a cell that refreshes it."""
    cells = [
        nbformat.v4.new_markdown_cell(
            "# Chain Investigations Lab: your course\n\n"
            "Each module below opens with a click. Your progress is what the checks said the last time you ran them.\n"
            "This page is rewritten each time the course starts: keep your work in the modules, not here."
        ),
        nbformat.v4.new_markdown_cell(course_home.home_markdown()),
        nbformat.v4.new_markdown_cell(
            "After working on a module, run the cell below (Shift + Enter) to see your progress now."
        ),
        nbformat.v4.new_code_cell("import chainlab as cl\ncl.course_home.home()"),
    ]
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(book, path)


def write_learner_settings(config_dir: Path) -> None:
    """JupyterLab page settings for a learner: nbgrader's instructor panels and the assignment list hidden."""
    labconfig = config_dir / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    settings = {"disabledExtensions": {plugin: True for plugin in LEARNER_HIDDEN_PLUGINS}}
    (labconfig / "page_config.json").write_text(json.dumps(settings, indent=1) + "\n")


def holds_learner_work(path: Path) -> bool:
    """True when a release notebook was worked in: a cell was run, or an answer cell no longer holds the blank."""
    try:
        book = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return True  # unreadable: treat it as someone's work, never overwrite it unseen
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count"):
            return True
        if cell.metadata.get("nbgrader", {}).get("solution") and "____" not in cell.source:
            return True
    return False


def rescue(release: Path | None = None, workspace: Path = WORKSPACE) -> list[str]:
    """Before a release rewrites course/: copy every notebook a learner worked in there into `workspace`, never over another."""
    release = release or course.ROOT / "course"
    said = []
    for source in sorted(release.glob("*/*.ipynb")):
        if not holds_learner_work(source):
            continue
        target = workspace / source.relative_to(release)
        if target.exists():
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
            target = target.with_name(f"{target.stem}.saved-{stamp}.ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        said.append(f"your work in {source} was saved to {target} before the release rewrote it")
    return said
