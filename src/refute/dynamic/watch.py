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
for a small project, at least every 50 ms). A round starts as soon as a look finds an edit
of the source; it reports only if the files were still unchanged ``SETTLE`` seconds later
(an editor may save in several steps), which the watcher checks while the round runs. Any
other edit waits until the files are still before a fresh process starts.
"""

from __future__ import annotations

import contextlib
import functools
import gc
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
from refute.dynamic import assertions, hotswap, timeline
from refute.dynamic.background import Server, static_audit
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
)
from refute.errors import RefuteError
from refute.model import Audit, Verification
from refute.static.context import CheckOptions, RunContext, prepare

POLL_MIN, POLL_MAX = 0.01, 0.05  # seconds between looks at the files (``poll_interval``)
SETTLE = 0.02  # the files must be unchanged this long before a round starts
RESTART = 75  # a round's exit code: the edit needs a fresh process
STALE = 76  # what ``run_round`` returns when the files changed again while the round ran
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
        self.unseen: list[Path] = []  # changes ``still`` found, for the next ``wait``

    def _take(self) -> dict[Path, Stamp]:
        return {p: _stamp(p) for p in [*self.files, *self.dirs]}

    def wait(self, sleep: Callable[[float], None] = time.sleep) -> list[Path]:
        """Block until something changed; return what changed. The change may be one step
        of an editor's save: ``still`` tells whether the files then stay as they are."""
        changed, self.unseen = self.unseen, []  # what ``still`` found comes back at once
        interval = POLL_MAX
        while not changed:
            sleep(interval)
            began = time.perf_counter()
            now = self._take()
            interval = poll_interval(time.perf_counter() - began)
            changed = self._now(now)
        timeline.start()
        timeline.mark("noticed")
        return changed

    def still(self, sleep: Callable[[float], None] = time.sleep) -> bool:
        """Whether the files stay as the last ``wait`` found them for ``SETTLE`` seconds (an
        editor may write in several steps). When not, the next ``wait`` returns the change
        at once."""
        sleep(SETTLE)
        self.unseen = self._now(self._take())
        return not self.unseen

    def _now(self, stamps: dict[Path, Stamp]) -> list[Path]:
        """Take ``stamps`` as the files' state; the paths whose stamps it changed."""
        changed = [p for p in stamps if stamps[p] != self.stamps[p]]
        self.stamps = stamps
        return changed

    def settle(self, sleep: Callable[[float], None] = time.sleep,
               changed: Iterable[Path] = ()) -> list[Path]:
        """Block until something changed and then stayed still; return what changed, with
        ``changed`` (what an earlier ``wait`` found)."""
        found = set(changed) or set(self.wait(sleep))
        while not self.still(sleep):
            found.update(self.wait(sleep))
        return [p for p in self.stamps if p in found]


def poll_interval(look: float) -> float:
    """Seconds until the next look at the files, when one look took ``look`` seconds: 20
    times that, between ``POLL_MIN`` and ``POLL_MAX``. The time from an edit to its round
    starts with half this interval on average."""
    return min(POLL_MAX, max(POLL_MIN, 20 * look))


def run_round(body: Callable[[Callable[[], bool]], int],
              still: Callable[[], bool] | None = None) -> int:
    """Run ``body`` in a forked child and return its exit code. The child always exits
    (``os._exit``): it must never return into the watcher's pytest session.

    A round starts as soon as an edit is seen, and the watcher checks meanwhile, with
    ``still``, that the files stay as they were (an editor may write in several steps).
    ``body`` gets a function that waits for that answer: the round asks it before it reports
    or asks for a fresh process, and ends quietly when the files changed again; its code is
    then ``STALE`` and the watcher starts a round on what they are now."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the round's process
        os.close(write_fd)
        code = 70
        try:
            code = body(functools.cache(functools.partial(_settled, read_fd)))
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
    os.close(read_fd)
    settled = True
    try:
        try:
            settled = still() if still is not None else True
            with contextlib.suppress(OSError):  # the round may have ended already
                os.write(write_fd, b"1" if settled else b"0")
        finally:
            os.close(write_fd)
        _, status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        # the round got the same Ctrl-C: give it a moment to end its own children
        _end(pid)
        raise
    return os.waitstatus_to_exitcode(status) if settled else STALE


def _settled(fd: int) -> bool:
    """In a round: whether the watcher found the files still (blocks until it has looked)."""
    answer = os.read(fd, 1)
    os.close(fd)
    return answer == b"1"


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
    number, texts, reported = 0, watched.texts, watched.texts
    still: Callable[[], bool] | None = None
    while True:
        code = run_round(functools.partial(_round, first, plugin, ctx, watched, number, texts),
                         still)
        if code == RESTART:
            restart(cwd)
        if number == 0:
            _prepare_rounds(first, watched)
        if code != STALE:
            reported = texts
            number += 1
        texts = _next_edit(files, first, watched, reported, cwd,
                           functools.partial(_same_files, cwd, paths, ctx))
        still = files.still


def _next_edit(files: FileWatch, first: Run, watched: _Watched, reported: dict[str, str],
               cwd: Path, same_files: Callable[[], bool]) -> dict[str, str]:
    """Wait for an edit of the source that a round can take, and return the source's texts
    (the round starts at once: ``run_round``). An edit of anything else needs a fresh process
    (a test-side or configuration file changed, a file went, or one was added where
    discovery finds it); once the files are still, this process is replaced."""
    while True:
        changed = files.wait()
        if any(not p.exists() or p.is_dir() or str(p) not in watched.texts for p in changed):
            changed = files.settle(changed=changed)
            if any(not p.exists() or (p.is_file() and str(p) not in watched.texts)
                   for p in changed):
                restart(cwd)
            if any(p.is_dir() for p in changed) and not same_files():
                restart(cwd)
        now = _texts(first.source_files)
        if now != reported:
            if sys.pycache_prefix:  # a module a round imports lazily compiles again
                forget_changed(Path(sys.pycache_prefix), [p for p in changed if p.is_file()])
            return now


def _prepare_rounds(first: Run, watched: _Watched) -> None:
    """In the watcher, while it waits for an edit: what every round would otherwise compute
    again (the imported files compiled and cut into functions, the live functions, the lines
    run at import, refute's build id, the test files' check lines)."""
    for path in first.source_files:
        with contextlib.suppress(SyntaxError, ValueError):
            watched.versions[str(path)] = Version.of(path, first.root,
                                                     watched.texts[str(path)])
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
    watched.live = LiveFunctions(set(watched.texts))
    # last: a round then finds the functions its baseline made by walking only the objects
    # made since (``LiveFunctions(files, known)``), not the watcher's whole heap, and the
    # collector in a round leaves the watcher's objects alone
    gc.freeze()


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
           number: int, texts: dict[str, str], settled: Callable[[], bool]) -> int:
    """One round, in its own process: bring the source ``texts`` the watcher read in, run,
    report. Its exit code. Nothing is reported, nor a fresh process asked for, before
    ``settled`` says that the files stayed as they were when the round started."""
    options = first.options
    report = options.watch
    assert report is not None, "a watch round reports"
    assert first.cov is not None, "line recording started before pytest"
    run = first
    changed: list[str] = []
    if number:
        began = time.perf_counter()
        live = watched.live or LiveFunctions(set(watched.texts))
        try:
            update = hotswap.plan(watched.versions, texts, watched.ran, live, first.root)
        except hotswap.Refused as exc:
            if not settled():
                return STALE
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
        run.known_live = live
        timeline.mark("edit swapped in")
        changed = update.changed
    assert watched.audits is not None, "the watcher serves static audits"
    static = watched.audits.request()
    try:
        drive(run, plugin)
        timeline.mark("run done")
        run.wall = time.perf_counter() - run.started
        result: Verification | RefuteError = conclude(run, static)
    except RefuteError as exc:
        result = exc
    timeline.mark("concluded")
    if not settled():
        return STALE
    if changed:
        print(f"refute: round {number}: {', '.join(changed)} changed", file=sys.stderr)
    report(result)
    timeline.mark("reported")
    return ROUND_FAILED if isinstance(result, RefuteError) else 0
