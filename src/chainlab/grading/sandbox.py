"""The sandbox a graded notebook's kernel runs in: bubblewrap (`bwrap`) on Linux.

Each submission's kernel starts inside `bwrap`, which gives it:
- its own view of the files: read-only the system (/usr), Python, the virtual
  environment, chainlab's source (without its answer keys) and the learners'
  data sets; writable only the job's sandbox folder (the answer record, the
  kernel's connection file and sockets) and a private /tmp of limited size. The
  course root, solutions/, the gradebook, the cohort's keys, grading/ and the
  other jobs are not there at all;
- no network, and a process namespace of its own: it sees no other process, and
  when the kernel ends (or the worker that started it dies) every process it
  started ends with it, `setsid` or not;
- an unprivileged identity: run as root, the kernel drops to a uid of its own
  (`FIRST_UID` + the worker's number, no capabilities, no new privileges), so a
  limit on processes counts only its own; run as a normal user, it keeps that
  user's uid in a user namespace without capabilities;
- limits: per process address space, file size and (as root) number of processes
  (`limits`), and, watched from outside by `Watchdog`, the total memory
  and process count of everything it started and the size of its folder.

The kernel gets no answer keys, only an assessment's notices: its checks say only
whether an answer has the right form, and the grader judges the recorded answers
outside (`assessment`), for practice and assessment releases alike.
Output is capped per cell by the worker (`cap_cell_outputs`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path

from .. import course
from . import limits as kernel_limits
from .limits import CUT_NOTE, Limits

FIRST_UID = 64100  # sandbox identities when grading as root: FIRST_UID + worker number


def _as_root() -> bool:
    return os.geteuid() == 0


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why submissions cannot be sandboxed here (None when they can): no Linux, no bwrap, or no namespaces."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (this is {sys.platform})"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed: run scripts/install-sandbox.sh as root (`make test` does), or `apt-get install bubblewrap`"
    if _as_root() and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is missing, so the sandbox cannot drop root's rights"
    probe = subprocess.run([*_bwrap_base(None), "--", "/bin/true"], capture_output=True, text=True)
    if probe.returncode != 0:
        detail = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap cannot create a sandbox here ({detail}); user namespaces may be disabled (sysctl user.max_user_namespaces)"
    return None


def _read_only_system() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    for file in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group"):
        args += ["--ro-bind-try", file, file]
    return args


def _bwrap_base(limits: Limits | None) -> list[str]:
    """bwrap's options every sandbox shares: namespaces, the read-only system, /proc, /dev and a private /tmp."""
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not _as_root():
        args += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    args += ["--die-with-parent", "--new-session", *_read_only_system(), "--proc", "/proc", "--dev", "/dev"]
    tmp_bytes = (limits.disk_mb if limits else 16) * 1024 * 1024
    return [*args, "--size", str(tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]


def _python_paths() -> list[Path]:
    """What the kernel's Python needs to read: its installation, the virtual environment and chainlab's source tree."""
    import chainlab

    source = Path(chainlab.__file__).resolve().parents[1]
    paths = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), source]
    return [path for path in dict.fromkeys(paths) if not str(path).startswith("/usr/")]


def _mount(option: str, path: Path, made: set[Path]) -> list[str]:
    """bwrap's options to mount `path` at the same place, its parent folders first (0755: bwrap would make them 0700)."""
    args = []
    for parent in reversed(path.parents):
        if parent != Path("/") and parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    made.add(path)
    return [*args, option, str(path), str(path)]


def kernel_argv(limits: Limits, folder: Path, notebook_dir: Path, keys: Path, worker: int, seed: int) -> list[str]:
    """The kernelspec command of one job: bwrap with the job's views and limits, then the limited ipykernel.

    `keys` holds the job's key notices (no salt, no hashes), which make its checks judge only an answer's form.
    """
    import chainlab

    source = Path(chainlab.__file__).resolve().parents[1]
    args, made = _bwrap_base(limits), {Path("/tmp")}
    for path in _python_paths():
        args += _mount("--ro-bind", path, made)
    args += ["--tmpfs", str(source / "chainlab" / "exercises" / "keys")]  # the package's keys and worked solutions
    datasets = course.ROOT / "datasets"
    if datasets.is_dir():
        args += _mount("--ro-bind", datasets, made)
    args += [*_mount("--ro-bind", notebook_dir, made), *_mount("--ro-bind", keys, made), *_mount("--bind", folder, made)]
    args += ["--chdir", str(notebook_dir)]
    environment = {
        **kernel_limits.KERNEL_ENV,
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": "/tmp",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "PYTHONPATH": str(source),
        "PYTHONDONTWRITEBYTECODE": "1",
        "CHAINLAB_SEED": str(seed),
        "CHAINLAB_KEYS_DIR": str(keys),
        "NBGRADER_EXECUTION": "autograde",
        "CHAINLAB_ANSWER_RECORD": str(folder / "answers.jsonl"),
    }
    args.append("--clearenv")
    for name, value in environment.items():
        args += ["--setenv", name, value]
    kernel = [sys.executable, "-m", kernel_limits.__name__, *limits.kernel_options(processes=_as_root()), "-f", "{connection_file}"]
    if _as_root():
        uid = str(FIRST_UID + worker)
        args += ["--chmod", "0644", "{connection_file}"]  # written by jupyter_client as root, read by the sandbox's uid
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        kernel = [*drop, *kernel]
    return [*args, "--", *kernel]


def prepare_folder(folder: Path, worker: int) -> None:
    """The job's writable sandbox folder, owned by the sandbox's identity (0700, so no one else can look in)."""
    folder.mkdir(parents=True, exist_ok=True)
    if _as_root():
        os.chown(folder, FIRST_UID + worker, FIRST_UID + worker)
    folder.chmod(0o700)


def write_kernelspec(argv: list[str], data_dir: Path) -> Path:
    """Write the job's kernelspec under `data_dir/kernels/`; return `data_dir` for JUPYTER_PATH."""
    spec_dir = data_dir / "kernels" / kernel_limits.KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": argv,
        "display_name": "Python 3 (chainlab grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",  # a signal would reach bwrap, not the kernel; ipykernel interrupts itself on request
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return data_dir


def _stat_fields(pid: int | str) -> list[bytes]:
    """The fields of /proc/PID/stat after the program's name (state, parent, ...), or [] once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return []


def process_start(pid: int) -> str | None:
    """When a process started (in clock ticks since boot), which tells it from a later one given the same id; None
    once it is gone, or where there is no /proc."""
    fields = _stat_fields(pid)
    return fields[19].decode() if len(fields) > 19 else None


def _descendants(root_pid: int) -> list[int]:
    """Every process started, directly or not, by `root_pid` (the worker), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], list(children.get(root_pid, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _memory_bytes(pid: int) -> int:
    """The memory a process holds, pages it shares with others counted in proportion (PSS), so that a forked child's
    copy-on-write pages are not counted twice; its resident size (RSS) where the system gives no PSS; 0 once gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _program(pid: int) -> str:
    """The program a process runs, as a short name ("python", "bwrap"), or "a process" once it is gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return os.path.basename(cmdline.read().split(b"\0", 1)[0].decode(errors="replace")) or "a process"
    except OSError:
        return "a process"


def _folder_bytes(folder: Path) -> int:
    total = 0
    for directory, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(directory, name)).st_size
            except OSError:
                pass
    return total


class Watchdog(threading.Thread):
    """Watches everything a worker started while it grades one job; kills it all at the first limit passed.

    `reason` then says which limit it was. RLIMIT_AS caps each process; this caps their sum.
    """

    PERIOD = 0.2

    def __init__(self, limits: Limits, folder: Path):
        super().__init__(daemon=True)
        self.limits, self.folder = limits, folder
        self.reason: str | None = None
        self._done = threading.Event()

    def _over(self, pids: list[int]) -> str | None:
        """The first limit passed, files first: a job that fills its folder was once seen past the memory sum at the
        same look (why is not known), and the report should name what it did."""
        if _folder_bytes(self.folder) > self.limits.disk_mb * 1024 * 1024:
            return f"it wrote more than {self.limits.disk_mb} MB of files, so it was stopped"
        held = {pid: _memory_bytes(pid) for pid in pids}
        if sum(held.values()) > self.limits.tree_memory_mb * 1024 * 1024:
            largest = max(held, key=held.get)
            return (
                f"its processes together used more than {self.limits.tree_memory_mb} MB of memory, so all were stopped "
                f"({len(held)} processes; the largest, {_program(largest)}, held {held[largest] // 2**20} MB)"
            )
        if len(pids) > self.limits.processes:
            return f"it started more than {self.limits.processes} processes, so all were stopped"
        return None

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(self.PERIOD):
            pids = _descendants(me)
            reason = self._over(pids) if pids else None
            if reason:
                self.reason = reason
                _kill(pids)

    def stop(self) -> None:
        """Stop watching, and kill whatever the job left running, so that the next job's sums start from nothing."""
        self._done.set()
        self.join()
        _kill(_descendants(os.getpid()))


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _text_size(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_size(item) for item in value.values())
    if isinstance(value, list):
        return sum(_text_size(item) for item in value)
    return 0


def cap_cell_outputs(max_kb: int) -> None:
    """Make nbclient (in this worker) keep at most `max_kb` KB of output per cell, then one line saying it cut the rest."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_output

    if getattr(NotebookClient.output, "capped", False):
        return
    keep = NotebookClient.output

    def output(self, outs, msg, display_id, cell_index):
        used = self.__dict__.setdefault("_chainlab_output_chars", {})
        size = _text_size(msg.get("content", {}))
        if used.get(cell_index, 0) + size > max_kb * 1024:
            if used.get(cell_index, 0) <= max_kb * 1024:
                outs.append(new_output("stream", name="stderr", text=CUT_NOTE.format(kb=max_kb) + "\n"))
                used[cell_index] = max_kb * 1024 + 1
            return None
        used[cell_index] = used.get(cell_index, 0) + size
        return keep(self, outs, msg, display_id, cell_index)

    output.capped = True
    NotebookClient.output = output
