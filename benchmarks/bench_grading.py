"""Benchmark: plain sequential `nbgrader autograde` against `chainlab grade autograde` on a synthetic cohort.

For each module, in one temporary course root and the same run:
- sequential: `nbgrader autograde <module> --force` over all learners (one at a time, as nbgrader does);
- workflow: `chainlab.grading.autograde` with one worker per core (sandbox, limits and re-checks included);
- reference: a bare kernel start, plus the notebooks' own run time (nbclient in a started kernel; mean of one right, one partly right and one blank notebook);
- the limit: the notebooks' own run times summed over the cohort, divided by the cores (no grader can beat it).
Prints a markdown table and writes benchmarks/results/grading.md.

    .venv/bin/python benchmarks/bench_grading.py [--students 30] [--modules 00 01]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from chainlab import course
from chainlab.grading import autograde, collect, release, sandbox, synthetic
from chainlab.grading.limits import Limits
from chainlab.grading.workspace import Workspace

RESULTS = Path(__file__).resolve().parent / "results" / "grading.md"
KINDS = ("right", "partly-right", "blank")
SPEEDUP_TARGET = 1.7
OVERHEAD_TARGET = 1.5
LIMIT_TARGET = 1.5


def bare_kernel_start(times: int = 3) -> float:
    """Median seconds to start a python3 kernel and have it answer."""
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3")
        samples.append(time.perf_counter() - started)
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return statistics.median(samples)


def notebook_run_time(path: Path, env: dict[str, str]) -> float:
    """Seconds the notebook's own cells take, in an already started kernel (strict checks, as when grading)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    previous = {name: os.environ.get(name) for name in [*env, "CHAINLAB_STRICT"]}
    os.environ.update(env | {"CHAINLAB_STRICT": "1"})
    try:
        with client.setup_kernel():
            started = time.perf_counter()
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            return time.perf_counter() - started
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def bench_module(ws: Workspace, slug: str, students: int, kernel_start: float) -> dict:
    release.release(ws, slug)
    inbox = ws.root / f"inbox-{slug}"
    copies = -(-students // len(KINDS))
    synthetic.write_cohort(ws, slug, inbox, kinds=KINDS, copies=copies)
    for extra in sorted(inbox.iterdir())[students:]:
        shutil.rmtree(extra)
    collect.collect(ws, slug, inbox)
    env = {"CHAINLAB_SEED": str(release.cohort_settings(ws)["seed"]), "CHAINLAB_KEYS_DIR": str(ws.cohort / "keys")}
    first_of_each_kind = [ws.submitted / f"{kind}-01" / slug / f"{slug}.ipynb" for kind in KINDS]
    own_run = statistics.mean(notebook_run_time(path, env) for path in first_of_each_kind)

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", slug, "--force"],
        cwd=ws.root,
        env={**os.environ, **env, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        check=True,
        capture_output=True,
    )
    sequential = time.perf_counter() - started

    workers = os.cpu_count() or 1
    started = time.perf_counter()
    records = autograde.autograde(ws, slug, Limits(), workers=workers, force=True, progress=lambda line: None)
    parallel = time.perf_counter() - started
    graded = [r for r in records.values() if r.get("status") == "graded"]
    per_notebook = statistics.mean(r["grading_seconds"] for r in graded)
    reference = kernel_start + own_run
    limit = students * own_run / workers
    return {
        "sandbox": "on" if sandbox.unavailable() is None else f"off ({sandbox.unavailable()})",
        "limit": limit,
        "to_limit": parallel / limit,
        "module": slug,
        "students": students,
        "graded": len(graded),
        "workers": workers,
        "sequential": sequential,
        "parallel": parallel,
        "speedup": sequential / parallel,
        "kernel_start": kernel_start,
        "own_run": own_run,
        "per_notebook": per_notebook,
        "overhead": per_notebook / reference,
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| module | learners (graded) | cores | sandbox | sequential nbgrader (s) | chainlab grade (s) | speed-up (target ≥ 1.7) | limit: own runs / cores (s) | to the limit (aim ≤ 1.5) | kernel start + own run (s) | time per notebook (s) | ratio (target ≤ 1.5) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['module']} | {r['students']} ({r['graded']}) | {r['workers']} | {r['sandbox']} | {r['sequential']:.1f} | {r['parallel']:.1f} | "
            f"{r['speedup']:.2f} {'✓' if r['speedup'] >= SPEEDUP_TARGET else '✗'} | {r['limit']:.1f} | "
            f"{r['to_limit']:.2f} {'✓' if r['to_limit'] <= LIMIT_TARGET else '✗'} | {r['kernel_start']:.2f} + {r['own_run']:.2f} | "
            f"{r['per_notebook']:.2f} | {r['overhead']:.2f} {'✓' if r['overhead'] <= OVERHEAD_TARGET else '✗'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--modules", nargs="+", default=["00", "01"])
    args = parser.parse_args()
    kernel_start = bare_kernel_start()
    rows = []
    with tempfile.TemporaryDirectory(prefix="chainlab-bench-") as scratch:
        ws = Workspace(Path(scratch))
        shutil.copy2(course.ROOT / "nbgrader_config.py", ws.root)
        for module in args.modules:
            slug = course.module(module).slug
            for folder in ("solutions", "course"):
                shutil.copytree(course.ROOT / folder / slug, ws.root / folder / slug)
            rows.append(bench_module(ws, slug, args.students, kernel_start))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = (
        f"# Grading benchmark\n\n{args.students} synthetic learners per module ({', '.join(KINDS)} in turn), "
        f"on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}.\n"
        "Time per notebook: mean time a worker spent on one submission (kernel start, run, nbgrader, re-check), "
        "against a bare kernel start plus the notebook's own run time.\n\n" + table(rows) + "\n"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
