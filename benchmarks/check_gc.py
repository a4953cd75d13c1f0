"""Cyclic garbage collection during `refute check`: how many collections, what they free, and
how long they take, for an audit in this process with one worker.

Usage: python benchmarks/check_gc.py [PATH ...] (default: the running Python's Lib/test)

An audit runs with automatic collection off and collects the young generations between files
(`engine.between_files`). A reference cycle that holds a syntax tree (a closure that calls
itself, given a bound method of the walker) makes every file's tree survive until such a
collection: the count of objects collected, and the time, show it.
"""

from __future__ import annotations

import argparse
import gc
import sysconfig
import time
from pathlib import Path
from typing import Any

from refute.static import engine
from refute.static.context import CheckOptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*",
                        default=[str(Path(sysconfig.get_paths()["stdlib"]) / "test")])
    args = parser.parse_args()
    stats: dict[str, Any] = {"count": 0, "seconds": 0.0, "collected": 0,
                             "generations": [0, 0, 0]}
    started = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        stats["count"] += 1
        stats["seconds"] += time.perf_counter() - started[0]
        stats["collected"] += info["collected"]
        stats["generations"][info["generation"]] += 1

    gc.callbacks.append(watch)
    began = time.perf_counter()
    audit = engine.audit(args.paths, CheckOptions(use_cache=False, jobs=1))
    wall = time.perf_counter() - began
    gc.callbacks.remove(watch)
    print(f"{len(audit.tests)} tests in {wall:.1f} s; {stats['count']} collections "
          f"(generations {stats['generations']}) took {stats['seconds']:.2f} s and freed "
          f"{stats['collected']} objects")


if __name__ == "__main__":
    main()
