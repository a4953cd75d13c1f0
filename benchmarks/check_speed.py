"""Speed of `refute check` on CPython's own Lib/test, against a bare ast.parse of the same files.

Usage: python benchmarks/check_speed.py [PATH]   (default: the running Python's Lib/test)

Prints, from one run side by side: the time to read and ast.parse every .py file on one core,
refute check cold (empty cache, all cores), and warm (same cache), and their ratios.
"""

from __future__ import annotations

import ast
import os
import shutil
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
    default = Path(sysconfig.get_paths()["stdlib"]) / "test"
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    parse_s, n = bare_parse(root)
    cache = Path(tempfile.mkdtemp(prefix="refute-bench-"))
    try:
        cold = refute(root, cache)
        warm = refute(root, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    version = sys.version.split()[0]
    print(f"target: {root} ({n} .py files), cores: {os.cpu_count()}, python {version}")
    print(f"bare ast.parse, 1 core : {parse_s:7.2f} s")
    print(f"refute check cold      : {cold:7.2f} s   "
          f"ratio to parse {cold / parse_s:5.2f} (goal <= 2)")
    print(f"refute check warm      : {warm:7.2f} s   "
          f"ratio to cold  {warm / cold:5.2f} (goal < 0.10)")


if __name__ == "__main__":
    main()
