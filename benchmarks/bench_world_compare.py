"""Compare world builds of two source trees on the same machine, runs alternating, and report medians as ratios.

Run: .venv/bin/python benchmarks/bench_world_compare.py BASELINE_SRC CURRENT_SRC [--runs N] [--large-runs M]
(for example a `git archive <commit> src` of main, unpacked, against this checkout's src). Each build runs in its own
process into a temporary folder. Wall time depends on what else runs on the machine; CPU time (user + system of the
build process) much less, so both are reported. Writes benchmarks/results/world_compare.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "world_compare.md"
BUILD = "import sys; from chainlab.world.build import build; build(sys.argv[1], root=sys.argv[2], progress=False)"


def measure(source: str, profile: str) -> dict:
    with tempfile.TemporaryDirectory() as root:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", BUILD, profile, root], check=True, env={**os.environ, "PYTHONPATH": source}
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        manifest = json.loads((Path(root) / "datasets" / profile / "manifest.json").read_text())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "transactions": manifest["tables"]["transactions"]["rows"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline")
    parser.add_argument("current")
    parser.add_argument("--runs", type=int, default=5, help="classroom builds per tree")
    parser.add_argument("--large-runs", type=int, default=3, help="large builds per tree (0: skip)")
    args = parser.parse_args()
    lines = [
        f"World build comparison ({platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"load average {os.getloadavg()[0]:.1f} at the start); medians of alternating runs",
        "",
        "| profile | tree | runs | UTXO transactions | wall (s) | CPU (s) | transactions / wall s | transactions / CPU s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for profile, runs in (("classroom", args.runs), ("large", args.large_runs)):
        results = {"baseline": [], "current": []}
        for _ in range(runs):
            for tree in results:
                results[tree].append(measure(getattr(args, tree), profile))
                print(profile, tree, results[tree][-1], flush=True)
        rates = {}
        for tree, rows in results.items():
            if not rows:
                continue
            wall, cpu = statistics.median(r["wall"] for r in rows), statistics.median(r["cpu"] for r in rows)
            count = rows[0]["transactions"]
            rates[tree] = (count / wall, count / cpu, wall, cpu)
            lines.append(
                f"| {profile} | {tree} | {len(rows)} | {count:,} | {wall:.2f} | {cpu:.2f} | {count / wall:,.0f} | {count / cpu:,.0f} |"
            )
        if len(rates) == 2:
            (bw, bc, bwall, bcpu), (cw, cc, cwall, ccpu) = rates["baseline"], rates["current"]
            lines.append(
                f"| {profile} | current / baseline | | | {cwall / bwall:.2f} | {ccpu / bcpu:.2f} | {cw / bw:.2f} | {cc / bc:.2f} |"
            )
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
