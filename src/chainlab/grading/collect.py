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
An id that is not plain letters A-Z, digits, '.', '_' and '-' gets a folder name
of its own (a readable form and 8 characters of its hash), so two learners never
share a folder; ids that differ only in such characters are noted in the report.
Zip entries are read, never extracted, so names like `../../x` cannot escape;
names a zip does not mark as UTF-8 are read as UTF-8 if they are, else as code page 437.
A zip of more than MAX_ZIP_ENTRIES files or MAX_ZIP_BYTES unpacked is refused, and
notebooks are read one at a time, so memory does not grow with the zip.
Each notebook is made inert (`sanitize`) before formgrader can show it.
A replaced submission is kept in grading/replaced/, so collecting again loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from . import sanitize, status
from .workspace import GradingError, Workspace

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_BYTES = 4 * 2**30
MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_[a-z]+_?$")
CANVAS_FILE = re.compile(r"^(?P<id>[A-Za-z0-9]+)(?:_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
SKIPPED_PARTS = ("__MACOSX", ".ipynb_checkpoints")
ZIP_UTF8_FLAG = 0x800


@dataclass
class Entry:
    """One file of a submissions folder or zip: its path inside, size, time, and how to read it (at most MAX_NOTEBOOK_BYTES + 1 bytes)."""

    path: str
    size: int
    modified: datetime
    read: Callable[[], bytes]
    note: str = ""


@dataclass
class Submission:
    """What was found for one learner."""

    student: str
    name: str = ""
    raw_id: str = ""
    notebooks: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def readable_id(text: str) -> str:
    """An id's letters A-Z (accents dropped), digits, '.', '_' and '-', others as '-'; 'learner' if nothing is left."""
    ascii_form = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_form).strip("-.")[:40] or "learner"


def safe_id(text: str) -> str:
    """A learner's folder name: a plain id as it is; any other id as its readable form and 8 characters of its hash."""
    raw = text.strip()
    if PLAIN_ID.fullmatch(raw):
        return raw
    return f"{readable_id(raw)}-{hashlib.sha256(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _zip_name(info: zipfile.ZipInfo) -> tuple[str, str]:
    """An entry's name, and a note if the zip did not say how it is encoded and it is not UTF-8."""
    if info.flag_bits & ZIP_UTF8_FLAG:
        return info.filename, ""
    try:
        return info.filename.encode("cp437").decode("utf-8"), ""
    except UnicodeDecodeError:
        return info.filename, "the zip's file names are not UTF-8: read as code page 437, so letters may look odd"


@contextmanager
def _zip_entries(archive: Path) -> Iterator[list[Entry]]:
    try:
        with zipfile.ZipFile(archive) as zipped:
            infos = [info for info in zipped.infolist() if not info.is_dir()]
            if len(infos) > MAX_ZIP_ENTRIES:
                raise GradingError(f"{archive} holds {len(infos):,} files; collect reads at most {MAX_ZIP_ENTRIES:,} from one zip. An LMS download of one assignment holds far fewer: check that this is the right file.")
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_ZIP_BYTES:
                raise GradingError(f"{archive} would unpack to {unpacked / 2**30:.1f} GB; collect reads at most {MAX_ZIP_BYTES / 2**30:g} GB from one zip. Check that this is the right file; if it is, download the submissions of one assignment at a time.")

            def reader(info):
                def read() -> bytes:
                    with zipped.open(info) as stream:
                        return stream.read(MAX_NOTEBOOK_BYTES + 1)

                return read

            entries = []
            for info in infos:
                name, note = _zip_name(info)
                entries.append(Entry(name, info.file_size, datetime(*info.date_time, tzinfo=timezone.utc), reader(info), note))
            yield entries
    except zipfile.BadZipFile as problem:
        raise GradingError(f"{archive} is not a readable zip file ({problem}). Download it again from the LMS.") from problem


def _folder_entries(folder: Path) -> list[Entry]:
    def reader(file):
        def read() -> bytes:
            with open(file, "rb") as stream:
                return stream.read(MAX_NOTEBOOK_BYTES + 1)

        return read

    entries = []
    for file in sorted(folder.rglob("*")):
        if file.is_file() and not file.is_symlink():
            info = file.stat()
            entries.append(Entry(file.relative_to(folder).as_posix(), info.st_size, datetime.fromtimestamp(info.st_mtime, tz=timezone.utc), reader(file)))
    return entries


@contextmanager
def opened(source: Path) -> Iterator[list[Entry]]:
    """The files of a submissions folder or zip, readable while the context lasts."""
    if not source.exists():
        raise GradingError(f"{source} does not exist. Give the folder of submissions or the zip downloaded from the LMS.")
    if source.is_file():
        with _zip_entries(source) as entries:
            yield entries
    else:
        yield _folder_entries(source)


def _owner(parts: tuple[str, ...]) -> tuple[str, str] | None:
    """(learner id as written, learner name) for an entry's path parts, or None if it names no learner."""
    if len(parts) >= 2:
        moodle = MOODLE_FOLDER.match(parts[0])
        if moodle:
            return moodle["id"], moodle["name"]
        return parts[0].strip(), ""
    canvas = CANVAS_FILE.match(parts[0])
    if canvas:
        return canvas["id"], ""
    return None


def _note_look_alikes(found: dict[str, Submission]) -> None:
    """Note on each learner whose id has the same readable form as another's (they differ only in letters or punctuation a folder name cannot hold)."""
    groups: dict[str, list[Submission]] = {}
    for submission in found.values():
        groups.setdefault(readable_id(submission.raw_id).lower(), []).append(submission)
    for readable, group in groups.items():
        if len(group) < 2:
            continue
        for submission in group:
            others = ", ".join(f"{other.raw_id!r} (as {other.student})" for other in group if other is not submission)
            submission.notes.append(f"learner id {submission.raw_id!r} reads as {readable!r} like {others}: graded separately, check that each is the right person")


def find_submissions(entries: list[Entry]) -> tuple[dict[str, Submission], list[str]]:
    """Learners' notebooks among a folder's or zip's entries, by learner id; and the notebooks no learner could be found for."""
    found: dict[str, Submission] = {}
    unowned = []
    for entry in entries:
        parts = tuple(part for part in PurePosixPath(entry.path).parts if part not in ("", ".", "..", "/"))
        if not parts or any(part in SKIPPED_PARTS or part.startswith(".") for part in parts):
            continue
        owner = _owner(parts)
        if owner is None:
            if entry.path.endswith(".ipynb"):
                unowned.append(entry.path)
            continue
        raw_id, full_name = owner
        student = safe_id(raw_id)
        while student in found and found[student].raw_id != raw_id:  # a plain id that equals another's folder name
            student = f"{student}-{hashlib.sha256(raw_id.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
        submission = found.setdefault(student, Submission(student, full_name, raw_id))
        if entry.note and entry.note not in submission.notes:
            submission.notes.append(entry.note)
        if not parts[-1].endswith(".ipynb"):
            continue
        if entry.size > MAX_NOTEBOOK_BYTES:
            submission.notes.append(f"{entry.path} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB and was left out")
            continue
        submission.notebooks.append(entry)
    _note_look_alikes(found)
    return found, unowned


def _test_cells(entry: Entry, wanted: set[str]) -> int:
    try:
        cells = json.loads(entry.read()).get("cells", [])
        return sum(1 for cell in cells if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in wanted)
    except (ValueError, AttributeError):
        return 0


def choose_notebook(submission: Submission, slug: str, grade_ids: set[str]) -> Entry | None:
    """The notebook to grade for `slug`, noting renames and what was left out."""
    if not submission.notebooks:
        return None
    named = [c for c in submission.notebooks if PurePosixPath(c.path).name == f"{slug}.ipynb" or c.path.endswith(f"_{slug}.ipynb")]
    pool = named or submission.notebooks
    chosen = max(pool, key=lambda c: (_test_cells(c, grade_ids), -c.path.count("/")))
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
    with opened(source) as entries:
        found, unowned = find_submissions(entries)
        if not found:
            hint = f" These notebooks name no learner: {', '.join(unowned[:5])}." if unowned else ""
            raise GradingError(f"No learner submissions in {source}.{hint} Put each learner's files in a folder named after their id, or give the zip as the LMS downloads it.")
        grade_ids = release_grade_ids(ws, slug)
        records = status.load(ws, slug)
        for student, submission in sorted(found.items()):
            _copy_submission(ws, slug, submission, records.setdefault(student, {}), grade_ids, source)
    status.save(ws, slug, records)
    return records, unowned


def _copy_submission(ws: Workspace, slug: str, submission: Submission, record: dict, grade_ids: set[str], source: Path) -> None:
    """Put one learner's chosen notebook, made inert, into grading/submitted/ and update their status record."""
    chosen = choose_notebook(submission, slug, grade_ids)
    record.update({"name": submission.name, "source": str(source)})
    if chosen is None:
        record.update({"status": status.MISSING, "reason": "no notebook in the submission", "notes": submission.notes, "sha256": None})
        return
    content, changes = sanitize.clean_notebook_file_content(chosen.read())
    if changes:
        shown = "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more" if len(changes) > 5 else "")
        submission.notes.append(f"made inert for formgrader: {shown}")
    folder = ws.submitted / submission.student / slug
    target = folder / f"{slug}.ipynb"
    digest = hashlib.sha256(content).hexdigest()
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != digest:
        kept = ws.grading / "replaced" / submission.student / slug / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{slug}.ipynb"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, kept)
        submission.notes.append(f"replaced an earlier submission (kept in {kept.relative_to(ws.root)})")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    (folder / "timestamp.txt").write_text(chosen.modified.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    if record.get("sha256") != digest:
        record.update({"status": status.COLLECTED, "reason": ""})
    record.update({"sha256": digest, "notes": submission.notes})
