"""A second look at survivors, from a process that has run no test yet (``zygote.py``).

Which mutants get it: the survivors, and the mutants whose code never started, of every
function none of whose mutants was caught (by an assertion or a timeout, as ``statuses``
counts). Those are the ones whose results can make a function pseudo-tested (or leave it
untried), a verdict that fails the build; a survivor next to a caught mutant changes no
function's status and keeps its first result.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

import pytest

from refute.dynamic.child import mutant_job
from refute.dynamic.functions import FunctionNode
from refute.dynamic.lines import Recorder
from refute.dynamic.operators import MutantSpec
from refute.dynamic.plugin import VerifyPlugin
from refute.dynamic.runner import Job, JobResult, run_pool
from refute.dynamic.statuses import CAUGHT, by_function
from refute.dynamic.swap import LiveFunctions
from refute.dynamic.zygote import Serve
from refute.model import Mutant, MutantStatus

LIMIT = 200  # mutants given a second look in one run, at most
CAUGHT_LATE = ("caught only in a process that had run no test before: state the baseline "
               "run left behind (a module already imported, a value cached on first use) "
               "hid it from the first try")
SURVIVED_AGAIN = "also survived in a process that had run no test before"


def needing_second_look(mutants: list[Mutant], untried: str) -> list[Mutant]:
    """Survivors and untried mutants (detail ``untried``) of functions with nothing caught,
    except those that an earlier run (through the cache) already looked at twice."""
    out: list[Mutant] = []
    for group in by_function(mutants).values():
        if any(m.status in CAUGHT for m in group):
            continue
        out.extend(m for m in group if SURVIVED_AGAIN not in m.detail and (
            m.status is MutantStatus.SURVIVED or
            (m.status is MutantStatus.NOT_COVERED and m.detail == untried)))
    return out[:LIMIT]


def portable(spec: MutantSpec) -> MutantSpec:
    """The spec with its mutated function built, so that it can be pickled to the zygote."""
    return dataclasses.replace(spec, make=functools.partial(_given, spec.node))


def _given(node: FunctionNode) -> FunctionNode:
    return node


def serve(plugin: VerifyPlugin, items: list[pytest.Item], source_files: set[str],
          recorder: Recorder | None, workers: int,
          known: LiveFunctions | None = None) -> Callable[[], Serve]:
    """What the zygote does: as soon as it is forked, stop the line recording it inherited
    and find the live functions (a walk over every object, done while the parent runs the
    baseline; with ``known``, over the objects made since those were found); then run each
    job it is sent in a child of its own."""

    def prepare() -> Serve:
        if recorder is not None:
            recorder.stop()
        live = LiveFunctions(source_files, known)
        live.clear_caches()
        by_id = {item.nodeid: item for item in items}

        def run(jobs: list[Job]) -> list[JobResult]:
            results: list[JobResult] = []
            run_pool(jobs, mutant_job(plugin, live, by_id, True), workers, results.append)
            return results
        return run
    return prepare


def second_verdict(first: Mutant, second: Mutant) -> Mutant:
    """The mutant's result after the second look. Caught now (by an assertion or an error)
    means caught; run and survived means survived (an untried mutant has now been tried);
    anything else (untried again, a timeout that may be start-up the first try did not pay)
    keeps the first result."""
    if second.status in (MutantStatus.KILLED_BY_ASSERTION, MutantStatus.KILLED_BY_ERROR):
        return dataclasses.replace(second, diff=first.diff,
                                   detail=f"{second.detail}; {CAUGHT_LATE}")
    if second.status is MutantStatus.SURVIVED:
        kept = first if first.status is MutantStatus.SURVIVED else second
        return dataclasses.replace(kept, diff=first.diff,
                                   detail=f"{kept.detail}; {SURVIVED_AGAIN}")
    return first
