"""Per-test line recording for the baseline: coverage.py, or ``sys.monitoring`` on 3.12+.

Both recorders start before pytest imports anything (lines run at import belong to the
``<import>`` context), switch context when each test starts, and return, per context, the
lines executed in each watched file.

- ``CoverageRecorder`` uses coverage.py with dynamic contexts. Its C tracer pays for every
  line executed: a test that loops a million times in project code runs several times slower.
- ``MonitoringRecorder`` (Python 3.12+) uses ``sys.monitoring`` LINE events on the watched
  files' code objects only, and disables each location after its first event until the next
  test starts (``restart_events``): a loop costs one event per line per test, however often
  it runs. coverage.py's own ``sysmon`` core cannot record dynamic contexts, hence this one.
  Lines are raw line numbers, as coverage.py's C tracer records them (every line of a
  multi-line statement whose instructions ran).

``REFUTE_LINES=coverage`` forces coverage.py on any Python (to compare the two).
"""

from __future__ import annotations

import gc
import os
import sys
import types
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

IMPORT_CONTEXT = "<import>"
Lines = dict[str, dict[str, set[int]]]  # context -> file -> lines


def walk_code(code: types.CodeType) -> Iterator[types.CodeType]:
    """A code object and every code object nested in it (functions, lambdas, comprehensions,
    classes), depth first in the order of ``co_consts``."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from walk_code(const)


class Recorder(Protocol):
    def switch(self, context: str) -> None: ...
    def stop(self) -> None: ...
    def lines(self) -> Lines: ...
    def imported(self) -> dict[str, set[int]]: ...
    def settle(self) -> None: ...
    def adopt(self, codes: Iterable[types.CodeType]) -> None: ...


class CoverageRecorder:
    def __init__(self, files: set[str]) -> None:
        import coverage

        self.cov = coverage.Coverage(data_file=None, include=sorted(files), config_file=False)
        self.cov.start()
        self.cov.switch_context(IMPORT_CONTEXT)

    def switch(self, context: str) -> None:
        self.cov.switch_context(context)

    def settle(self) -> None:
        """Nothing to prepare: coverage.py traces every new frame."""

    def adopt(self, codes: Iterable[types.CodeType]) -> None:
        """Nothing to do: coverage.py traces code objects it has not seen before too."""

    def stop(self) -> None:
        self.cov.stop()

    def imported(self) -> dict[str, set[int]]:
        """The lines run so far under the ``<import>`` context."""
        return self.lines().get(IMPORT_CONTEXT, {})

    def lines(self) -> Lines:
        data = self.cov.get_data()
        out: Lines = defaultdict(dict)
        for filename in data.measured_files():
            for line, contexts in data.contexts_by_lineno(filename).items():
                for ctx in contexts:
                    if ctx:
                        out[ctx].setdefault(filename, set()).add(line)
        return out


def free_tool_id() -> int | None:
    """A ``sys.monitoring`` tool id nobody uses (the highest first: debuggers and coverage
    tools take the low ones), or None when all are taken or before Python 3.12."""
    mon = getattr(sys, "monitoring", None)
    if mon is None:
        return None
    return next((t for t in range(5, 0, -1) if mon.get_tool(t) is None), None)


class MonitoringRecorder:
    """LINE events of the watched files, each location once per test (Python 3.12+)."""

    def __init__(self, files: set[str]) -> None:
        mon = sys.monitoring  # type: ignore[attr-defined]
        self.mon = mon
        self.files = files
        self.context = IMPORT_CONTEXT
        self.raw: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.tool = free_tool_id()
        if self.tool is None:
            raise RuntimeError("no free sys.monitoring tool id")
        mon.use_tool_id(self.tool, "refute-lines")
        mon.register_callback(self.tool, mon.events.LINE, self._on_line)
        mon.register_callback(self.tool, mon.events.PY_START, self._on_start)
        # during imports every file's code runs once: global events, off where not watched
        mon.set_events(self.tool, mon.events.LINE)
        self.local = False
        self.bodiless: dict[types.CodeType, int] = {}  # code -> its one line (see _watch)
        self.pending: set[str] = set()  # watched files not imported when the tests began

    def _on_line(self, code: types.CodeType, line: int) -> Any:
        filename = code.co_filename
        if filename in self.files:
            self.raw[self.context][filename].add(line)
        return self.mon.DISABLE

    def switch(self, context: str) -> None:
        self.settle()
        self.context = context
        self.mon.restart_events()

    def settle(self) -> None:
        """Leave the import phase: from now on only the watched code objects raise events
        (a ``--watch`` watcher does it once, before it forks its rounds)."""
        if not self.local:
            self._watch_code_objects()

    def adopt(self, codes: Iterable[types.CodeType]) -> None:
        """Watch code objects that did not exist when the recorder settled (an edit brought
        into a ``--watch`` round)."""
        if self.local:
            for root in codes:
                for code in walk_code(root):
                    self._watch(code)

    def _watch_code_objects(self) -> None:
        """From the first test on, only the watched files' code objects raise events."""
        mon = self.mon
        mon.set_events(self.tool, 0)
        roots = {id(obj.__code__): obj.__code__ for obj in gc.get_objects()
                 if isinstance(obj, types.FunctionType) and obj.__code__.co_filename in self.files}
        for root in roots.values():
            for code in walk_code(root):
                self._watch(code)
        self.local = True
        loaded = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
        self.pending = self.files - loaded - {code.co_filename for code in roots.values()}
        if self.pending:
            # a watched file that tests import later (inside a test): its module code, when
            # it starts, brings every code object of the file under watch
            mon.set_events(self.tool, mon.events.PY_START)

    def _watch(self, code: types.CodeType) -> None:
        """LINE events for a code object. A body without a line of its own (a function whose
        body is only a docstring: on Python 3.13 all its instructions sit on the ``def``
        line, and no LINE event fires when it runs) also gets PY_START, which records that
        line: a test that calls the function covers it, as on earlier Pythons."""
        events = self.mon.events.LINE
        lines = {line for _, _, line in code.co_lines() if line is not None}
        if len(lines) == 1 and code.co_name not in ("<module>",):
            self.bodiless[code] = next(iter(lines))
            events |= self.mon.events.PY_START
        self.mon.set_local_events(self.tool, code, events)

    def _on_start(self, code: types.CodeType, offset: int) -> Any:
        line = self.bodiless.get(code)
        if line is not None:
            self.raw[self.context][code.co_filename].add(line)
        elif code.co_filename in self.pending:
            for inner in walk_code(code):
                self._watch(inner)
            if code.co_name == "<module>":
                self.pending.discard(code.co_filename)
                if not self.pending:
                    self.mon.set_events(self.tool, 0)
        return self.mon.DISABLE

    def stop(self) -> None:
        mon = self.mon
        if mon.get_tool(self.tool) != "refute-lines":
            return  # stopped already
        mon.set_events(self.tool, 0)
        mon.register_callback(self.tool, mon.events.LINE, None)
        mon.register_callback(self.tool, mon.events.PY_START, None)
        mon.free_tool_id(self.tool)

    def imported(self) -> dict[str, set[int]]:
        """The lines run so far under the ``<import>`` context."""
        return {f: set(lines) for f, lines in self.raw.get(IMPORT_CONTEXT, {}).items()}

    def lines(self) -> Lines:
        return {context: {f: set(lines) for f, lines in files.items()}
                for context, files in self.raw.items()}


class Moved:
    """A recorder that carries on after a fork, with the ``<import>`` lines recorded before
    it (``imported``) at their numbers in the current text (``moves``: file -> old line ->
    new line). A ``--watch`` round uses it after bringing edited function bodies in; the
    import lines come from the watcher, since coverage.py does not keep data it has
    already handed out across a fork."""

    def __init__(self, inner: Recorder, imported: dict[str, set[int]],
                 moves: dict[str, dict[int, int]]) -> None:
        self.inner = inner
        self.imported_lines = {
            filename: {moves.get(filename, {}).get(line, line) for line in lines}
            for filename, lines in imported.items()}

    def switch(self, context: str) -> None:
        self.inner.switch(context)

    def stop(self) -> None:
        self.inner.stop()

    def settle(self) -> None:
        self.inner.settle()

    def adopt(self, codes: Iterable[types.CodeType]) -> None:
        self.inner.adopt(codes)

    def imported(self) -> dict[str, set[int]]:
        return {f: set(lines) for f, lines in self.imported_lines.items()}

    def lines(self) -> Lines:
        out = dict(self.inner.lines())
        out[IMPORT_CONTEXT] = self.imported()
        return out


def recorder(files: set[str]) -> Recorder:
    """The fastest recorder this Python offers (``REFUTE_LINES=coverage`` to force one)."""
    if sys.version_info >= (3, 12) and os.environ.get("REFUTE_LINES") != "coverage":
        try:
            return MonitoringRecorder(files)
        except RuntimeError:
            pass
    return CoverageRecorder(files)
