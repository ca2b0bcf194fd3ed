"""A hostile cohort of module 00, graded in the sandbox: each attack graded right or flagged, and no harm done.

One cohort run is shared by every test: honest learners (right, partly right, blank) and one
learner per attack, built in code from the released notebook. The run is split in two: a
grading process that is killed after its first verdict, then a re-run, which must grade
exactly the learners without a verdict, with the lock free and no worker left behind.
"""

from __future__ import annotations

import json
import os
import signal
import site
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import nbformat
import pytest

import chainlab
from chainlab.cases import m00 as m00_case
from chainlab.exercises import m00 as m00_exercises
from chainlab.grading import autograde, collect, gradebook, release, sandbox, status, synthetic
from chainlab.grading.limits import Limits
from chainlab.grading.workspace import Workspace

from .notebook_tools import copy_course_root

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sandbox.unavailable() is not None, reason=f"no grading sandbox here: {sandbox.unavailable()}"),
]

SLUG = "00_getting_started"
SEED = 41
LIMITS = Limits(cell_seconds=20, memory_mb=3000, submission_seconds=150, tree_memory_mb=900, file_mb=32, disk_mb=96)
HONEST = {"right": 6, "partly-right": 3, "blank": 0}
SLEEPER = "3000.4242"  # the argument of the setsid child, to find it among all processes
PLANTED = "chainlab_planted_by_a_learner"

# Each attack replaces the learner's first answer cell; the other answer cells are left empty (`pass`).
# {root}: the course root, {jobs}: where the grader's jobs are, {slug}: the module, as an attacker would know them.
EXEC_SOLUTIONS = (
    "def take_answers(cells):\n"
    "    for cell in cells:\n"
    "        source = ''.join(cell['source'])\n"
    "        if cell['cell_type'] == 'code' and cell.get('metadata', {}).get('nbgrader', {}).get('solution'):\n"
    "            exec(source.replace('### BEGIN ' + 'SOLUTION', '').replace('### END ' + 'SOLUTION', ''), globals())\n"
)
ATTACKS = {
    "reads-instructor-files": EXEC_SOLUTIONS + "import json, pathlib\n"
    "folder = pathlib.Path('{root}') / ('sol' + 'utions') / '{slug}'\n"
    "try:\n"
    "    print(sorted(p.name for p in (pathlib.Path('{root}') / 'grading' / 'cohort' / 'keys').iterdir()))\n"
    "    take_answers(json.loads((folder / '{slug}.ipynb').read_text())['cells'])\n"
    "except OSError as problem:\n"
    "    print('blocked:', problem)",
    "reads-another-job": EXEC_SOLUTIONS + "import glob, json\n"
    "for path in glob.glob('{jobs}/chainlab-grade-*/job-right/grading/submitted/right/{slug}/*.ipynb'):\n"
    "    take_answers(json.load(open(path))['cells'])",
    "checker-loop": "from chainlab.exercises import m00\n"
    "for guess in range({low}, {high}):\n"
    "    try:\n"
    "        m00.n_transfers.check(guess)\n"
    "    except Exception:\n"
    "        continue\n"
    "    n_transfers = guess\n"
    "    break",
    "rewrites-gradebook": "import glob, sqlite3\n"
    "for db in ['{root}/grading/gradebook.db', *glob.glob('{jobs}/chainlab-grade-*/job-*/gradebook.db')]:\n"
    "    try:\n"
    "        with sqlite3.connect(db, timeout=1) as connection:\n"
    "            connection.execute('UPDATE grade SET manual_score = 1')\n"
    "    except Exception as problem:\n"
    "        print('blocked:', problem)",
    "patches-package": "import pathlib, sysconfig, chainlab\n"
    "for folder in [pathlib.Path(chainlab.__file__).parent, pathlib.Path(sysconfig.get_paths()['purelib'])]:\n"
    "    try:\n"
    "        (folder / '{planted}.pth').write_text('# planted\\n')\n"
    "    except OSError as problem:\n"
    "        print('blocked:', problem)",
    "rewrites-keys": "import glob, json\n"
    "n_transfers = len(transfers.columns)\n"  # a slip's answer: the columns, not the rows
    "for path in ['{root}/grading/cohort/keys/{slug}.json', *glob.glob('{jobs}/chainlab-grade-*/job-*/keys/*.json')]:\n"
    "    try:\n"
    "        table = json.load(open(path))\n"
    "        table['answers'] = {}\n"
    "        json.dump(table, open(path, 'w'))\n"
    "    except OSError as problem:\n"
    "        print('blocked:', problem)",
    "a-plants-classmate": "import glob, json\n"
    "for path in [*glob.glob('{jobs}/chainlab-grade-*/job-right/grading/submitted/right/{slug}/*.ipynb'), '{root}/grading/submitted/right/{slug}/{slug}.ipynb']:\n"
    "    try:\n"
    "        notebook = json.load(open(path))\n"
    "        for cell in notebook['cells']:\n"
    "            if cell.get('metadata', {}).get('nbgrader', {}).get('solution') and cell['cell_type'] == 'code':\n"
    "                cell['source'] = 'pass'\n"
    "        json.dump(notebook, open(path, 'w'))\n"
    "    except OSError as problem:\n"
    "        print('blocked:', problem)",
    "kills-grader": "import os, signal\n"
    "worker = os.getppid()\n"
    "grader = int(open(f'/proc/{worker}/stat').read().rsplit(')', 1)[1].split()[1]) if worker > 1 else 0\n"
    "for pid in (grader, worker):\n"
    "    try:\n"
    "        os.kill(pid, signal.SIGKILL) if pid > 1 else None\n"
    "    except OSError as problem:\n"
    "        print('blocked:', problem)",
    "file-for-folder": "import os\n"
    "for path in [os.environ.get('CHAINLAB_ANSWER_RECORD', ''), '{root}/grading/autograded/right']:\n"
    "    try:\n"
    "        os.makedirs(path) if path.endswith('jsonl') else open(path, 'w').close()\n"
    "    except OSError as problem:\n"
    "        print('blocked:', problem)",
    "setsid-child": "import subprocess\nsubprocess.Popen(['sleep', '{sleeper}'], start_new_session=True)",
    "memory-together": "import subprocess, sys\n"
    "code = 'import time; hoard = bytearray(480 * 1024 * 1024); time.sleep(30)'\n"
    "children = [subprocess.Popen([sys.executable, '-c', code]) for _ in range(2)]\n"
    "[child.wait() for child in children]",
    "big-print": "print('x' * 100_000_000)",
    "disk-fill": "import os, tempfile\n"
    "chunk = b'0' * (8 * 1024 * 1024)\n"
    "for folder in [os.getcwd(), tempfile.gettempdir(), os.path.dirname(os.environ.get('CHAINLAB_ANSWER_RECORD', '.'))]:\n"
    "    try:\n"
    "        for number in range(25):\n"
    "            with open(os.path.join(folder, f'fill-{number}.bin'), 'wb') as out:\n"
    "                out.write(chunk)\n"
    "    except OSError as problem:\n"
    "        print('blocked:', problem)",
}
NOT_GRADED_BECAUSE = {  # what the reason must say (the hoarding children are the largest of the job's processes)
    "memory-together": "together used more than 900 MB of memory, so all were stopped (5 processes; the largest, python",
    "disk-fill": "wrote more than 96 MB",
}


def _attacker(release_notebook, attack: str):
    """The released notebook with its first answer cell replaced by `attack` and the other answers left empty."""
    notebook = nbformat.from_dict(json.loads(nbformat.writes(release_notebook)))
    answers = [
        cell
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell.cell_type == "code"
    ]
    answers[0].source = attack
    for cell in answers[1:]:
        cell.source = "pass"
    return notebook


def _fill(attack: str, places: dict) -> str:
    for name, value in places.items():
        attack = attack.replace(f"{{{name}}}", str(value))
    return attack


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


def _alive_with(argument: str) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and argument in (entry / "cmdline").read_bytes().decode(errors="replace"):
                alive.append(int(entry.name))
        except OSError:
            continue
    return alive


PHASE_ONE = """
import json, sys
from pathlib import Path
from chainlab.grading import autograde, status
from chainlab.grading.limits import Limits
from chainlab.grading.workspace import Workspace
ws = Workspace(Path(sys.argv[1]))
with status.exclusive(ws):
    autograde.autograde(ws, sys.argv[2], Limits(**json.loads(sys.argv[3])), workers=2, progress=lambda line: print(line, flush=True))
"""


def _planted_files() -> list[Path]:
    places = [
        Path(chainlab.__file__).parent,
        Path(sysconfig.get_paths()["purelib"]),
        *map(Path, site.getsitepackages()),
    ]
    return [place / f"{PLANTED}.pth" for place in places if (place / f"{PLANTED}.pth").exists()]


@pytest.fixture(scope="module")
def cohort_run(tmp_path_factory):
    """The cohort, graded in two runs (the first killed after its first verdict), with what was seen on the way."""
    root = tmp_path_factory.mktemp("course")
    copy_course_root(root, (SLUG,))
    ws = Workspace(root)
    release.release(ws, SLUG, seed=SEED)
    uploads = root.parent / f"{root.name}-uploads"
    synthetic.write_cohort(ws, SLUG, uploads, kinds=tuple(HONEST))
    release_notebook = nbformat.read(ws.course / SLUG / f"{SLUG}.ipynb", as_version=4)
    right_answer = len(m00_case.transfers(seed=SEED))
    places = {
        "root": root,
        "jobs": tempfile.gettempdir(),
        "slug": SLUG,
        "planted": PLANTED,
        "sleeper": SLEEPER,
        "low": right_answer - 5,
        "high": right_answer + 5,
    }
    for student, attack in ATTACKS.items():
        (uploads / student).mkdir(parents=True)
        nbformat.write(_attacker(release_notebook, _fill(attack, places)), uploads / student / f"{SLUG}.ipynb")
    collect.collect(ws, SLUG, uploads)
    with gradebook.open_gradebook(ws.gradebook) as gb:
        manual_before = sum(
            1
            for submission in gb.assignment_submissions(SLUG)
            for nb in submission.notebooks
            for grade in nb.grades
            if grade.manual_score is not None
        )
    before = _snapshot(root)

    first = subprocess.Popen(
        [sys.executable, "-c", PHASE_ONE, str(root), SLUG, json.dumps(asdict(LIMITS))],
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in first.stdout:
        if not line.startswith(("warning", " ")) and ": " in line:
            break
    workers = _children(first.pid)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.monotonic()
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() - killed_at < 5:
        time.sleep(0.05)
    workers_left = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    killed_runs_folders = [  # the killed run's copies of the gradebook and keys, which it could not remove itself
        folder
        for folder in Path(tempfile.gettempdir()).glob(f"{autograde.WORK_PREFIX}{SLUG}-*")
        if (owner := autograde.work_folder_owner(folder)) and owner[0] == first.pid
    ]
    try:
        with status.exclusive(ws):
            lock_after_kill = "free"
    except Exception as problem:  # noqa: BLE001 (the message is the finding)
        lock_after_kill = str(problem)
    first_verdicts = {student for student, record in status.load(ws, SLUG).items() if record.get("graded_sha256")}

    lines: list[str] = []
    records = autograde.autograde(ws, SLUG, LIMITS, workers=2, progress=lines.append)
    regraded = {line.split(": ", 1)[0] for line in lines if not line.startswith(("warning", " ")) and ": " in line}
    yield {
        "ws": ws,
        "records": records,
        "before": before,
        "after": _snapshot(root),
        "workers": workers,
        "workers_left": workers_left,
        "killed_runs_folders": killed_runs_folders,
        "lock_after_kill": lock_after_kill,
        "first_verdicts": first_verdicts,
        "regraded": regraded,
        "manual_before": manual_before,
        "planted": _planted_files(),
        "filled": sorted(Path(tempfile.gettempdir()).glob("fill-*.bin")),
        "sleepers": _alive_with(SLEEPER),
    }
    for planted in _planted_files():  # what an attack planted outside the course, on a machine without the sandbox
        planted.unlink()
    for pid in _alive_with(SLEEPER):
        os.kill(pid, signal.SIGKILL)
    for filled in Path(tempfile.gettempdir()).glob("fill-*.bin"):
        filled.unlink()


def test_honest_learners_keep_their_scores(cohort_run):
    records = cohort_run["records"]
    assert {student: records[student].get("score") for student in HONEST} == HONEST, {
        student: {key: records[student].get(key) for key in ("status", "reason", "flags", "grading_seconds")}
        for student in HONEST
    }


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_each_attack_is_graded_right_or_stopped_with_a_reason(cohort_run, student):
    record = cohort_run["records"][student]
    if student in NOT_GRADED_BECAUSE:
        assert record["status"] == status.NOT_GRADED and NOT_GRADED_BECAUSE[student] in record["reason"]
    elif student == "kills-grader":
        assert record["status"] == status.GRADED or record["reason"], "graded, or not graded with a reason"
    else:
        assert record["status"] == status.GRADED and record["score"] == 0, (
            f"{student} earned points it did not answer for: {record}"
        )


def test_a_slips_answer_judged_outside_the_sandboxed_kernel_gets_the_slips_message(cohort_run):
    """rewrites-keys answers with a slip (the number of columns): its sandboxed kernel held no keys, so its check said
    only the form, and the grader's verdict outside it gives the slip's message, as a practice check would."""
    if sandbox.unavailable():
        pytest.skip(f"no sandbox here ({sandbox.unavailable()}): the learner's own check gave the slip's message")
    with gradebook.open_gradebook(cohort_run["ws"].gradebook) as gb:
        notebooks = gb.find_submission(SLUG, "rewrites-keys").notebooks
        comments = {comment.name: comment.auto_comment for notebook in notebooks for comment in notebook.comments}
    (columns,) = [slip for slip in m00_exercises.n_transfers.slips if slip.code == "len(transfers.columns)"]
    assert comments["n_transfers"].endswith(f"not right, so it scores 0. {columns.message}")


def test_big_output_is_cut_and_flagged(cohort_run):
    ws, record = cohort_run["ws"], cohort_run["records"]["big-print"]
    assert any("printed more than 1024 KB" in flag for flag in record["flags"])
    assert (ws.autograded / "big-print" / SLUG / f"{SLUG}.ipynb").stat().st_size < 2 * 1024 * 1024


def test_the_gradebook_is_intact_and_nothing_is_written_outside_the_jobs(cohort_run):
    ws, before, after = cohort_run["ws"], cohort_run["before"], cohort_run["after"]
    with sqlite3.connect(ws.gradebook) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM grade WHERE manual_score IS NOT NULL").fetchone() == (
            cohort_run["manual_before"],
        )
    expected = {"grading/gradebook.db", f"grading/status/{SLUG}.json", "grading/.grading.lock"}
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    unexpected = {
        name
        for name in changed - expected
        if not (name.startswith("grading/autograded/") and name.endswith((f"/{SLUG}.ipynb", "/timestamp.txt")))
    }
    assert unexpected == set(), "written outside the jobs' folders"
    assert cohort_run["planted"] == [], "a learner planted a file in the package or site-packages"
    assert cohort_run["filled"] == [], "a learner filled the machine's /tmp"
    assert cohort_run["sleepers"] == [], "a process a notebook started with setsid outlived its job"


def test_a_killed_grader_leaves_no_worker_nor_lock_and_the_rerun_grades_exactly_the_rest(cohort_run):
    assert cohort_run["workers"] and cohort_run["workers_left"] == [], "workers end with the grading process"
    assert len(cohort_run["killed_runs_folders"]) == 1, "the killed run had one work folder"
    assert not cohort_run["killed_runs_folders"][0].exists(), "the next run removes the killed run's work folder"
    assert cohort_run["lock_after_kill"] == "free"
    submitted = set(HONEST) | set(ATTACKS)
    assert cohort_run["first_verdicts"] and cohort_run["first_verdicts"] < submitted
    assert cohort_run["regraded"] == submitted - cohort_run["first_verdicts"]
    assert all(
        cohort_run["records"][student].get("status") in (status.GRADED, status.NOT_GRADED) for student in submitted
    )
