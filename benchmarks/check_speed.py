"""Speed of `refute check` on CPython's own Lib/test, against a bare ast.parse of the same files.

Usage: python benchmarks/check_speed.py [PATH] [--repeat N]
(default: the running Python's Lib/test, 3 rounds)

Prints, from one run side by side: the time to read and ast.parse every .py file on one core,
refute check cold (empty cache, all cores), and warm (same cache), and their ratios, for each
round and as medians.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from pathlib import Path


def bare_parse(root: Path) -> tuple[float, int]:
    files = [p for p in root.rglob("*.py") if p.is_file()]
    start = time.perf_counter()
    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            pass
    return time.perf_counter() - start, len(files)


def refute(root: Path, cache: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "refute", "check", str(root), "--format", "json",
                           "--cache-dir", str(cache), "--fail-on", "never"],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"refute failed: {proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    # every tool runs as installed, from compiled bytecode: with PYTHONDONTWRITEBYTECODE set
    # (some shells and CI images set it), a module edited since its last compile would be
    # compiled again in every process the benchmark starts
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path,
                        default=Path(sysconfig.get_paths()["stdlib"]) / "test")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of parse / cold / warm, interleaved (default 3); the "
                             "machine is noisy, so each round's ratios are printed and the "
                             "median is the result")
    args = parser.parse_args()
    root: Path = args.path
    rows = []
    for _ in range(args.repeat):
        parse_s, n = bare_parse(root)
        cache = Path(tempfile.mkdtemp(prefix="refute-bench-"))
        try:
            cold = refute(root, cache)
            warm = refute(root, cache)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        rows.append((parse_s, cold, warm))
    version = sys.version.split()[0]
    print(f"target: {root} ({n} .py files), cores: {os.cpu_count()}, python {version}")
    print("round  parse(1 core)  cold     warm    cold/parse  warm/cold")
    for i, (parse_s, cold, warm) in enumerate(rows, 1):
        print(f"{i:5}  {parse_s:11.2f} s {cold:6.2f} s {warm:6.2f} s {cold / parse_s:9.2f}"
              f"  {warm / cold:9.3f}")
    print(f"median cold/parse {statistics.median(c / p for p, c, _ in rows):.2f} (goal <= 2), "
          f"median warm/cold {statistics.median(w / c for _, c, w in rows):.3f} (goal < 0.10)")


if __name__ == "__main__":
    main()
