"""The runtime types of values returned by the project's functions during the baseline.

On Python 3.12+ ``sys.monitoring`` reports returns of the project's code objects only (others
are disabled after their first event, and a return site after it was seen ``PER_SITE`` times);
before 3.12 a profile function does the same job, within a budget of events per test: a
profile function runs on every call of every function, and would make a test with a tight
loop a hundred times slower. Past the budget the rest of that test runs unprofiled.
"""

from __future__ import annotations

import sys
import types
from collections import defaultdict
from typing import Any

from refute.dynamic.functions import CodeKey
from refute.dynamic.lines import free_tool_id
from refute.dynamic.swap import code_key

PER_SITE = 64  # returns recorded per return site (3.12+)
EVENTS_PER_TEST = 200_000  # profile events per test (before 3.12)


class ReturnTypes:
    def __init__(self, files: set[str]) -> None:
        self.files = files
        self.seen: dict[CodeKey, set[str]] = defaultdict(set)
        self._tool: int | None = None
        self._profile: Any = None
        self._events = 0

    def _record(self, code: types.CodeType, value: object) -> None:
        kind = type(value)
        name = kind.__name__ if kind.__module__ == "builtins" else "object"
        if isinstance(value, types.GeneratorType):
            name = "generator"
        self.seen[code_key(code)].add(name)

    def start(self) -> None:
        if sys.version_info >= (3, 12):
            mon = sys.monitoring
            self._tool = free_tool_id()
            if self._tool is not None:
                mon.use_tool_id(self._tool, "refute")
                files = self.files
                counts: dict[tuple[int, int], int] = defaultdict(int)

                def on_return(code: types.CodeType, offset: int, value: object) -> Any:
                    if code.co_filename not in files:
                        return mon.DISABLE
                    self._record(code, value)
                    site = (id(code), offset)
                    counts[site] += 1
                    return mon.DISABLE if counts[site] >= PER_SITE else None

                mon.register_callback(self._tool, mon.events.PY_RETURN, on_return)
                mon.set_events(self._tool, mon.events.PY_RETURN)
                return
        self._start_profile()

    def _start_profile(self) -> None:
        files = self.files

        def profile(frame: types.FrameType, event: str, arg: object) -> None:
            self._events += 1
            if self._events > EVENTS_PER_TEST:
                sys.setprofile(None)  # this test is a tight loop: let it run unprofiled
                return
            if event == "return" and frame.f_code.co_filename in files:
                self._record(frame.f_code, arg)

        self._profile = profile
        sys.setprofile(profile)

    def next_test(self) -> None:
        """A new test starts: a fresh event budget (before 3.12)."""
        if self._profile is not None:
            self._events = 0
            sys.setprofile(self._profile)

    def stop(self) -> None:
        if self._tool is not None and sys.version_info >= (3, 12):
            mon = sys.monitoring
            mon.set_events(self._tool, 0)
            mon.register_callback(self._tool, mon.events.PY_RETURN, None)
            mon.free_tool_id(self._tool)
            self._tool = None
        else:
            sys.setprofile(None)
            self._profile = None
