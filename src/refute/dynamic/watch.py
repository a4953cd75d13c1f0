"""``refute verify --watch``: one round per edit, each forked from a process that has run
no test.

The watcher is the process that started pytest: it has imported and collected the suite,
and never runs a test itself. Each round is a child forked from it; the child brings the
edited function bodies in (``hotswap``) and does what a whole run does from there on, with
the incremental baseline and the mutant cache, then reports and exits. A round therefore
starts from the same state whatever earlier rounds did, and skips what dominates a small
project's rerun: starting Python, importing pytest and the project, collecting the suite.

An edit a child cannot bring in (a test file, a configuration file, a file added or removed,
a change outside function bodies: ``hotswap.Refused``) makes the watcher start again as a
fresh process with the same command line; that run is a plain rerun with the cache.

Edits are found by polling the files' modification times and sizes (no dependency, works on
every file system); a round starts once the files have been still for ``SETTLE`` seconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

POLL = 0.05  # seconds between looks at the files
SETTLE = 0.02  # the files must be unchanged this long before a round starts
RESTART = 75  # a round's exit code: the edit needs a fresh process
ROUND_FAILED = 1  # a round's exit code: it reported an error instead of a result
CONFIG_FILES = ("pyproject.toml", "pytest.ini", ".pytest.ini", "setup.cfg", "tox.ini")

Stamp = tuple[int, int, int] | None  # (mtime_ns, size, inode), None when missing


def _stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class FileWatch:
    """The modification stamps of the files a run depends on, and of their directories
    (a file added next to them changes its directory's stamp)."""

    def __init__(self, files: Iterable[Path], root: Path) -> None:
        self.files = sorted({*files, *(root / name for name in CONFIG_FILES)})
        self.dirs = sorted({p.parent for p in self.files})
        self.stamps = self._take()

    def _take(self) -> dict[Path, Stamp]:
        return {p: _stamp(p) for p in [*self.files, *self.dirs]}

    def wait(self, sleep: Callable[[float], None] = time.sleep) -> list[Path]:
        """Block until something changed and then stayed still; return what changed."""
        while True:
            sleep(POLL)
            now = self._take()
            if now == self.stamps:
                continue
            while True:  # an editor may write in several steps: wait until it is done
                sleep(SETTLE)
                later = self._take()
                if later == now:
                    break
                now = later
            changed = [p for p in now if now[p] != self.stamps[p]]
            self.stamps = now
            return changed


def run_round(body: Callable[[], int]) -> int:
    """Run ``body`` in a forked child and return its exit code. The child always exits
    (``os._exit``): it must never return into the watcher's pytest session."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the round's process
        code = 70
        try:
            code = body()
        except KeyboardInterrupt:
            code = 130
        except BaseException as exc:  # an internal error must not end the watch
            print(f"refute: internal error in a watch round: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    try:
        _, status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        # the round got the same Ctrl-C: give it a moment to end its own children
        _end(pid)
        raise
    return os.waitstatus_to_exitcode(status)


def _end(pid: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def restart(cwd: Path) -> None:
    """Replace this process with a fresh one running the same command line."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(cwd)
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
