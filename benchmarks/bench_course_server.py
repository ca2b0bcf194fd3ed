"""Memory and CPU of one learner on the course server (docs/course-server.md): a kernel running module 05, and a server.

Run: .venv/bin/python benchmarks/bench_course_server.py  (prints a markdown table, writes benchmarks/results/course_server.md).

The kernel runs with the environment the hub gives learners (one maths thread, two malloc arenas) in a scratch copy
of course/05_tracing_the_money, and executes every code cell of the learner's notebook, as Run All does. "Idle" is its
resident memory (RSS) after that; "during a widget interaction" is the peak (VmHWM) while every slider, dropdown and
toggle of the module's widgets is moved through its values, which runs the same Python callbacks a learner's drag does
(the browser's round trip adds no kernel memory). The server is `jupyter lab` with this environment's extensions
(nbgrader's included), measured after it served JupyterLab's page and the file list: what a single-user server holds
besides its kernels.
"""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
from jupyter_client import KernelManager

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "course_server.md"
SLUG = "05_tracing_the_money"
LEARNER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}  # as deploy/jupyterhub_config.py sets
MIB = 2**20

# Run in the kernel: move every widget's value through its range, as a learner's drags and clicks do.
INTERACT = """
import warnings
import ipywidgets as _w
warnings.simplefilter("ignore", DeprecationWarning)  # Widget.widgets: the registry of every live widget
_moved = 0
for _widget in list(_w.Widget.widgets.values()):
    if isinstance(_widget, (_w.IntSlider, _w.FloatSlider, _w.IntRangeSlider)) and not _widget.disabled:
        _low, _high = _widget.min, _widget.max
        for _step in range(6):
            _value = _low + (_high - _low) * _step / 5
            _widget.value = type(_widget.min)(_value) if not isinstance(_widget, _w.IntRangeSlider) else (_low, int(_value))
            _moved += 1
    elif isinstance(_widget, (_w.Dropdown, _w.ToggleButtons, _w.RadioButtons, _w.SelectionSlider)) and not _widget.disabled:
        for _option in list(_widget.options):
            _widget.value = _option[1] if isinstance(_option, tuple) else _option
            _moved += 1
print(_moved)
"""


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def run(client, code: str) -> str:
    reply = client.execute_interactive(code, timeout=600, output_hook=lambda message: outputs.append(message))
    return reply["content"]["status"]


outputs: list = []


def measure_kernel(scratch: Path) -> dict:
    folder = scratch / SLUG
    shutil.copytree(ROOT / "course" / SLUG, folder)
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(folder), env={**os.environ, **LEARNER_ENV})
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    try:
        pid = manager.provisioner.process.pid
        process = psutil.Process(pid)
        run(client, "import chainlab")
        after_import = process.memory_info().rss
        cells = [
            cell.source
            for cell in nbformat.read(folder / f"{SLUG}.ipynb", as_version=4).cells
            if cell.cell_type == "code"
        ]
        cpu_before, started = process.cpu_times(), time.perf_counter()
        for source in cells:
            run(client, source)  # a blank answer raises, as in Run All; the rest goes on
        run_all_seconds = time.perf_counter() - started
        run_all_cpu = sum(process.cpu_times()[:2]) - sum(cpu_before[:2])
        time.sleep(2)
        idle = process.memory_info().rss
        outputs.clear()
        cpu_before, started = process.cpu_times(), time.perf_counter()
        run(client, INTERACT)
        moves = int(
            next(
                m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
            ).strip()
        )
        interaction_cpu = sum(process.cpu_times()[:2]) - sum(cpu_before[:2])
        peak = status_kib(pid, "VmHWM") * 1024
        after = process.memory_info().rss
        return {
            "after_import": after_import,
            "idle": idle,
            "peak": peak,
            "after_interaction": after,
            "run_all_seconds": run_all_seconds,
            "run_all_cpu": run_all_cpu,
            "moves": moves,
            "cpu_per_move": interaction_cpu / max(moves, 1),
        }
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def measure_server(scratch: Path) -> int:
    port, token = 18000 + secrets.randbelow(2000), secrets.token_hex(8)
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={scratch}"]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        for _ in range(240):
            try:
                for path in ("lab", "api/contents", "api/kernelspecs"):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        return psutil.Process(server.pid).memory_info().rss
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        kernel = measure_kernel(Path(scratch))
        server = measure_server(Path(scratch))
    rows = [
        ("kernel after `import chainlab`", kernel["after_import"] / MIB),
        ("kernel idle after Run All of 05", kernel["idle"] / MIB),
        (f"kernel peak during widget interaction ({kernel['moves']} moves)", kernel["peak"] / MIB),
        ("kernel after the interaction", kernel["after_interaction"] / MIB),
        ("single-user server (JupyterLab + nbgrader), no kernel", server / MIB),
    ]
    lines = [
        f"# One learner on the course server (module {SLUG})",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; RSS in MiB.",
        "",
        "| what | MiB |",
        "|---|---:|",
        *[f"| {name} | {value:.0f} |" for name, value in rows],
        "",
        f"Run All of 05: {kernel['run_all_seconds']:.1f} s wall, {kernel['run_all_cpu']:.1f} CPU-s; "
        f"one widget move: {kernel['cpu_per_move'] * 1000:.0f} ms CPU.",
        f"Per learner, busy: {(server + kernel['peak']) / MIB:.0f} MiB (server + kernel at its peak); "
        f"idle: {(server + kernel['idle']) / MIB:.0f} MiB.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
