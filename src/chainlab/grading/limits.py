"""Limits for grading a submission, and the kernel launcher that applies a process's own share of them.

nbgrader starts each notebook's kernel from a kernelspec whose command runs this
module (inside the sandbox of `sandbox`, where there is one): it caps the
kernel's address space (RLIMIT_AS, so a memory bomb gets a MemoryError or dies
alone), the size of any file it writes (RLIMIT_FSIZE) and, when the sandbox has
a uid of its own, its number of processes and threads (RLIMIT_NPROC); it turns
core dumps off, notes the kernel's process id for the runner when unsandboxed,
then starts ipykernel, whose printed output it cuts per cell (`cap_printed_output`).
Every process the kernel starts inherits these limits.
`KERNEL_ENV` is set for kernels by the runner: they run side by side, so maths
libraries get one thread each, and glibc keeps two malloc arenas, which brings a
kernel's reserved address space from about 2.3 GB to 1.6 GB (its resident memory
is about 0.2 GB); the memory limit counts address space, so the default leaves
room above that.
The per-cell limit is nbgrader's `Execute.timeout`; the per-submission limit is
enforced by the runner, which kills the worker and kernel process groups; the
limits on all of a kernel's processes together (memory, processes, the
size of its folder) by the sandbox's watchdog; output per cell by the worker, and
printed output first by the kernel itself: ipykernel holds what a cell prints in
a buffer of four bytes a character and copies it twice to send it, so a 100 MB
print once took a kernel past 900 MB before the worker could cut it.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from dataclasses import dataclass
from pathlib import Path

KERNEL_NAME = "chainlab-graded"
PIDFILE_ENV = "CHAINLAB_KERNEL_PIDFILE"
CUT_NOTE = "[chainlab grader: output cut here; this cell printed more than {kb} KB]"
KERNEL_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}


@dataclass(frozen=True)
class Limits:
    """How long one cell and one submission may run, how much memory one process may map and all may hold, and more."""

    cell_seconds: int = 60
    memory_mb: int = 4096  # address space of each process
    submission_seconds: int = 600
    tree_memory_mb: int = 3072  # memory (PSS) of all the kernel's processes together (sandboxed)
    processes: int = 256  # processes and threads of the kernel, together (sandboxed)
    file_mb: int = 64  # size of any one file the kernel writes
    disk_mb: int = 256  # all files of the job's sandbox folder, and the sandbox's /tmp
    output_kb: int = 1024  # output kept per cell

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) <= 0:
                raise ValueError(f"The {name.replace('_', ' ')} limit must be a positive whole number, got {getattr(self, name)}.")
        if self.submission_seconds <= self.cell_seconds:
            raise ValueError(f"The submission limit ({self.submission_seconds} s) must be longer than the cell limit ({self.cell_seconds} s).")

    def describe(self) -> str:
        return f"{self.cell_seconds} s per cell, {self.memory_mb} MB per kernel, {self.submission_seconds} s per submission"

    def kernel_options(self, processes: bool) -> list[str]:
        """The launcher's options for these limits (the process limit only where the kernel has a uid of its own)."""
        return [
            *("--memory-mb", str(self.memory_mb), "--file-mb", str(self.file_mb)),
            *("--processes", str(self.processes if processes else 0), "--output-kb", str(self.output_kb)),
        ]


def install_kernelspec(limits: Limits, data_dir: Path) -> Path:
    """Write the limited kernelspec under `data_dir/kernels/`; return `data_dir` for JUPYTER_PATH."""
    spec_dir = data_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", __name__, *limits.kernel_options(processes=False), "-f", "{connection_file}"],
        "display_name": "Python 3 (chainlab grading limits)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return data_dir


def kill_recorded_kernels(pidfile: Path) -> None:
    """Kill the process group of every kernel the launcher recorded in `pidfile`."""
    if not pidfile.exists():
        return
    for line in pidfile.read_text().split():
        try:
            os.killpg(int(line), 9)
        except (ValueError, ProcessLookupError, PermissionError):
            pass


def cap_printed_output(shell, max_kb: int) -> None:
    """Make this kernel send at most `max_kb` KB, less one, of what each cell prints, then `CUT_NOTE` on stderr.

    The KB to spare keeps an honest kernel under the worker's own cap, which also counts stream names.
    """
    from ipykernel.iostream import OutStream

    full = (max_kb - 1) * 1024
    room = {"chars": full}
    shell.events.register("pre_run_cell", lambda _info: room.update(chars=full))
    write = OutStream.write

    def capped_write(self, string):
        if not isinstance(string, str):
            return write(self, string)  # ipykernel's own TypeError
        if room["chars"] < 0:
            return len(string)
        if len(string) <= room["chars"]:
            room["chars"] -= len(string)
            return write(self, string)
        write(self, string[: room["chars"]])
        room["chars"] = -1
        write(sys.stderr if isinstance(sys.stderr, OutStream) else self, CUT_NOTE.format(kb=max_kb) + "\n")
        return len(string)

    OutStream.write = capped_write


def _launch(argv: list[str]) -> None:
    usage = "usage: python -m chainlab.grading.limits --memory-mb N --file-mb N --processes N (0: no limit) --output-kb N -f CONNECTION_FILE"
    options = dict(zip(argv[:8:2], argv[1:8:2]))
    if sorted(options) != ["--file-mb", "--memory-mb", "--output-kb", "--processes"] or not all(value.isdigit() for value in options.values()):
        raise SystemExit(usage)
    memory_bytes = int(options["--memory-mb"]) * 1024 * 1024
    file_bytes = int(options["--file-mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if int(options["--processes"]):
        resource.setrlimit(resource.RLIMIT_NPROC, (int(options["--processes"]),) * 2)
    if os.environ.get(PIDFILE_ENV):
        with open(os.environ[PIDFILE_ENV], "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(argv[8:])
    cap_printed_output(app.shell, int(options["--output-kb"]))
    app.start()


if __name__ == "__main__":
    _launch(sys.argv[1:])
