"""Collect submissions into nbgrader's layout, from a folder or from an LMS zip download.

Accepted layouts (the learner's id comes from the first folder, or the file name):
- a folder per learner: `<id>/<anything>.ipynb` (at any depth inside it);
- Moodle's "Download all submissions": `<Full Name>_<participant>_assignsubmission_file_/<file>.ipynb`
  (id `<participant>`, the name is kept);
- Canvas's "Download submissions": flat files `<login>[_LATE]_<user id>_<submission id>_<file>.ipynb` (id `<login>`).

Each learner's notebook lands in grading/submitted/<id>/<slug>/<slug>.ipynb with a
timestamp.txt. A notebook under another name is renamed (and noted); several
notebooks: the one named after the module wins, else the one holding the most of
the module's test cells; none: the learner is recorded as missing.
Zip entries are read, never extracted, so names like `../../x` cannot escape.
A replaced submission is kept in grading/replaced/, so collecting again loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from . import status
from .workspace import GradingError, Workspace

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_[a-z]+_?$")
CANVAS_FILE = re.compile(r"^(?P<id>[A-Za-z0-9]+)(?:_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
SKIPPED_PARTS = ("__MACOSX", ".ipynb_checkpoints")


@dataclass
class Candidate:
    """One notebook file found for a learner."""

    path: str
    content: bytes
    modified: datetime


@dataclass
class Submission:
    """What was found for one learner."""

    student: str
    name: str = ""
    notebooks: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def safe_id(text: str) -> str:
    """A learner id usable as a folder name: letters, digits, '.', '_' and '-' only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-.")
    return cleaned or "unnamed"


def _entries_from_zip(archive: Path):
    try:
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                if info.is_dir():
                    continue
                with zipped.open(info) as stream:
                    content = stream.read(MAX_NOTEBOOK_BYTES + 1)
                yield info.filename, content, datetime(*info.date_time, tzinfo=timezone.utc)
    except zipfile.BadZipFile as problem:
        raise GradingError(f"{archive} is not a readable zip file ({problem}). Download it again from the LMS.") from problem


def _handed_in(file: Path) -> datetime:
    """When a notebook was handed in: the timestamp.txt nbgrader writes beside it (its feedback is filed under that time), else the file's time."""
    stamp = file.with_name("timestamp.txt")
    if stamp.is_file():
        from nbgrader.utils import parse_utc

        try:
            return parse_utc(stamp.read_text().strip()).replace(tzinfo=timezone.utc)
        except (ValueError, OverflowError):
            pass
    return datetime.fromtimestamp(file.stat().st_mtime, tz=timezone.utc)


def _entries_from_folder(folder: Path):
    for file in sorted(folder.rglob("*")):
        if file.is_file() and not file.is_symlink():
            with open(file, "rb") as stream:
                content = stream.read(MAX_NOTEBOOK_BYTES + 1)
            yield file.relative_to(folder).as_posix(), content, _handed_in(file)


def _owner(parts: tuple[str, ...]) -> tuple[str, str] | None:
    """(learner id, learner name) for an entry's path parts, or None if it names no learner."""
    if len(parts) >= 2:
        moodle = MOODLE_FOLDER.match(parts[0])
        if moodle:
            return safe_id(moodle["id"]), moodle["name"]
        return safe_id(parts[0]), ""
    canvas = CANVAS_FILE.match(parts[0])
    if canvas:
        return safe_id(canvas["id"]), ""
    return None


def find_submissions(source: Path) -> tuple[dict[str, Submission], list[str]]:
    """Learners' notebooks in a folder or zip, by learner id; and the files no learner could be found for."""
    if not source.exists():
        raise GradingError(f"{source} does not exist. Give the folder of submissions or the zip downloaded from the LMS.")
    entries = _entries_from_zip(source) if source.is_file() else _entries_from_folder(source)
    found: dict[str, Submission] = {}
    unowned = []
    for name, content, modified in entries:
        parts = tuple(part for part in PurePosixPath(name).parts if part not in ("", ".", "..", "/"))
        if not parts or any(part in SKIPPED_PARTS or part.startswith(".") for part in parts):
            continue
        owner = _owner(parts)
        if owner is None:
            if name.endswith(".ipynb"):
                unowned.append(name)
            continue
        student, full_name = owner
        submission = found.setdefault(student, Submission(student, full_name))
        if not parts[-1].endswith(".ipynb"):
            continue
        if len(content) > MAX_NOTEBOOK_BYTES:
            submission.notes.append(f"{name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB and was left out")
            continue
        submission.notebooks.append(Candidate(name, content, modified))
    return found, unowned


def _test_cells(content: bytes, wanted: set[str]) -> int:
    try:
        cells = json.loads(content).get("cells", [])
        return sum(1 for cell in cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in wanted)
    except (ValueError, AttributeError):
        return 0


def choose_notebook(submission: Submission, slug: str, grade_ids: set[str]) -> Candidate | None:
    """The notebook to grade for `slug`, noting renames and what was left out."""
    if not submission.notebooks:
        return None
    named = [c for c in submission.notebooks if PurePosixPath(c.path).name == f"{slug}.ipynb" or c.path.endswith(f"_{slug}.ipynb")]
    pool = named or submission.notebooks
    chosen = max(pool, key=lambda c: (_test_cells(c.content, grade_ids), -c.path.count("/")))
    others = [c.path for c in submission.notebooks if c is not chosen]
    if others:
        submission.notes.append(f"several notebooks: graded {chosen.path}, left out {', '.join(others)}")
    if not named:
        submission.notes.append(f"notebook renamed from {PurePosixPath(chosen.path).name} to {slug}.ipynb")
    return chosen


def release_grade_ids(ws: Workspace, slug: str) -> set[str]:
    notebook = json.loads((ws.course / slug / f"{slug}.ipynb").read_text())
    return {cell["metadata"]["nbgrader"]["grade_id"] for cell in notebook["cells"] if "nbgrader" in cell.get("metadata", {})}


def collect(ws: Workspace, slug: str, source: Path) -> tuple[dict[str, dict], list[str]]:
    """Copy every learner's notebook for `slug` from `source` into grading/submitted/.

    Returns the status records of every learner, and the notebooks that name no learner.
    """
    found, unowned = find_submissions(source)
    if not found:
        hint = f" These notebooks name no learner: {', '.join(unowned[:5])}." if unowned else ""
        raise GradingError(f"No learner submissions in {source}.{hint} Put each learner's files in a folder named after their id, or give the zip as the LMS downloads it.")
    grade_ids = release_grade_ids(ws, slug)
    records = status.load(ws, slug)
    for student, submission in sorted(found.items()):
        chosen = choose_notebook(submission, slug, grade_ids)
        record = records.setdefault(student, {})
        record.update({"name": submission.name, "source": str(source)})
        if chosen is None:
            record.update({"status": status.MISSING, "reason": "no notebook in the submission", "notes": submission.notes, "sha256": None})
            continue
        folder = ws.submitted / student / slug
        target = folder / f"{slug}.ipynb"
        digest = hashlib.sha256(chosen.content).hexdigest()
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != digest:
            kept = ws.grading / "replaced" / student / slug / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{slug}.ipynb"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, kept)
            submission.notes.append(f"replaced an earlier submission (kept in {kept.relative_to(ws.root)})")
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(chosen.content)
        (folder / "timestamp.txt").write_text(chosen.modified.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        if record.get("sha256") != digest:
            record.update({"status": status.COLLECTED, "reason": ""})
        record.update({"sha256": digest, "notes": submission.notes})
    status.save(ws, slug, records)
    return records, unowned
