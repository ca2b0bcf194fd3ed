"""Benchmark world builds: wall time, peak memory and UTXO-chain transactions per second, per profile.

Run: .venv/bin/python benchmarks/bench_world.py  (prints a markdown table and writes benchmarks/results/world.md).
Each build runs in its own process, into a temporary folder, so the numbers include imports and writing.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "world.md"
BUILD = "import sys; from chainlab.world.build import build; build(sys.argv[1], root=sys.argv[2], progress=False)"


def measure(profile: str) -> dict:
    with tempfile.TemporaryDirectory() as root:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sys.executable, "-c", BUILD, profile, root],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - started
        manifest = json.loads((Path(root) / "datasets" / profile / "manifest.json").read_text())
        size = sum(p.stat().st_size for p in (Path(root) / "datasets" / profile).iterdir())
    transactions = manifest["tables"]["transactions"]["rows"]
    return {
        "profile": profile,
        "transactions": transactions,
        "seconds": seconds,
        "peak_mib": int(done.stderr.strip().splitlines()[-1]) / 1024,
        "rate": transactions / seconds,
        "mb": size / 1e6,
    }


def main() -> None:
    rows = [measure(profile) for profile in ("classroom", "large")]
    lines = [
        f"World build benchmark ({platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')})",
        "",
        "| profile | UTXO transactions | build wall time (s) | peak memory (MiB) | transactions / s | data on disk (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['profile']} | {r['transactions']:,} | {r['seconds']:.2f} | {r['peak_mib']:,.0f} | {r['rate']:,.0f} | {r['mb']:.1f} |"
        for r in rows
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
