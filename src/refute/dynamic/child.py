"""The job of a mutant's child: swap the mutant in, run its covering tests, swap it out.

It runs inside a forked child (``runner.run_pool``), one mutant after another; what it
returns goes back to the parent as JSON: each test's outcome, whether the mutated code ran at
all (``reached``), whether the mutant left state behind (``pollution``), and the diff.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from refute.dynamic.diffs import mutant_diff
from refute.dynamic.lines import walk_code
from refute.dynamic.operators import MutantSpec
from refute.dynamic.plugin import VerifyPlugin
from refute.dynamic.pollution import Watch
from refute.dynamic.reached import Reached
from refute.dynamic.runner import END_BATCH, stop_watching_loops, watch_loops
from refute.dynamic.runner import step as runner_step
from refute.dynamic.swap import (
    LiveFunctions,
    SwapError,
    compile_mutant,
    install,
    restore,
)


def mutant_job(plugin: VerifyPlugin, live: LiveFunctions, by_id: dict[str, pytest.Item],
               stop: bool, watch: Watch | None = None,
               lines_of: Callable[[Path], list[str]] | None = None
               ) -> Callable[[Any], dict[str, Any]]:
    """The job of a child: one mutant. With ``lines_of`` the child also returns the mutant's
    diff, built from the mutated tree it already has, so that the parent, which serves every
    worker, does not build the tree a second time."""
    clean = watch.snapshot() if watch is not None else None  # taken in the parent
    reached: list[Reached] = []  # made in the child, on its first mutant

    def child(payload: tuple[MutantSpec, list[str], list[float]]) -> dict[str, Any]:
        spec, tests, budgets = payload
        plugin.reuse_package_imports()
        if not reached:
            reached.append(Reached())
        try:
            code = compile_mutant(spec, spec.span.future_flags,
                                  live.freevars(spec.span))
            swapped = install(spec, code, live)
        except SwapError as exc:
            return {"error": str(exc)}
        reached[0].watch(code)
        # the mutant's code, the functions nested in it, and closures swapped along with it
        watch_loops([*walk_code(code), *(func.__code__ for func, _ in swapped)], budgets)
        try:
            items = [by_id[t] for t in tests if t in by_id]
            plugin.short_failure_reports(items)
            position = {t: i for i, t in enumerate(tests)}
            outcomes = plugin.run_items(items, stop_at_failure=stop,
                                        on_start=lambda item: runner_step(position[item.nodeid]))
        finally:
            stop_watching_loops()
            reached[0].unwatch(code)
            restore(swapped)  # the next mutant in this child starts from the original code
            live.clear_caches()  # and computes nothing from what this one cached
        dirty = watch is not None and watch.snapshot() != clean
        data = {"outcomes": {t: [o.passed, o.exc_type, o.by_assertion, o.duration]
                             for t, o in outcomes.items()}, END_BATCH: dirty}
        if reached[0].known:
            data["ran"] = reached[0].hit
        if lines_of is not None:
            data["diff"] = mutant_diff(spec, lines_of(spec.span.path))
        return data
    return child
