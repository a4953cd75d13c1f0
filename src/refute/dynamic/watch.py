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
every file system), as often as a look costs at most 5% of the time between two (every 10 ms
for a small project, at least every 50 ms); a round starts once the files have been still for
``SETTLE`` seconds.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from refute import build_id
from refute.dynamic import assertions, hotswap
from refute.dynamic.background import Server
from refute.dynamic.functions import FunctionSpan
from refute.dynamic.hotswap import Version
from refute.dynamic.lines import Moved
from refute.dynamic.operators import classic_mutants, is_generator, returns_value
from refute.dynamic.plugin import VerifyPlugin
from refute.dynamic.pycache import forget_changed
from refute.dynamic.swap import LiveFunctions
from refute.dynamic.verify import (
    Run,
    conclude,
    coverage_version,
    drive,
    in_directory,
    new_run,
    static_audit,
)
from refute.errors import RefuteError
from refute.model import Audit, Verification
from refute.static.context import CheckOptions, RunContext, prepare

POLL_MIN, POLL_MAX = 0.01, 0.05  # seconds between looks at the files (``poll_interval``)
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
        interval = POLL_MAX
        while True:
            sleep(interval)
            began = time.perf_counter()
            now = self._take()
            interval = poll_interval(time.perf_counter() - began)
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


def poll_interval(look: float) -> float:
    """Seconds until the next look at the files, when one look took ``look`` seconds: 20
    times that, between ``POLL_MIN`` and ``POLL_MAX``. The time from an edit to its round
    starts with half this interval on average."""
    return min(POLL_MAX, max(POLL_MIN, 20 * look))


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


# ---------------------------------------------------------------------------- the rounds
@dataclass
class _Watched:
    """What the watcher prepares once, after the first round, for every later one."""

    texts: dict[str, str]  # source file -> the text it was imported from
    versions: dict[str, Version] = field(default_factory=dict)
    ran: dict[str, set[int]] = field(default_factory=dict)  # lines run at import
    live: LiveFunctions | None = None
    audits: Server[Audit] | None = None  # the static audit, its imports done once


def watch_rounds(first: Run, plugin: VerifyPlugin, ctx: RunContext, cwd: Path) -> None:
    """Rounds forked from this process, which has collected the suite and runs no test:
    the first as a whole run, then one after each edit. Returns only by Ctrl-C, or never
    (a fresh process replaces this one)."""
    paths = [first.options.project] if first.options.project else []
    use_cache = first.options.use_cache
    watched = _Watched({str(p): _imported_text(first, p) for p in first.source_files},
                       audits=Server(functools.partial(importlib.import_module,
                                                       "refute.static.engine"),
                                     functools.partial(_audit_from, cwd, paths, use_cache)))
    files = FileWatch([*first.source_files, *first.test_side_files], ctx.root)
    number, last = 0, watched.texts
    while True:
        code = run_round(functools.partial(_round, first, plugin, ctx, watched, number, last))
        if code == RESTART:
            restart(cwd)
        if number == 0:
            _prepare_rounds(first, watched)
        while True:
            changed = files.wait()
            if any(not p.exists() or (p.is_file() and str(p) not in watched.texts)
                   for p in changed):
                restart(cwd)  # a test-side or configuration file changed, or one went
            if any(p.is_dir() for p in changed) and not _same_files(cwd, paths, ctx):
                restart(cwd)  # a file was added where discovery finds it
            now = _texts(first.source_files)
            if now != last:
                if sys.pycache_prefix:  # a module a round imports lazily compiles again
                    forget_changed(Path(sys.pycache_prefix), [p for p in changed if p.is_file()])
                break
        last = now
        number += 1


def _prepare_rounds(first: Run, watched: _Watched) -> None:
    """In the watcher, while it waits for an edit: what every round would otherwise compute
    again (the imported files compiled and cut into functions, the live functions, the lines
    run at import, refute's build id, the test files' check lines)."""
    for path in first.source_files:
        with contextlib.suppress(SyntaxError, ValueError):
            watched.versions[str(path)] = Version.of(path, first.root,
                                                     watched.texts[str(path)])
    watched.live = LiveFunctions(set(watched.texts))
    assert first.cov is not None, "line recording started before pytest"
    watched.ran = first.cov.imported()
    first.cov.settle()
    for span in first.spans:  # the mutants of every function no edit touches (memoised)
        is_generator(span.node)
        returns_value(span.node)
        if first.options.depth != "extreme":
            classic_mutants(span, first.lines_of(span.path), full=first.options.depth == "full")
    build_id()  # hashes refute's own files once, for every round's environment
    coverage_version()  # read from package metadata once, for every round's cache keys
    for path in first.test_side_files:
        assertions.check_lines_of(str(path))
    import coverage.parser  # noqa: F401 - what an edited file's executable lines need


def _imported_text(first: Run, path: Path) -> str:
    """The text a source file had when the watch started ("" if it could not be read)."""
    try:
        return first.text_of(path)
    except (OSError, UnicodeDecodeError):
        return ""


def _texts(paths: list[Path]) -> dict[str, str]:
    out = {}
    for path in paths:
        try:
            out[str(path)] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            out[str(path)] = ""
    return out


def _audit_from(cwd: Path, paths: list[str], use_cache: bool) -> Audit:
    """The static audit from the directory refute was started in: the session runs in the
    project's root, and the paths of the command line are relative to where it started."""
    with in_directory(cwd):
        return static_audit(paths, use_cache)


def _same_files(cwd: Path, paths: list[str], ctx: RunContext) -> bool:
    """Whether discovery still finds the files the watch started with."""
    try:
        with in_directory(cwd):
            now = prepare(paths, CheckOptions()).files
    except RefuteError:
        return False
    was = ctx.files
    return (now.source, now.tests, now.conftests, now.support) == \
        (was.source, was.tests, was.conftests, was.support)


def _round(first: Run, plugin: VerifyPlugin, ctx: RunContext, watched: _Watched,
           number: int, texts: dict[str, str]) -> int:
    """One round, in its own process: bring the source ``texts`` the watcher read in, run,
    report. Its exit code."""
    options = first.options
    report = options.watch
    assert report is not None, "a watch round reports"
    assert first.cov is not None, "line recording started before pytest"
    run = first
    if number:
        began = time.perf_counter()
        live = watched.live or LiveFunctions(set(watched.texts))
        try:
            update = hotswap.plan(watched.versions, texts, watched.ran, live, first.root)
        except hotswap.Refused as exc:
            print(f"refute: starting again: {exc}", file=sys.stderr)
            return RESTART
        hotswap.apply(update, live)
        first.cov.adopt(code for _, code in update.swaps)
        known: dict[str, list[FunctionSpan]] = defaultdict(list)
        for span in first.spans:
            known[str(span.path)].append(span)
        run = new_run(options, ctx, {**known, **update.spans})
        # the mutants' live functions are looked up after the baseline, as in a whole run:
        # a module a test imports lazily has functions only then
        run.started = began
        run.cov = Moved(first.cov, watched.ran, update.moves)
        if update.changed:
            print(f"refute: round {number}: {', '.join(update.changed)} changed",
                  file=sys.stderr)
    assert watched.audits is not None, "the watcher serves static audits"
    static = watched.audits.request()
    try:
        drive(run, plugin)
        run.wall = time.perf_counter() - run.started
        result: Verification | RefuteError = conclude(run, static)
    except RefuteError as exc:
        result = exc
    report(result)
    return ROUND_FAILED if isinstance(result, RefuteError) else 0
