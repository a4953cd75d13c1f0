"""Orchestration of ``refute verify``: baseline, mutants, verdicts.

The steps, in the warm parent (inside the user's pytest session):
1. the baseline runs every test once under coverage.py with one dynamic context per test,
   recording return types and durations; a red baseline stops here;
2. flaky tests are found by running the tests that will be used once more, in a child;
3. a forced-fail mutant proves that swapped code really runs;
4. every mutant runs in a forked child (``child.mutant_job``) against the tests that cover
   its function; ``statuses`` turns the mutants into per-function results.
The result is a ``model.Verification``; nothing here formats output.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import inspect
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from refute.dynamic import assertions, confirm, statuses, timeline
from refute.dynamic.background import Background, StaticSide, audit_in_background
from refute.dynamic.cache import VerifyCache, mutant_key
from refute.dynamic.child import mutant_job
from refute.dynamic.diffs import mutant_diff
from refute.dynamic.functions import (
    CodeKey,
    FunctionSpan,
    executable_lines,
    function_spans,
    text_digest,
)
from refute.dynamic.incremental import Dep, Fingerprints, environment, import_state
from refute.dynamic.lines import IMPORT_CONTEXT, Recorder, recorder, walk_code
from refute.dynamic.operators import (
    MutantSpec,
    _with_body,
    classic_mutants,
    extreme_mutants,
)
from refute.dynamic.plugin import Outcome, VerifyPlugin
from refute.dynamic.pollution import Watch
from refute.dynamic.pycache import forget_changed, only_project_compiled
from refute.dynamic.returns import ReturnTypes
from refute.dynamic.runner import (
    Job,
    JobResult,
    run_pool,
)
from refute.dynamic.statuses import function_results
from refute.dynamic.swap import (
    LiveFunctions,
)
from refute.dynamic.zygote import Zygote
from refute.errors import RefuteError, UsageError
from refute.model import (
    Audit,
    FunctionResult,
    FunctionStatus,
    Mutant,
    MutantStatus,
    TestRun,
    Verdict,
    Verification,
)
from refute.plural import counted
from refute.static.cache import cache_directory
from refute.static.context import CheckOptions, RunContext, prepare


class BaselineFailed(RefuteError):
    """The suite is red before any mutation; mutation results would mean nothing."""


class ForcedFailMissed(RefuteError):
    """A mutant that must fail every covering test did not: swapped code is not running."""


class NothingMutated(RefuteError):
    """No function could be mutated: a run that proves nothing must not look green."""


@dataclass
class VerifyOptions:
    project: str | None = None
    depth: str = "default"  # "extreme" | "default" | "full"
    workers: int = 0
    deselect: tuple[str, ...] = ()
    flaky_reruns: int = 1
    timeout_factor: float = 3.0
    timeout_constant: float = 0.5
    since: str | None = None
    shard: tuple[int, int] | None = None
    use_cache: bool = True
    full_attribution: bool = False
    progress: Callable[[int, int, int, int], None] | None = None  # done, total, killed, survived
    baseline_only: bool = False  # measure per-test coverage, mutate nothing (refute gate)
    isolate: bool = False  # a fresh child per mutant instead of batches of BATCH mutants
    # run the survivors that decide a function's status again from the state before the
    # baseline (``confirm.py``)
    second_look: bool = True
    # --watch: called with each round's result (or the error that ended the round); the run
    # then goes on until Ctrl-C (``watch.py``)
    watch: Callable[[Verification | RefuteError], None] | None = None


BATCH = 32  # mutants a child runs one after another (restoring the code between them)
CPU_TIME_KNOWN = os.path.exists(f"/proc/{os.getpid()}/stat")


@dataclass
class _Baseline:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    lines_by_test: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    assertions_by_test: dict[str, int] = field(default_factory=dict)
    covered: dict[str, set[int]] = field(default_factory=dict)  # source file -> lines
    return_types: dict[CodeKey, set[str]] = field(default_factory=dict)
    # the incremental baseline: tests run this time, and what each run depended on
    ran: set[str] = field(default_factory=set)
    deps: dict[str, list[Dep]] = field(default_factory=dict)
    reused: dict[str, tuple[str, Any, Any]] = field(default_factory=dict)  # id -> stored row
    stored: int = 0  # rows in the store before this run
    env: str = ""  # the environment every stored row is checked against
    time: float = 0.0  # wall time of running the tests


@dataclass
class Run:
    """The state of one verify run inside the pytest session."""

    options: VerifyOptions
    root: Path
    source_files: list[Path]
    test_side_files: list[Path]
    conftests: list[Path]
    spans: list[FunctionSpan]
    skipped: dict[str, str]  # qualname -> why not mutated
    changed: set[str] | None  # qualnames changed since --since
    baseline: _Baseline = field(default_factory=_Baseline)
    red: list[str] = field(default_factory=list)
    collect_errors: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)
    forced_fail_ok: bool = False
    forced_fail_detail: str = ""
    mutants: list[Mutant] = field(default_factory=list)
    tried: dict[str, dict[str, Outcome]] = field(default_factory=dict)  # mutant -> test -> outcome
    refill: dict[str, float] = field(default_factory=dict)  # test -> cost of emptied caches
    covering: dict[str, list[str]] = field(default_factory=dict)  # qualname -> tests
    ideal: float = 0.0
    mutation_wall: float = 0.0
    cached: int = 0
    started: float = 0.0
    wall: float = 0.0
    _lines: dict[Path, list[str]] = field(default_factory=dict)
    _texts: dict[Path, str] = field(default_factory=dict)
    executable: dict[Path, frozenset[int]] = field(default_factory=dict)  # through the cache
    executable_done: bool = False  # ``_executable`` has run
    cov: Recorder | None = None  # line recording, started before pytest imports the project
    fingerprints: Fingerprints | None = None
    cache: VerifyCache | None = None
    notes: list[str] = field(default_factory=list)
    mutant_keys: dict[str, str] = field(default_factory=dict)  # mutant id -> its cache key
    # the static side's child's result (``Background.result``): the audit, the executable
    # lines; None in a watch round
    static_side: Callable[[], StaticSide] | None = None
    # a --watch round: the live functions the watcher found, whose heap it then froze
    known_live: LiveFunctions | None = None

    def watched_files(self) -> set[str]:
        """The files whose lines and state refute follows: source and test side."""
        return {str(p) for p in [*self.source_files, *self.test_side_files]}

    def executable_lines(self, path: Path) -> frozenset[int]:
        """A source file's executable lines: from the cache when ``_executable`` found them,
        else as the static side's child parsed them from the same text, else parsed here."""
        if path not in self.executable:
            known = None
            if self.static_side is not None:
                with contextlib.suppress(Exception):  # its error is the audit's to report
                    known = self.static_side().executable.get(str(path))
            if known is not None and known[0] == text_digest(self.text_of(path)):
                self.executable[path] = known[1]
            else:
                self.executable[path] = executable_lines(path)
        return self.executable[path]

    def lines_of(self, path: Path) -> list[str]:
        """A source file's lines, read once per run."""
        if path not in self._lines:
            self._lines[path] = self.text_of(path).splitlines()
        return self._lines[path]

    def text_of(self, path: Path) -> str:
        """A source file's text, read once per run."""
        if path not in self._texts:
            self._texts[path] = path.read_text(encoding="utf-8")
        return self._texts[path]


@contextmanager
def in_directory(path: Path) -> Iterator[None]:
    """Run a block in ``path``, then return to where it started."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def verify(options: VerifyOptions, static: Background[StaticSide] | None = None
           ) -> Verification:
    """The run. ``static``: the static side of the same paths (the audit, the executable
    lines), already started in a child (``audit_in_background``); without it, it starts
    here."""
    timeline.mark("verify started")
    paths = [options.project] if options.project else []
    ctx = prepare(paths, CheckOptions())
    if options.watch is not None:
        cwd = Path.cwd()
        try:
            _verify(options, ctx, None)  # ends by Ctrl-C, or a fresh process replaces it
        except RefuteError as exc:  # before the first round: report, wait, start again
            from refute.dynamic.watch import FileWatch, restart

            options.watch(exc)
            FileWatch([*ctx.files.source, *ctx.files.tests, *ctx.files.conftests,
                       *ctx.files.support], ctx.root).settle()
            restart(cwd)
        raise KeyboardInterrupt
    if static is None:
        static = audit_in_background(options.project, options.use_cache)
    try:
        return _verify(options, ctx, static)
    finally:
        static.cancel()


def new_run(options: VerifyOptions, ctx: RunContext,
             known: dict[str, list[FunctionSpan]] | None = None) -> Run:
    """A run's state, from the source files as they are now on disk (``known``: the spans
    of files already cut into functions, by file name)."""
    root = ctx.root
    run = Run(options, root, list(ctx.files.source),
               [*ctx.files.tests, *ctx.files.conftests, *ctx.files.support],
               list(ctx.files.conftests), [], {}, None)
    for path in ctx.files.source:
        if known is not None and str(path) in known:
            run.spans.extend(known[str(path)])
            continue
        try:
            run.spans.extend(function_spans(path, root, run.text_of(path)))
        except (SyntaxError, UnicodeDecodeError, OSError) as exc:
            run.skipped[str(path)] = f"cannot be parsed: {exc}"
    if options.since:
        run.changed = _changed_functions(root, options.since, run.spans)
    return run


def _verify(options: VerifyOptions, ctx: RunContext, static: Background[StaticSide] | None
            ) -> Verification:
    root = ctx.root
    if not ctx.files.source:
        raise UsageError(f"no source code found under {root}: set `source` in [tool.refute]")
    run = new_run(options, ctx)
    if static is not None:
        run.static_side = static.result
    if options.watch is not None:
        cwd = Path.cwd()
        from refute.dynamic.watch import watch_rounds

        plugin = VerifyPlugin(lambda session, plug: watch_rounds(run, plug, ctx, cwd),
                              {str(p) for p in ctx.files.source})
    else:
        plugin = VerifyPlugin(lambda session, plug: drive(run, plug),
                              {str(p) for p in ctx.files.source})
    args = ["-p", "no:cacheprovider", "-p", "no:faulthandler"]
    for node_id in options.deselect:
        args += ["--deselect", node_id]
    saved_bytecode, saved_prefix = sys.dont_write_bytecode, sys.pycache_prefix
    if options.use_cache:
        # compiled modules and pytest's rewritten test modules go to refute's own cache
        # directory: a rerun skips recompiling and rewriting, the user's tree gets no
        # __pycache__
        prefix = cache_directory(root / ".refute_cache") / "pycache"
        forget_changed(prefix, run.source_files + run.test_side_files)
        sys.pycache_prefix = str(prefix)
        sys.dont_write_bytecode = False
    else:
        sys.dont_write_bytecode = True  # never leave __pycache__ in the user's tree
    run.started = time.perf_counter()
    try:
        # with the cache on, the pycache prefix holds the project's files only
        with only_project_compiled(root) if options.use_cache else nullcontext():
            run.cov = _import_coverage(run)
            with in_directory(root):
                code = pytest.main(args, plugins=[plugin])
    finally:
        gc.unfreeze()  # frozen while pytest ended the session (``VerifyPlugin``)
        sys.dont_write_bytecode, sys.pycache_prefix = saved_bytecode, saved_prefix
        if run.cov is not None:
            run.cov.stop()
    run.wall = time.perf_counter() - run.started
    timeline.mark("pytest session ended")
    if code == pytest.ExitCode.INTERRUPTED:
        # Ctrl-C: the pool has killed its children, finished mutants are in the cache; a
        # partial run must not produce a report that looks complete
        raise KeyboardInterrupt
    run.collect_errors = plugin.state.collect_errors
    if run.collect_errors:
        raise UsageError("pytest could not collect the suite:\n" + "\n".join(run.collect_errors))
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        raise UsageError(f"pytest could not start in {root} (exit code {int(code)}); run "
                         "`python -m pytest` there to see why")
    if code == pytest.ExitCode.NO_TESTS_COLLECTED or not plugin.state.items:
        raise UsageError(f"pytest collected no tests under {root}")
    side = run.static_side
    assert side is not None, "only a watch returns without a result, on Ctrl-C"
    return conclude(run, lambda: side().audit)


def conclude(run: Run, static: Callable[[], Audit]) -> Verification:
    """The verification of a run that went through; a run that proves nothing raises."""
    if run.red:
        shown = "\n".join(f"  {t}" for t in run.red[:20])
        raise BaselineFailed(
            f"the suite is red before any mutation ({len(run.red)} failing):\n{shown}\n"
            "fix them, or leave them out with --deselect NODEID")
    if not run.forced_fail_ok and (run.mutants or run.forced_fail_detail):
        raise ForcedFailMissed(f"the forced-fail check failed: {run.forced_fail_detail}")
    if not run.mutants and not run.options.baseline_only:
        _nothing_mutated(run)
    audit = static()
    timeline.mark("static audit in")
    return _assemble(run, audit)


def _nothing_mutated(run: Run) -> None:
    """A run that mutated nothing proves nothing: say why, and never look green."""
    if run.changed is not None and not any(
            not reason.startswith("unchanged since") for reason in run.skipped.values()) \
            and run.covering:
        run.notes.append(f"nothing to mutate: no covered function changed since "
                         f"{run.options.since}")
        return
    if run.options.shard:
        run.notes.append(f"shard {run.options.shard[0]}/{run.options.shard[1]} got no mutants")
        return
    if not run.covering:
        raise NothingMutated("nothing was mutated: the tests cover no function of the source "
                             "(is `source` in [tool.refute] right?)")
    reasons = sorted({r for q, r in run.skipped.items() if q in run.covering})
    shown = "; ".join(reasons[:3]) or "no mutant applies to the covered functions"
    raise NothingMutated(f"nothing was mutated: {len(run.covering)} covered functions, none "
                         f"mutated ({shown})")


# ---------------------------------------------------------------------------- in the session
def drive(run: Run, plugin: VerifyPlugin) -> None:
    if run.options.use_cache:
        run.cache = VerifyCache(run.root / ".refute_cache")
    try:
        _drive_with(run, plugin)
        _executable(run)
    finally:
        if run.cache is not None:
            run.cache.close()


def _executable(run: Run) -> None:
    """The executable lines of every source file, through the cache (coverage.py's parser is
    slow to rerun); keyed by the file's text, as read once for the run, and coverage.py's
    version."""
    cache = run.cache
    if cache is None or run.executable_done:
        return
    run.executable_done = True
    version = coverage_version()
    for path in run.source_files:
        text = "\n".join(run.lines_of(path))
        digest = hashlib.sha256(f"{version}\0{text}".encode(
            "utf-8", "surrogatepass")).hexdigest()
        stored = cache.executable(digest)
        if stored is None:
            cache.put_executable(digest, run.executable_lines(path))
        else:
            run.executable[path] = frozenset(stored)


def _drive_with(run: Run, plugin: VerifyPlugin) -> None:
    items = plugin.state.items
    zygote = None
    if not run.options.baseline_only and run.options.second_look:
        workers = run.options.workers or os.cpu_count() or 1
        zygote = Zygote(confirm.serve(plugin, items, {str(p) for p in run.source_files},
                                      run.cov, workers, run.known_live))
    timeline.mark("zygote forked")
    try:
        _drive_tests(run, plugin, items, zygote)
    finally:
        if zygote is not None:
            zygote.close()


def _drive_tests(run: Run, plugin: VerifyPlugin, items: list[pytest.Item],
                 zygote: Zygote | None) -> None:
    _run_baseline(run, plugin, items)
    timeline.mark("baseline")
    if run.red:
        return
    by_id = {item.nodeid: item for item in items}
    covering = _covering_tests(run)
    run.covering = covering
    used = sorted({t for tests in covering.values() for t in tests})
    # tests whose baseline was reused were checked for flakiness when they last ran
    run.flaky = sorted(t for t, row in run.baseline.reused.items() if row[2].get("flaky"))
    rerun = [by_id[t] for t in used if t in by_id and t in run.baseline.ran]
    @functools.cache
    def find_live() -> LiveFunctions:
        # after the baseline: a module that tests import lazily has functions only then
        live = LiveFunctions({str(p) for p in run.source_files}, run.known_live)
        live.clear_caches()
        return live

    if run.known_live is not None:
        # the objects made since the watcher froze its heap, before run_pool unfreezes it
        find_live()
    if run.options.flaky_reruns > 0 and rerun and not run.options.baseline_only:
        # the live functions are looked for while the rerun's child runs
        run.flaky = sorted({*run.flaky, *_find_flaky(run, plugin, rerun, find_live)})
    for tests in covering.values():
        tests[:] = [t for t in tests if t not in run.flaky]
    timeline.mark("flaky rerun")
    _store_baseline(run, items)
    if run.options.baseline_only:
        return
    live = find_live()
    timeline.mark("live functions")
    run.refill = _refill_costs(run, live, covering)
    specs = list(_mutant_specs(run, live, covering))
    if run.options.shard:
        index, count = run.options.shard
        specs = [s for i, s in enumerate(sorted(specs, key=lambda s: s.id)) if i % count ==
                 index - 1]
    if not specs:
        return
    ordered = _order_tests(run, covering)
    timeline.mark("mutants listed")
    _run_mutants(run, plugin, live, by_id, ordered, specs)
    timeline.mark("mutants run")
    closer = _closer_look(run, specs) if run.forced_fail_ok else []
    if closer:
        _run_mutants(run, plugin, live, by_id, ordered, closer)
        specs = [*specs, *closer]
        timeline.mark("closer look")
    if zygote is not None and run.forced_fail_ok:
        _second_look(run, zygote, specs, ordered)
    timeline.mark("second look")


def _closer_look(run: Run, specs: list[MutantSpec]) -> list[MutantSpec]:
    """At the default depth, the classic mutants not made yet (on lines the baseline ran)
    of every function that would be pseudo-tested through the one mutant per line it got
    (``statuses.needs_closer_look``): a verdict that fails the build rests on every
    classic mutant, as at ``--depth full``. Not for a shard: another shard may hold the
    function's caught mutant."""
    if run.options.depth != "default" or run.options.shard:
        return []
    spans = {spec.span.qualname: spec.span for spec in specs}
    made = {spec.id for spec in specs}
    out: list[MutantSpec] = []
    for qualname, mutants in statuses.by_function(run.mutants).items():
        span = spans.get(qualname)
        if span is None or not statuses.needs_closer_look(mutants):
            continue
        covered = run.baseline.covered.get(str(span.path), set())
        out.extend(spec for spec in classic_mutants(span, run.lines_of(span.path), full=True)
                   if spec.line in covered and spec.id not in made)
    return out


def _second_look(run: Run, zygote: Zygote, specs: list[MutantSpec],
                 ordered: dict[str, list[str]]) -> None:
    """Run the survivors that decide a function's status again, from the state before the
    baseline (``confirm.py``); their cached results are updated."""
    wanted = {m.id for m in confirm.needing_second_look(run.mutants, NOT_REACHED)}
    by_id = {s.id: s for s in specs if s.id in wanted}
    if not by_id:
        return
    jobs = []
    for spec in by_id.values():
        tests = ordered[spec.span.qualname]
        # the first test pays what the baseline's first test paid (imports, first-use set-up)
        jobs.append(Job(spec.id, 2 * _timeout(run, tests) + 5,
                        (confirm.portable(spec), tests,
                         [3 * b + 1 for b in _loop_budgets(run, tests)]),
                        [2 * t + 5 for t in _test_timeouts(run, tests)]))
    results = zygote.run(jobs)
    if results is None:
        run.notes.append("the second look at surviving mutants could not run (its process "
                         "ended early); their first results stand")
        return
    tried = dict(run.tried)
    second = {r.key: _judge(run, by_id[r.key], r, first_try=False)
              for r in results if r.key in by_id}
    for i, mutant in enumerate(run.mutants):
        if mutant.id not in second:
            continue
        final = confirm.second_verdict(mutant, second[mutant.id])
        run.mutants[i] = final
        if final is mutant and mutant.id in tried:
            run.tried[mutant.id] = tried[mutant.id]  # the first try's outcomes stand
        key = run.mutant_keys.get(mutant.id)
        if run.cache is not None and key:
            run.cache.put(key, final.status.value, final.killed_by, final.detail, final.diff)


def _import_coverage(run: Run) -> Recorder:
    """Line recording started before pytest imports anything, so that code run at import
    time (module and class bodies, def lines) counts as covered, under its own context."""
    return recorder(run.watched_files())


def _run_baseline(run: Run, plugin: VerifyPlugin, items: list[pytest.Item]) -> None:
    """Run the tests whose stored baseline no longer holds (all of them without a cache)
    under coverage, one context per test; take the others from the cache."""
    cov = run.cov
    assert cov is not None, "line recording starts before pytest"
    base = run.baseline
    prints = Fingerprints(run.root, run.spans, run.source_files, run.test_side_files,
                          run.lines_of)
    base.env = _environment(run, cov.imported())
    stored = run.cache.tests() if run.cache is not None else {}
    base.stored = len(stored)
    for item in items:
        row = stored.get(item.nodeid)
        if row is not None and row[0] == base.env and prints.holds(row[1]):
            base.reused[item.nodeid] = row
    to_run = [item for item in items if item.nodeid not in base.reused]
    plugin.short_failure_reports(to_run)
    returns = ReturnTypes({str(p) for p in run.source_files})
    returns.start()
    try:
        def switch(item: pytest.Item) -> None:
            cov.switch(item.nodeid)
            returns.next_test()

        began = time.perf_counter()
        outcomes = plugin.run_items(to_run, on_start=switch)
        base.time = time.perf_counter() - began
    finally:
        cov.stop()
        run.cov = None
        returns.stop()
    base.outcomes = outcomes
    base.ran = set(outcomes)
    base.return_types = dict(returns.seen)
    run.red = [t for t, o in outcomes.items() if not o.passed]
    source = {str(p) for p in run.source_files}
    executed_checks: dict[str, set[tuple[str, int]]] = defaultdict(set)
    test_files: dict[str, set[str]] = defaultdict(set)
    for ctx, files in cov.lines().items():
        for filename, lines in files.items():
            if ctx == IMPORT_CONTEXT:
                if filename in source:
                    base.covered.setdefault(filename, set()).update(lines)
                continue
            if filename in source:
                base.lines_by_test.setdefault(ctx, {}).setdefault(filename, set()).update(lines)
                base.covered.setdefault(filename, set()).update(lines)
            else:
                test_files[ctx].add(filename)
                checks = assertions.check_lines_of(filename)
                executed_checks[ctx].update((filename, line) for line in lines & checks)
    base.assertions_by_test = {t: len(executed_checks.get(t, ())) for t in outcomes}
    for test in outcomes:
        base.deps[test] = prints.deps(base.lines_by_test.get(test, {}), test_files[test])
    run.fingerprints = prints
    _reuse_stored(run, prints)


def _environment(run: Run, imported: dict[str, set[int]]) -> str:
    """What every stored baseline row depends on, with the code run at import."""
    return environment(run.root, run.conftests, run.options.deselect,
                       import_state(run.spans, run.source_files, run.lines_of, imported))


def _reuse_stored(run: Run, prints: Fingerprints) -> None:
    """Fold the reused tests' stored results into the baseline, and the stored return types
    of functions whose source is unchanged."""
    base = run.baseline
    absolute = {prints.rel_of(p): str(p) for p in run.source_files}
    for test, (_, _, data) in base.reused.items():
        passed, skipped, xfailed, duration = data["outcome"]
        base.outcomes[test] = Outcome(passed=passed, skipped=skipped, xfailed=xfailed,
                                      duration=duration)
        base.assertions_by_test[test] = data["checks"]
        for rel, stable in data["lines"].items():
            filename = absolute.get(rel)
            if filename is None:
                continue
            lines = prints.absolute(filename, stable)
            base.lines_by_test.setdefault(test, {}).setdefault(filename, set()).update(lines)
            base.covered.setdefault(filename, set()).update(lines)
    if run.cache is None:
        return
    stored = run.cache.returns()
    for span in run.spans:
        key = span.qualname
        if key in stored and stored[key][0] == prints.current["function", key]:
            base.return_types.setdefault(span.code_key, set()).update(stored[key][1])


def _store_baseline(run: Run, items: list[pytest.Item]) -> None:
    """Remember the green baseline: every test's row, fresh or reused, and return types."""
    cache, prints = run.cache, run.fingerprints
    if cache is None or prints is None or run.red:
        return
    base = run.baseline
    if not base.ran and len(base.reused) == base.stored:
        return  # every stored row was reused as it is
    env = base.env
    flaky = set(run.flaky)
    rows: list[tuple[str, str, Any, Any]] = []
    for item in items:
        test = item.nodeid
        if test in base.reused:
            _, deps, data = base.reused[test]
            rows.append((test, env, deps, data))
            continue
        outcome = base.outcomes.get(test)
        if outcome is None:
            continue
        lines = {prints.rel_of(Path(f)): prints.stable(f, ls)
                 for f, ls in base.lines_by_test.get(test, {}).items()}
        rows.append((test, env, base.deps.get(test, []), {
            "outcome": [outcome.passed, outcome.skipped, outcome.xfailed, outcome.duration],
            "lines": lines, "checks": base.assertions_by_test.get(test, 0),
            "flaky": test in flaky}))
    cache.replace_tests(rows)
    by_key = {s.code_key: s for s in run.spans}
    returns: dict[str, tuple[str, list[str]]] = {}
    for key, types_seen in base.return_types.items():
        span = by_key.get(key)
        if span is not None:
            returns[span.qualname] = (prints.current["function", span.qualname],
                                      sorted(types_seen))
    cache.replace_returns(returns)


def _covering_tests(run: Run) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    by_file: dict[str, list[FunctionSpan]] = defaultdict(list)
    for span in run.spans:
        by_file[str(span.path)].append(span)
    for test, files in run.baseline.lines_by_test.items():
        for filename, lines in files.items():
            for span in by_file.get(filename, ()):
                if lines.intersection(span.lines()):
                    out.setdefault(span.qualname, []).append(test)
    return out


def _find_flaky(run: Run, plugin: VerifyPlugin, items: list[pytest.Item],
                meanwhile: Callable[[], object] | None = None) -> list[str]:
    """The tests among ``items`` that fail when run again in a child (``flaky_reruns``
    times); ``meanwhile``, the parent's own work, is done while the first rerun runs."""
    flaky: set[str] = set()

    def child(_: Any) -> dict[str, Any]:
        outcomes = plugin.run_items(items)
        return {"failed": [t for t, o in outcomes.items() if not o.passed]}

    def done(result: JobResult) -> None:
        if result.data is None:
            flaky.update(i.nodeid for i in items)  # the rerun itself died: trust none
        else:
            flaky.update(result.data["failed"])

    budget = sum(run.baseline.outcomes[i.nodeid].duration for i in items)
    for _ in range(run.options.flaky_reruns):
        run_pool([Job("rerun", budget * run.options.timeout_factor + 30, None)], child, 1, done,
                 meanwhile=meanwhile)
        meanwhile = None
    return sorted(flaky)


def _mutant_specs(run: Run, live: LiveFunctions,
                  covering: dict[str, list[str]]) -> Iterator[MutantSpec]:
    depth = run.options.depth
    for span in run.spans:
        if span.qualname not in covering or not covering[span.qualname]:
            continue
        if span.arid:
            run.skipped[span.qualname] = span.arid
            continue
        if run.changed is not None and span.qualname not in run.changed:
            run.skipped[span.qualname] = f"unchanged since {run.options.since}"
            continue
        types_seen = run.baseline.return_types.get(span.code_key, set())
        extreme = extreme_mutants(span, types_seen)
        if not extreme:
            run.skipped[span.qualname] = "its body does nothing or only returns a " \
                                         "constant, as every extreme mutant would " \
                                         "(equivalent)"
        yield from extreme
        if depth != "extreme":
            lines = run.lines_of(span.path)
            covered = run.baseline.covered.get(str(span.path), set())
            for spec in classic_mutants(span, lines, full=depth == "full"):
                if spec.line in covered:
                    yield spec


def _order_tests(run: Run, covering: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fastest first: a quick failure ends a mutant's run soonest."""
    durations = {t: o.duration for t, o in run.baseline.outcomes.items()}
    return {q: sorted(tests, key=lambda t: (durations.get(t, 0.0), t))
            for q, tests in covering.items()}


def _test_timeouts(run: Run, tests: list[str]) -> list[float]:
    """One timeout per covering test: a mutant that hangs one slow test's neighbour is
    stopped after that test's own budget, not after the sum over all of them."""
    return [_timeout(run, [t]) for t in tests]


LOOP_CPU_CONSTANT = 0.1  # seconds of CPU beyond factor x baseline before spinning counts


def _loop_budgets(run: Run, tests: list[str]) -> list[float]:
    """Per covering test, the CPU seconds after which a step still running the mutated code
    counts as looping (``runner._LoopWatch``): the test's timeout with a smaller constant."""
    return [_timeout(run, [t], LOOP_CPU_CONSTANT) for t in tests]


def _timeout(run: Run, tests: list[str], constant: float | None = None) -> float:
    total = sum(run.baseline.outcomes[t].duration + run.refill.get(t, 0.0)
                for t in tests if t in run.baseline.outcomes)
    added = run.options.timeout_constant if constant is None else constant
    return total * run.options.timeout_factor + added


def _refill_costs(run: Run, live: LiveFunctions,
                  covering: dict[str, list[str]]) -> dict[str, float]:
    """Per test, what refilling an emptied cache may cost it: children start every mutant
    with the project's ``lru_cache``s empty, so any test that reaches a cached function may be
    the one that computes its values again, as the slowest of its covering tests did in the
    baseline (the first to fill it)."""
    out: dict[str, float] = {}
    outcomes = run.baseline.outcomes
    for span in run.spans:
        tests = covering.get(span.qualname)
        if not tests or span.code_key not in live.caches:
            continue
        cost = max(outcomes[t].duration if t in outcomes else 0.0 for t in tests)
        for test in tests:
            out[test] = max(out.get(test, 0.0), cost)
    return out


FORCED_FAIL_TRIES = 3
FORCED = "forced-fail"  # the key of the forced-fail check's job


def _forced_candidates(run: Run, live: LiveFunctions,
                       ordered: dict[str, list[str]]) -> list[FunctionSpan]:
    """The functions the forced-fail check tries, the most widely covered first."""
    candidates = [s for s in run.spans if ordered.get(s.qualname) and live.loaded(s)
                  and not s.arid]
    candidates.sort(key=lambda s: -len(ordered[s.qualname]))
    return candidates[:FORCED_FAIL_TRIES]


def _forced_job(run: Run, span: FunctionSpan, tests: list[str]) -> Job:
    """The function raising AssertionError, run against its covering tests."""
    spec = MutantSpec(span, "forced-fail", True, span.def_line, "forced failure",
                      functools.partial(_with_body, span,
                                        "raise AssertionError('refute: forced failure')"))
    return Job(FORCED, _timeout(run, tests) + 10, (spec, tests, []))


def _forced_fail(run: Run, plugin: VerifyPlugin, live: LiveFunctions,
                 by_id: dict[str, pytest.Item], ordered: dict[str, list[str]],
                 candidates: list[FunctionSpan], first: JobResult | None) -> None:
    """Make the most widely covered function raise AssertionError and require a test to
    fail. A function whose code does not run in a child (state the baseline left behind
    answers instead: ``reached`` sees it on 3.12+), or whose callers catch the error, proves
    nothing either way: the next one is tried, up to ``FORCED_FAIL_TRIES``; the check fails
    only when none of them fails a test. ``first`` is the first candidate's try when it ran
    among the mutants' jobs (``_run_mutants``); the others run here, one child each."""
    unreached: list[str] = []
    missed: list[str] = []
    result: JobResult | None = first
    for i, span in enumerate(candidates):
        tests = ordered[span.qualname]
        if i or first is None:
            tried: list[JobResult] = []
            run_pool([_forced_job(run, span, tests)], mutant_job(plugin, live, by_id, True), 1,
                     tried.append)
            result = tried[0] if tried else None
        data = result.data if result else None
        if data and "outcomes" in data and any(not o[0] for o in data["outcomes"].values()):
            run.forced_fail_ok = True
            return
        if data and data.get("ran") is False:
            unreached.append(span.qualname)
            continue
        why = data.get("error") if data else (result.describe_death() if result else "")
        missed.append(f"`{span.qualname}` raising AssertionError did not fail any of its "
                      f"{len(tests)} covering tests" + (f" ({why})" if why else ""))
    if missed:
        run.forced_fail_detail = "; ".join(missed)
        return
    names = ", ".join(f"`{q}`" for q in unreached)
    run.forced_fail_detail = (f"the code of {names} never ran in a mutant's process (state the "
                              "baseline run left behind answered instead)")


class _Unproven(Exception):
    """The forced-fail check's first try proved nothing: the mutants' children stop."""


def _run_mutants(run: Run, plugin: VerifyPlugin, live: LiveFunctions,
                 by_id: dict[str, pytest.Item], ordered: dict[str, list[str]],
                 specs: list[MutantSpec]) -> None:
    """Run every mutant the cache does not answer, in forked children. The forced-fail
    check's first try is the first job of the first child: the other children start on the
    mutants meanwhile, and nothing is stored before the check has passed. When that try
    proves nothing, the children stop, the check tries its other candidates alone, and the
    mutants start again once one of them has passed. A later call in the same run (the
    closer look's mutants) needs no check again once one has passed."""
    cache = run.cache
    start, ideal_start = len(run.mutants), run.ideal
    sources = _sources(run, by_id)
    keys: dict[str, str] = {}
    jobs: list[Job] = []
    by_key: dict[str, MutantSpec] = {}
    for spec in specs:
        tests = ordered[spec.span.qualname]
        # lines relative to the function: an edit elsewhere in the file keeps these results
        relative_id = f"{spec.span.qualname}:{spec.line - spec.span.first_line}:" \
                      f"{spec.operator}:{spec.description}"
        key = mutant_key(relative_id, sources.get(spec.span.qualname, ""),
                         [sources.get(t, t) for t in tests])
        keys[spec.id] = key
        run.mutant_keys[spec.id] = key
        by_key[spec.id] = spec
        hit = cache.get(key) if cache else None
        if hit is not None:
            run.cached += 1
            run.mutants.append(_mutant(run, spec, MutantStatus(hit[0]), hit[1], hit[2], hit[3]))
            continue
        if not live.loaded(spec.span):
            # checked after the cache: a module that tests import lazily is not loaded when
            # those tests' baseline was reused, and its stored results still hold
            run.skipped.setdefault(spec.span.qualname, NOT_LOADED)
            continue
        jobs.append(Job(spec.id, _timeout(run, tests), (spec, tests, _loop_budgets(run, tests)),
                        _test_timeouts(run, tests)))
    if not jobs:
        # every result comes from the cache, stored by runs whose forced-fail check passed
        run.forced_fail_ok = True
        return
    proven = run.forced_fail_ok
    candidates = [] if proven else _forced_candidates(run, live, ordered)
    if not candidates and not proven:
        run.forced_fail_detail = "no covered function to try it on"
        return
    total = start + len(specs)
    before = (len(run.mutants), run.ideal, dict(run.skipped))  # the cache's answers
    counts = {"killed": sum(m.status.killed for m in run.mutants),
              "survived": sum(m.status is MutantStatus.SURVIVED for m in run.mutants)}
    stop = not run.options.full_attribution
    workers = run.options.workers or os.cpu_count() or 1
    by_job = {job.key: job for job in jobs}
    retry: list[Job] = []
    tries: list[JobResult] = []
    unstored: list[Mutant] = []  # judged before the forced-fail check passed

    def store(mutant: Mutant) -> None:
        if cache is not None:
            cache.put(keys[mutant.id], mutant.status.value, mutant.killed_by, mutant.detail,
                      mutant.diff)

    def done(result: JobResult) -> None:
        if result.key == FORCED:
            tries.append(result)
            _forced_fail(run, plugin, live, by_id, ordered, candidates[:1], result)
            if not run.forced_fail_ok:
                raise _Unproven
            for mutant in unstored:
                store(mutant)
            unstored.clear()
            return
        spec = by_key[result.key]
        if result.timed_out and result.key in by_job and by_job[result.key].timeout < 10 \
                and (result.starved or not CPU_TIME_KNOWN):
            # a loaded machine can starve a child for a few seconds: a short timeout of a
            # child that got little CPU counts only if it happens again with twice the time
            job = by_job.pop(result.key)
            retry.append(Job(job.key, job.timeout * 2, job.payload,
                             [t * 2 for t in job.steps] if job.steps else None))
            return
        mutant = _judge(run, spec, result)
        run.mutants.append(mutant)
        counts["killed"] += mutant.status.killed
        counts["survived"] += mutant.status is MutantStatus.SURVIVED
        if run.forced_fail_ok:
            store(mutant)
        else:
            unstored.append(mutant)
        if run.options.progress:
            run.options.progress(len(run.mutants), total, counts["killed"], counts["survived"])

    if run.options.progress:
        run.options.progress(len(run.mutants), total, counts["killed"], counts["survived"])
    began = time.perf_counter()
    try:
        batch = 1 if run.options.isolate else BATCH
        watch = None if batch == 1 else Watch(run.watched_files())
        runner = mutant_job(plugin, live, by_id, stop, watch, run.lines_of)
        forced = [] if proven else \
            [_forced_job(run, candidates[0], ordered[candidates[0].qualname])]
        try:
            run_pool([*forced, *jobs], runner,
                     workers, done, batch=batch,
                     # a watch round has no static side's child: the executable lines of
                     # an edited file are parsed while the children run
                     meanwhile=functools.partial(_executable, run)
                     if run.static_side is None else None)
        except _Unproven:  # what the children judged is dropped; the cache's answers stay
            del run.mutants[before[0]:]
            run.ideal = before[1]
            run.skipped.clear()
            run.skipped.update(before[2])
            for spec_id in by_key:
                run.tried.pop(spec_id, None)
            counts.update(killed=sum(m.status.killed for m in run.mutants),
                          survived=sum(m.status is MutantStatus.SURVIVED for m in run.mutants))
            retry.clear()
            unstored.clear()
            _forced_fail(run, plugin, live, by_id, ordered, candidates, tries[0])
            if not run.forced_fail_ok:
                return
            run_pool(jobs, runner, workers, done, batch=batch)
        if not tries and not proven:
            # no child reported the check's try (it cannot happen): try it alone
            _forced_fail(run, plugin, live, by_id, ordered, candidates, None)
            if not run.forced_fail_ok:
                return
            for mutant in unstored:
                store(mutant)
        if retry:
            run_pool(retry, runner, workers, done)
    finally:
        run.mutation_wall += time.perf_counter() - began
    run.ideal = ideal_start + (run.ideal - ideal_start) / workers


def _sources(run: Run, by_id: dict[str, pytest.Item]) -> dict[str, str]:
    """What a mutant's stored result depends on besides its own function, for cache keys:
    the hash of every function's source, and per test its own source (from its code object,
    without parsing the file), the environment, and the test-side files it ran besides its
    own (conftest, helpers), as the incremental baseline hashed them."""
    prints = run.fingerprints
    assert prints is not None, "the baseline hashes the project before mutants run"
    out = {span.qualname: prints.current["function", span.qualname] for span in run.spans}
    base = run.baseline
    for test in base.outcomes:
        item = by_id.get(test)
        deps = base.deps.get(test) or (base.reused[test][1] if test in base.reused else [])
        own = test.partition("::")[0]
        side = sorted(f"{name}={digest}" for kind, name, digest in deps
                      if kind == "file" and name != own)
        text = _test_source(run, item) if item is not None else None
        out[test] = "\n".join([text if text is not None else test, base.env, *side])
    return out


def _test_source(run: Run, item: pytest.Item) -> str | None:
    """A test function's source lines: from its first line (decorators included) to the last
    line of its code or of any function nested in it."""
    func = getattr(item, "obj", None)
    code = getattr(inspect.unwrap(func), "__code__", None) if func is not None else None
    if code is None or not code.co_filename:
        return None
    last = max([code.co_firstlineno, *(line for inner in walk_code(code)
                                        for _, _, line in inner.co_lines() if line)])
    try:
        lines = run.lines_of(Path(code.co_filename))
    except (OSError, UnicodeDecodeError):
        return None
    return "\n".join(lines[code.co_firstlineno - 1: last])


NOT_LOADED = "no live function object (defined at import time by code refute cannot swap)"
NOT_REACHED = ("its code never ran while its tests ran in the mutant's process: state the "
               "baseline run left behind (a module already imported, an attribute cached on "
               "first use) answered instead, so the mutant was not tried")


def _judge(run: Run, spec: MutantSpec, result: JobResult, first_try: bool = True) -> Mutant:
    """The mutant's status from its job's result, noting each test's outcome in ``run.tried``;
    a first try also counts toward the ideal time and explains an untried function in
    ``run.skipped`` (a second look does neither)."""
    data = result.data
    if data is None:
        if result.timed_out:
            return _mutant(run, spec, MutantStatus.TIMEOUT, None, result.describe_death())
        return _mutant(run, spec, MutantStatus.KILLED_BY_ERROR, None, result.describe_death())
    if "error" in data:
        if first_try:
            run.skipped.setdefault(spec.span.qualname, data["error"])
        return _mutant(run, spec, MutantStatus.NOT_COVERED, None, data["error"])
    diff = data.get("diff")
    outcomes = {t: Outcome(passed=o[0], exc_type=o[1], by_assertion=o[2], duration=o[3])
                for t, o in data["outcomes"].items()}
    run.tried[spec.id] = outcomes
    if first_try:
        run.ideal += sum(run.baseline.outcomes[t].duration for t in outcomes
                         if t in run.baseline.outcomes)
    failed = [(t, o) for t, o in outcomes.items() if not o.passed]
    if not failed and data.get("ran") is False:
        if first_try:
            run.skipped.setdefault(spec.span.qualname, NOT_REACHED)
        return _mutant(run, spec, MutantStatus.NOT_COVERED, None, NOT_REACHED, diff)
    if not failed:
        return _mutant(run, spec, MutantStatus.SURVIVED, None,
                       f"{counted(len(outcomes), 'test')} passed", diff)
    # a kill by an assertion, if any test made one, else the first kill by an error
    test, outcome = min(failed, key=lambda f: not f[1].by_assertion)
    status = MutantStatus.KILLED_BY_ASSERTION if outcome.by_assertion else \
        MutantStatus.KILLED_BY_ERROR
    return _mutant(run, spec, status, test, outcome.exc_type, diff)


def _mutant(run: Run, spec: MutantSpec, status: MutantStatus, killed_by: str | None,
            detail: str, diff: str | None = None) -> Mutant:
    if diff is None:
        diff = mutant_diff(spec, run.lines_of(spec.span.path))
    return Mutant(id=spec.id, function=spec.span.qualname, path=spec.span.rel, line=spec.line,
                  operator=spec.operator, extreme=spec.extreme, description=spec.description,
                  diff=diff, status=status, killed_by=killed_by, detail=detail)


def _changed_functions(root: Path, rev: str, spans: list[FunctionSpan]) -> set[str]:
    from refute.dynamic.gitdiff import changed_lines

    changed = changed_lines(root, rev)
    out: set[str] = set()
    for span in spans:
        lines = changed.get(span.rel)
        if lines and lines.intersection(span.lines()):
            out.add(span.qualname)
    return out


# ---------------------------------------------------------------------------- assembling
def _assemble(run: Run, static: Audit) -> Verification:
    spans = [(s.qualname, s.rel, s.def_line, s.end_line) for s in run.spans]
    functions = function_results(run.mutants, spans, run.covering, run.skipped)
    ver = Verification(audit=static, functions=functions, mutants=sorted(
        run.mutants, key=lambda m: (m.path, m.line, m.operator, m.description)))
    ver.forced_fail_ok = run.forced_fail_ok
    ver.flaky = tuple(run.flaky)
    ver.wall_time = run.wall
    ver.ideal_time = run.ideal
    ver.mutation_time = run.mutation_wall
    ver.baseline_ran = len(run.baseline.ran)
    ver.baseline_time = run.baseline.time
    ver.baseline_reused = len(run.baseline.reused)
    ver.workers = run.options.workers or os.cpu_count() or 1
    ver.cached = run.cached
    status_of = {f.qualname: f for f in functions}
    for path in run.source_files:
        executable = run.executable_lines(path)
        covered = run.baseline.covered.get(str(path), set()) & executable
        ver.source_lines += len(executable)
        ver.covered_lines += len(covered)
        for span in run.spans:
            if span.path != path:
                continue
            result = status_of[span.qualname]
            lines = len(covered.intersection(span.lines()))
            status_of[span.qualname] = replace(result, covered_lines=lines)
            if result.checked:
                ver.checked_lines += lines
    ver.functions = [status_of[f.qualname] for f in functions]
    ver.functions.extend(_module_level(run))
    ver.runs = _test_runs(run, static)
    ver.notes = list(run.notes)
    for test, files in run.baseline.lines_by_test.items():
        ver.lines_by_test[test] = {
            _rel(Path(f), run.root): frozenset(lines) for f, lines in files.items()}
    return ver


@functools.cache
def coverage_version() -> str:
    """coverage.py's version from its metadata: a warm run whose executable lines are all
    cached never imports coverage.py itself. Read once per process (reading package
    metadata costs milliseconds; a ``--watch`` round inherits it from the watcher)."""
    from importlib import metadata

    try:
        return metadata.version("coverage")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout on sys.path
        import coverage

        return str(coverage.__version__)


@functools.lru_cache(maxsize=4096)
def _rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, both resolved (once per path and run: resolving
    asks the file system for every component)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


MODULE_LEVEL = "<module>"
MODULE_REASON = ("module-level code runs once, when the module is imported, before a mutant "
                 "can be swapped in; refute mutates functions and methods")


def _module_level(run: Run) -> list[FunctionResult]:
    """One not-mutated entry per source file for its executable lines outside functions."""
    from refute.static.module import module_name

    by_path: dict[Path, list[FunctionSpan]] = defaultdict(list)
    for span in run.spans:
        by_path[span.path].append(span)
    out = []
    for path in run.source_files:
        inside: set[int] = set()
        for span in by_path.get(path, ()):
            inside.update(span.lines())
        lines = sorted(run.executable_lines(path) - inside)
        if not lines:
            continue
        covered = run.baseline.covered.get(str(path), set()).intersection(lines)
        rel = _rel(path, run.root)
        out.append(FunctionResult(
            qualname=f"{module_name(rel)}.{MODULE_LEVEL}", path=rel, line=lines[0],
            end_line=lines[-1], status=FunctionStatus.NOT_MUTATED, mutants=0,
            killed_by_assertion=0, killed_by_error=0, survived=0, timeout=0,
            covering_tests=(), covered_lines=len(covered),
            reason=f"{counted(len(lines), 'line')}, {len(covered)} run at import: "
                   + MODULE_REASON))
    return out


def _test_runs(run: Run, static: Audit) -> list[TestRun]:
    kills_a: dict[str, int] = defaultdict(int)
    kills_e: dict[str, int] = defaultdict(int)
    faced: dict[str, int] = defaultdict(int)
    for mutant in run.mutants:
        if mutant.killed_by and mutant.status is MutantStatus.KILLED_BY_ASSERTION:
            kills_a[mutant.killed_by] += 1
        elif mutant.killed_by and mutant.status is MutantStatus.KILLED_BY_ERROR:
            kills_e[mutant.killed_by] += 1
    for outcomes in run.tried.values():
        for test in outcomes:
            faced[test] += 1
    static_by_id = {t.id: t.verdict for t in static.tests}
    out: list[TestRun] = []
    for test, outcome in sorted(run.baseline.outcomes.items()):
        covers = sum(len(v) for v in run.baseline.lines_by_test.get(test, {}).values())
        asserted = run.baseline.assertions_by_test.get(test, 0)
        reasons: list[str] = []
        dynamic = Verdict.OK
        if outcome.skipped:
            reasons.append("skipped in the baseline")
        elif outcome.xfailed:
            reasons.append("expected to fail (xfail) in the baseline")
        elif asserted == 0:
            dynamic = Verdict.VACUOUS
            reasons.append("executed no assertion in the baseline run")
        if covers and faced[test] and not outcome.skipped and not outcome.xfailed:
            if kills_a[test] == 0 and kills_e[test] == 0:
                dynamic = Verdict.VACUOUS
                reasons.append(f"killed none of the {faced[test]} mutants it ran against")
            elif kills_a[test] == 0:
                dynamic = max(dynamic, Verdict.WEAK, key=lambda v: v.rank)
                reasons.append(f"killed {kills_e[test]} mutants only by crashing, none by an "
                               "assertion")
        base_id = test.split("[")[0]
        static_verdict = static_by_id.get(base_id, Verdict.OK)
        merged = max(static_verdict, dynamic, key=lambda v: v.rank)
        out.append(TestRun(id=test, duration=outcome.duration, covers=covers,
                           assertions_executed=asserted, killed_by_assertion=kills_a[test],
                           killed_by_error=kills_e[test], verdict=merged,
                           reasons=tuple(reasons), faced=faced[test]))
    return out
