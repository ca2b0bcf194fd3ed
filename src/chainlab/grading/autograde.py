"""Autograde a cohort in parallel, with limits, without letting one submission harm the rest.

How it works:
- The grading process checks each submission first (valid notebook? locked cells
  changed? suspicious code?) and prepares, for each, a course root of its own in a
  temporary folder: the submission with answer-recording cells added (see
  `integrity`), a copy of the gradebook, a copy of the cohort's keys.
- A pool of worker processes (one per core by default) each runs nbgrader's
  autograde on one prepared root at a time, in a kernel started with the limits
  of `limits` (time per cell, memory per kernel) inside the job's sandbox
  (`sandbox`: no keys, no view of the course or other jobs, no network; a
  watchdog on all its processes). Workers import nbgrader once, so a
  submission costs a kernel start plus its own run time. A worker dies with the
  grading process, and never holds the course's lock (see `status.exclusive`).
- The grading process alone reads each finished root, re-checks the recorded
  answers, and writes scores into the course's gradebook (`gradebook.merge`), so
  concurrent runs never write the same database. A submission that runs past
  the per-submission limit has its worker and kernel process groups killed and
  is reported; a new worker takes its place.
- Every verdict is saved to grading/status/ as soon as it is known, with the
  fingerprint of what it was graded on; a submission whose notebook and grading
  settings have not changed since its last verdict is not graded again (unless
  `force`), so a re-run, after a crash too, grades exactly the learners without
  one. A failure of the grader on one learner marks that learner "not graded",
  with the reason, and the batch goes on.
- Without a sandbox (no bubblewrap, or no user namespaces), practice grading
  runs each kernel with the grading account's rights and says so in each
  learner's flags; `sandboxed=True` (assessments) refuses to start instead.
"""

from __future__ import annotations

import copy
import ctypes
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from .. import cohort
from ..exercises.answer_widgets import ANSWERS_SUFFIX
from ..exercises.core import exercises_of
from ..world import build as world_build
from . import assessment, gradebook, integrity, limits as kernel_limits, release, rubric, sandbox, sanitize, status
from .limits import Limits
from .workspace import GradingError, Workspace

PR_SET_PDEATHSIG = 1
WORK_PREFIX = "chainlab-grade-"  # a grading run's folder in the system's temporary folder
OWNER_FILE = "grader"  # in that folder: the grading process's id and start time
NO_SANDBOX_FLAG = "graded without a sandbox ({reason}): the notebook's code ran with the grading account's rights"


@dataclass
class Job:
    """One submission prepared for grading in a course root of its own."""

    student: str
    root: Path
    sha256: str
    flags: list[str] = field(default_factory=list)

    @property
    def sandbox_dir(self) -> Path:
        """The only folder the job's kernel may write to (its answer record, connection file and sockets)."""
        return self.root / "sandbox"

    @property
    def record_file(self) -> Path:
        return self.sandbox_dir / "answers.jsonl"

    @property
    def pidfile(self) -> Path:
        """Unsandboxed only: the kernels' process ids, for the runner to kill what they leave running."""
        return self.root / "kernel.pids"


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), or exit now if it already has."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _serve(conn, number: int, parent: int, ws: Workspace, limits: Limits, kernel_dir: Path | None, seed: int, log_file: Path) -> None:
    """A worker: grade one prepared course root per message, until told to stop (None).

    Its output, and its kernels', goes to `log_file`, not to the instructor's terminal. With no
    `kernel_dir`, each job's kernel runs in a sandbox of its own, with identity number `number`.
    """
    _die_with(parent)
    os.setsid()  # its own process group, so the runner can kill it with all it started
    log = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    sandbox.cap_cell_outputs(limits.output_kb)
    course_config = ws.nbgrader_config()
    os.environ.update(kernel_limits.KERNEL_ENV, CHAINLAB_SEED=str(seed))
    os.environ.pop("CHAINLAB_STRICT", None)
    while (message := conn.recv()) is not None:
        slug, student, root = message
        job = Job(student, Path(root), "")
        config = copy.deepcopy(course_config)
        config.CourseDirectory.root = root
        config.CourseDirectory.db_url = f"sqlite:///{root}/gradebook.db"
        config.Execute.timeout = limits.cell_seconds
        config.Execute.kernel_name = kernel_limits.KERNEL_NAME
        config.OverwriteCells.add_missing_cells = True  # a deleted test cell is put back and run
        watchdog = None
        if kernel_dir is None:
            sandbox.prepare_folder(job.sandbox_dir, number)
            notebook_dir = job.root / "grading" / "autograded" / student / slug
            argv = sandbox.kernel_argv(limits, job.sandbox_dir, notebook_dir, job.root / "keys", number, seed)
            os.environ["JUPYTER_PATH"] = str(sandbox.write_kernelspec(argv, job.root / "jupyter"))
            config.KernelManager.connection_file = str(job.sandbox_dir / "connection.json")
            config.KernelManager.transport = "ipc"  # sockets in the sandbox folder: the kernel has no network
            watchdog = sandbox.Watchdog(limits, job.sandbox_dir)
            watchdog.start()
        else:
            job.sandbox_dir.mkdir(parents=True, exist_ok=True)
            os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(kernel_dir), os.environ.get("JUPYTER_PATH")]))
            os.environ.update(
                CHAINLAB_KEYS_DIR=f"{root}/keys",
                CHAINLAB_ANSWER_RECORD=str(job.record_file),
                CHAINLAB_KERNEL_PIDFILE=str(job.pidfile),
            )
        try:
            result = NbGraderAPI(CourseDirectory(config=config), config=config).autograde(slug, student, force=True, create=True)
            reply = {"success": bool(result["success"]), "error": f"{result.get('log') or ''}\n{result.get('error') or ''}"}
        except Exception as problem:  # a worker must answer for every job, whatever nbgrader raises
            reply = {"success": False, "error": f"{type(problem).__name__}: {problem}"}
        if watchdog is not None:
            watchdog.stop()
            if watchdog.reason:
                reply = {"success": False, "limit": watchdog.reason, "error": reply["error"]}
        conn.send(reply)


class Worker:
    """A worker process and the pipe to it."""

    def __init__(self, context, number: int, args: tuple):
        self.number = number
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, number, os.getpid(), *args), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            self.process.kill()  # not yet in a group of its own
        self.process.join()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.kill()


def run_jobs(slug: str, jobs: list[Job], workers: int, limits: Limits, worker_args: tuple, sandboxed: bool):
    """Grade jobs on `workers` processes; yield (job, reply) as each finishes, is killed or fails.

    Each reply carries `seconds`: how long the job took, from dispatch to answer.
    """
    context = multiprocessing.get_context("fork")
    idle = [Worker(context, number, worker_args) for number in range(min(workers, len(jobs)))]
    busy: dict = {}
    queue = deque(jobs)

    def left_running(job: Job) -> None:
        if not sandboxed:  # a sandbox's processes end with it; a sandboxed kernel's pid file would not be trusted
            kernel_limits.kill_recorded_kernels(job.pidfile)

    try:
        while queue or busy:
            while queue and idle:
                worker, job = idle.pop(), queue.popleft()
                worker.conn.send((slug, job.student, str(job.root)))
                busy[worker.conn] = (worker, job, time.monotonic())
            for conn in multiprocessing.connection.wait(list(busy), timeout=0.5):
                worker, job, started = busy.pop(conn)
                try:
                    reply = conn.recv()
                except EOFError:
                    worker.kill()
                    worker, reply = Worker(context, worker.number, worker_args), {"success": False, "error": "the grading worker died"}
                left_running(job)
                idle.append(worker)
                yield job, reply | {"seconds": time.monotonic() - started}
            for conn, (worker, job, started) in list(busy.items()):
                if time.monotonic() - started > limits.submission_seconds:
                    busy.pop(conn)
                    worker.kill()
                    left_running(job)
                    idle.append(Worker(context, worker.number, worker_args))
                    yield job, {"success": False, "timed_out": True, "seconds": time.monotonic() - started}
    finally:
        for worker, job, _ in busy.values():
            worker.kill()
            left_running(job)
        for worker in idle:
            worker.stop()


def fingerprint(seed: int, key_table: dict, limits: Limits) -> str:
    """What, besides the notebook, a grade depends on: re-grade when it changes."""
    return hashlib.sha256(json.dumps([seed, key_table, limits.__dict__], sort_keys=True).encode()).hexdigest()[:16]


def read_submission(path: Path):
    """The submitted notebook, or a ValueError saying why it cannot be graded."""
    resubmit = "Ask the learner to download the notebook again (File > Download) and resubmit it."
    try:
        content = json.loads(path.read_bytes())
    except UnicodeDecodeError as problem:
        raise ValueError(f"not a notebook: the file is not text ({problem.reason}). {resubmit}") from problem
    except json.JSONDecodeError as problem:
        raise ValueError(f"not a valid notebook: its JSON breaks at line {problem.lineno}, column {problem.colno} ({problem.msg}); the file may be cut short. {resubmit}") from problem
    try:
        notebook = nbformat.reads(json.dumps(content), as_version=4)
        nbformat.validate(notebook)
    except Exception as problem:  # nbformat raises many kinds for JSON that is not a notebook
        first_line = (str(problem).splitlines() or [type(problem).__name__])[0][:160]
        raise ValueError(f"not a valid notebook: {first_line}. {resubmit}") from problem
    return notebook


def _cell_label(cell, index: int) -> str:
    name = integrity.grade_id(cell)
    if name:
        return f"cell {name}"
    first_line = (cell.source.strip().splitlines() or [""])[0][:40]
    return f"cell {index + 1} (`{first_line}`)"


def execution_problems(notebook, limits: Limits) -> list[str]:
    """Time-outs and memory errors in an autograded notebook, one line per cell."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if output.get("ename") == "CellTimeoutError":
                problems.append(f"{_cell_label(cell, index)} was stopped at the {limits.cell_seconds} s time limit")
            elif output.get("ename") == "MemoryError":
                problems.append(f"{_cell_label(cell, index)} ran out of memory (limit {limits.memory_mb} MB)")
        if any(output.get("text", "").startswith(sandbox.CUT_NOTE.format(kb=limits.output_kb)) for output in cell.get("outputs", [])):
            problems.append(f"{_cell_label(cell, index)} printed more than {limits.output_kb} KB; the rest was cut")
    return problems


def failure_reason(reply: dict, limits: Limits) -> str:
    if reply.get("limit"):
        return reply["limit"]
    if reply.get("timed_out"):
        return f"stopped after {limits.submission_seconds} s: the notebook did not finish (see the cell time limit of {limits.cell_seconds} s)"
    error = reply.get("error", "")
    if "DeadKernelError" in error or "Kernel died" in error:
        return f"the kernel stopped unexpectedly (a crash, an exit call, or more than {limits.memory_mb} MB of memory)"
    last = [line for line in error.strip().splitlines() if line.strip()]
    return f"nbgrader could not grade it: {last[-1][:200] if last else 'no error message'}"


def install_autograded(ws: Workspace, slug: str, job: Job, rubrics: dict[str, str]):
    """Put the job's autograded notebook into the course, without the recording cells, with rubrics, inert; return it.

    Only the notebook and its timestamp are copied, as regular files: nothing else the job's folder holds.
    """
    source = job.root / "grading" / "autograded" / job.student / slug
    notebook_file = source / f"{slug}.ipynb"
    if notebook_file.is_symlink() or not notebook_file.is_file():
        raise GradingError(f"nbgrader wrote no autograded notebook at {notebook_file}")
    notebook = rubric.add_rubrics(integrity.remove_answer_records(nbformat.read(notebook_file, as_version=4)), rubrics)
    sanitize.clean_notebook(notebook)  # outputs the learner's code made while graded, before formgrader shows them
    target = ws.autograded / job.student / slug
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    timestamp = source / "timestamp.txt"
    if timestamp.is_file() and not timestamp.is_symlink():
        shutil.copyfile(timestamp, target / "timestamp.txt")
    path = target / f"{slug}.ipynb"
    nbformat.write(notebook, path)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    return notebook


def prepare_job(ws: Workspace, slug: str, student: str, notebook, sha256: str, work: Path, flags: list[str]) -> Job:
    """A course root of the submission's own: prepared notebook, timestamp, source files, gradebook and keys."""
    job = Job(student, work / f"job-{student}", sha256, flags)
    submitted = job.root / "grading" / "submitted" / student / slug
    submitted.mkdir(parents=True)
    nbformat.write(notebook, submitted / f"{slug}.ipynb")
    for carried in ("timestamp.txt", f"{slug}{ANSWERS_SUFFIX}"):  # the answer-panel choices go with the notebook
        if (ws.submitted / student / slug / carried).exists():
            shutil.copy2(ws.submitted / student / slug / carried, submitted / carried)
    shutil.copytree(ws.solutions / slug, job.root / "solutions" / slug, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    shutil.copy2(work / "gradebook.db", job.root / "gradebook.db")
    shutil.copytree(work / "keys", job.root / "keys")
    return job


def finish_job(ws: Workspace, slug: str, job: Job, reply: dict, key_table: dict, checked: list[str], rubrics: dict[str, str], limits: Limits, sandboxed: bool = False) -> dict:
    """Re-check, install and merge one finished job; return its status fields.

    Sandboxed, the kernel held no keys and checked only each answer's form, as in an assessment:
    the grader judges every recorded answer here (`assessment`), whatever the release.
    """
    module = slug.split("_")[0]
    flags = list(job.flags)
    if not reply["success"]:
        return {"status": status.NOT_GRADED, "reason": failure_reason(reply, limits), "flags": flags, "score": None, "max_score": None}
    cells, timestamp = gradebook.read_scores(job.root / "gradebook.db", slug, job.student)
    # an assessment's notebook checked only each answer's form: its scores come from the grader's verdicts ({} for practice)
    judged_on = key_table | {"mode": cohort.ASSESSMENT} if sandboxed else key_table
    assessed = assessment.score_recorded_answers(cells, job.record_file, judged_on, module, checked)
    passed = {cell.name for cell in cells if (cell.auto_score or 0) > 0}
    to_recheck = {name for name in checked if f"correct_{name}" in passed}
    verified = integrity.reverify(job.record_file, key_table, module, to_recheck)
    comments = {}
    for cell in cells:
        name = cell.name.removeprefix("correct_")
        if name in to_recheck and cell.name == f"correct_{name}" and not verified.get(name, False):
            cell.auto_score = 0.0
            comments[name] = "The check of this answer passed inside the notebook, but the answer failed the grader's re-check, so it scores 0. Your instructor can tell you more."
    if comments:
        overturned = ", ".join(f"correct_{name}" for name in comments)
        flags.append(f"checker tampered with? These tests passed in the notebook but their answers failed the re-check outside it, and score 0: {overturned}")
    notebook = install_autograded(ws, slug, job, rubrics)
    flags.extend(execution_problems(notebook, limits))
    gradebook.merge(ws, slug, job.student, cells, timestamp, assessed | comments)
    return {
        "status": status.GRADED,
        "reason": "",
        "flags": flags,
        "score": sum(cell.auto_score or 0 for cell in cells),
        "max_score": sum(cell.max_score for cell in cells),
        "needs_manual_grade": sorted(cell.name for cell in cells if cell.needs_manual_grade),
    }


def use_sandbox(sandboxed: bool | None, progress) -> tuple[bool, str | None]:
    """Whether to sandbox kernels (None: where possible), and why not; refuse when a sandbox is required but missing."""
    reason = sandbox.unavailable() if sandboxed is not False else "turned off"
    if reason and sandboxed:
        raise GradingError(f"Assessments are graded only in a sandbox, and there is none here: {reason}. Nothing was graded.")
    if reason and sandboxed is None:
        progress(f"warning: {NO_SANDBOX_FLAG.format(reason=reason)}; the report shows this for every learner")
    return reason is None, reason


def work_folder_owner(folder: Path) -> tuple[int, str] | None:
    """The process id and start time a grading run's work folder names as its owner; None if it names none (yet)."""
    try:
        pid, started = (folder / OWNER_FILE).read_text().split()
        return int(pid), started
    except (OSError, ValueError):
        return None


def remove_killed_graders_folders() -> None:
    """Remove the work folders (copies of the gradebook and keys, the jobs) of grading runs whose process is gone,
    killed before it could remove them itself; a folder of a running grader, or of another user, is left alone."""
    if sandbox.process_start(os.getpid()) is None:  # no /proc here: no way to tell a killed grader from a running one
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        owner = work_folder_owner(folder)
        if owner and sandbox.process_start(owner[0]) != owner[1]:
            shutil.rmtree(folder, ignore_errors=True)


def autograde(
    ws: Workspace,
    slug: str,
    limits: Limits = Limits(),
    workers: int | None = None,
    force: bool = False,
    students: list[str] | None = None,
    progress=print,
    sandboxed: bool | None = None,
) -> dict[str, dict]:
    """Grade each collected submission of `slug` (or of `students`) that has no verdict on its notebook and settings; return every learner's status record.

    `sandboxed`: None grades in a sandbox where there is one (else with a warning), True requires one, False never uses one;
    an assessment always requires one.
    """
    gradebook.require_assignment(ws, slug)
    seed = release.cohort_settings(ws)["seed"]
    key_table = release.cohort_keys(ws, slug)
    sandboxed, no_sandbox = use_sandbox(True if assessment.is_assessment(key_table) else sandboxed, progress)
    release_notebook = nbformat.read(ws.course / slug / f"{slug}.ipynb", as_version=4)
    module = slug.split("_")[0]
    exercise_names = set(exercises_of(module))
    checked = integrity.checked_exercises(release_notebook, exercise_names)
    rubrics = rubric.written_answers(nbformat.read(ws.solutions / slug / f"{slug}.ipynb", as_version=4))
    settings = fingerprint(seed, key_table, limits)
    records = status.load(ws, slug)

    def verdict(student: str, sha256: str, outcome: dict, **extra) -> None:
        """Save one learner's verdict with the fingerprint it was reached on."""
        graded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        records[student].update(outcome, graded_sha256=sha256, settings=settings, graded_at=graded_at, **extra)
        status.save(ws, slug, records)

    def grader_failed(student: str, problem: Exception) -> None:
        """One learner the grader itself failed on: not graded, with the reason, and no fingerprint, so a re-run tries again."""
        reason = f"the grader failed on this submission ({type(problem).__name__}: {str(problem)[:200]}); run autograde again, and report it if it repeats"
        for field_name in ("graded_sha256", "settings"):
            records[student].pop(field_name, None)
        records[student].update(status=status.NOT_GRADED, reason=reason, flags=[], score=None, max_score=None)
        status.save(ws, slug, records)
        progress(f"{student}: not graded: {reason}")

    remove_killed_graders_folders()
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{slug}-"))
    (work / OWNER_FILE).write_text(f"{os.getpid()} {sandbox.process_start(os.getpid())}\n")
    try:
        shutil.copy2(ws.gradebook, work / "gradebook.db")
        # the keys the kernels see: an assessment's get no hashes, and sandboxed ones get none of any release
        assessment.kernel_keys(ws.cohort / cohort.KEYS_FOLDER, work / "keys", notices_only=sandboxed)
        jobs = []
        for notebook_path in sorted(ws.submitted.glob(f"*/{slug}/{slug}.ipynb")):
            student = notebook_path.parent.parent.name
            if students and student not in students:
                continue
            record = records.setdefault(student, {})
            try:
                panel_answers = notebook_path.with_name(f"{slug}{ANSWERS_SUFFIX}")  # answer-panel choices count as the submission
                sha256 = hashlib.sha256(notebook_path.read_bytes() + (panel_answers.read_bytes() if panel_answers.is_file() else b"")).hexdigest()
                if not force and record.get("graded_sha256") == sha256 and record.get("settings") == settings:
                    continue
                try:
                    notebook = read_submission(notebook_path)
                except ValueError as problem:
                    verdict(student, sha256, {"status": status.NOT_GRADED, "reason": str(problem), "flags": [], "score": None, "max_score": None})
                    progress(f"{student}: not graded: {problem}")
                    continue
                flags = integrity.locked_cell_changes(notebook, release_notebook) + integrity.suspicious_code(notebook)
                if no_sandbox:
                    flags.append(NO_SANDBOX_FLAG.format(reason=no_sandbox))
                prepared = integrity.add_answer_records(notebook, module, checked)
                jobs.append(prepare_job(ws, slug, student, prepared, sha256, work, flags))
            except Exception as problem:  # noqa: BLE001 (one learner's trouble must not stop the batch)
                grader_failed(student, problem)
        if not jobs:
            return records
        if sandboxed:
            world_build.build("classroom", seed, progress=False)  # the sandbox reads the learners' data, never builds it
            kernel_dir = None
        else:
            kernel_dir = kernel_limits.install_kernelspec(limits, work / "jupyter")
        worker_args = (ws, limits, kernel_dir, seed, work / "workers.log")
        for job, reply in run_jobs(slug, jobs, workers or os.cpu_count() or 1, limits, worker_args, sandboxed):
            try:
                outcome = finish_job(ws, slug, job, reply, key_table, checked, rubrics, limits, sandboxed)
            except Exception as problem:  # noqa: BLE001 (one learner's trouble must not stop the batch)
                grader_failed(job.student, problem)
                continue
            finally:
                shutil.rmtree(job.root, ignore_errors=True)
            verdict(job.student, job.sha256, outcome, grading_seconds=round(reply["seconds"], 2))
            shown = f"{outcome['score']:g}/{outcome['max_score']:g}" if outcome["status"] == status.GRADED else f"not graded: {outcome['reason']}"
            progress(f"{job.student}: {shown}" + "".join(f"\n  flag: {flag}" for flag in outcome["flags"]))
        return records
    finally:
        shutil.rmtree(work, ignore_errors=True)
