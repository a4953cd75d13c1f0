"""Marks that time a run from the inside, for measuring where its time goes
(docs/performance.md).

With ``REFUTE_TIMELINE=FILE`` in the environment, ``mark(name)`` appends a line
``name milliseconds pid clock`` to FILE: the milliseconds counted from the last ``start()`` in
this process or in the one it was forked from (a watch round's clock starts when the watcher
notices the edit, a plain run's when ``verify`` starts), and ``time.perf_counter()``, which
other processes can compare with. Without the variable a mark costs one
test of a module constant.
"""

from __future__ import annotations

import os
import time

FILE = os.environ.get("REFUTE_TIMELINE")
_origin = [time.perf_counter()]


def start() -> None:
    _origin[0] = time.perf_counter()


def mark(name: str) -> None:
    if FILE is None:
        return
    now = time.perf_counter()
    elapsed = 1000 * (now - _origin[0])
    fd = os.open(FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{name} {elapsed:.1f} {os.getpid()} {now:.6f}\n".encode())
    finally:
        os.close(fd)
