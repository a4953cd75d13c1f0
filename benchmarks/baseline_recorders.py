"""The verify baseline with coverage.py against sys.monitoring, side by side (a script).

Runs ``refute verify --depth extreme --no-cache --flaky-reruns 0 --shard 1/N`` (a large N:
the run is about the baseline, not the mutants) on a project from its PyPI sdist, once with
``REFUTE_LINES=coverage`` and once with the default recorder, and prints the baseline time of
each and whether both recorded the same lines and covering tests for every function.
sys.monitoring needs Python 3.12+: run this script with such a Python.

    python3.12 benchmarks/baseline_recorders.py [--project more-itertools] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_suites import fetch  # benchmarks/ is not a package


def run(src: Path, recorder: str) -> tuple[float, dict[str, Any]]:
    env = dict(os.environ)
    env.pop("REFUTE_LINES", None)
    if recorder == "coverage":
        env["REFUTE_LINES"] = "coverage"
    cmd = [sys.executable, "-m", "refute", "verify", str(src), "--depth", "extreme",
           "--no-cache", "--flaky-reruns", "0", "--shard", "1/1000", "--format", "json",
           "--fail-on", "never"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"refute verify failed: {proc.stderr[-1500:]}")
    return wall, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="more-itertools")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if sys.version_info < (3, 12):
        raise SystemExit("sys.monitoring needs Python 3.12+: run this with such a Python")
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="refute-recorders-"))).resolve()
    src = fetch(args.project, workdir)
    print(f"{args.project} at {src}; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    results = {}
    for recorder in ("coverage", "monitoring"):
        wall, doc = run(src, recorder)
        results[recorder] = doc
        base = doc["run"]["baseline"]
        print(f"{recorder:10}: baseline of {base['ran']} tests {base['time']:8.1f} s, "
              f"whole run {wall:8.1f} s")
    a, b = ({f["qualname"]: (f["covered_lines"], sorted(f["covering_tests"]))
             for f in results[r]["functions"]} for r in ("coverage", "monitoring"))
    differ = sorted(q for q in a if a[q] != b.get(q))
    print(f"functions whose lines or covering tests differ: {len(differ)} of {len(a)}"
          + (f" (first: {differ[:5]})" if differ else ""))
    ratio = results["coverage"]["run"]["baseline"]["time"] / max(
        results["monitoring"]["run"]["baseline"]["time"], 1e-9)
    print(f"sys.monitoring baseline is {ratio:.1f}x faster")


if __name__ == "__main__":
    main()
