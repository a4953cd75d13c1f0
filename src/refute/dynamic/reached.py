"""Whether a mutant's code ran at all while its tests ran (Python 3.12+, ``sys.monitoring``).

A child inherits everything the parent's baseline run left behind. Code that only runs the
first time something happens (an import finder, a lazy attribute that caches itself on the
module, a module imported inside a test) ran in the baseline, so the baseline calls it
covered; in the child the import is done and the attribute is cached, and the mutated code is
never called. Such a mutant survives without having been tried: counting it as a survivor
would call the function pseudo-tested for nothing. One ``PY_START`` event on the mutant's
code object tells; it is disabled at its first firing, so it costs nothing after that.
Before 3.12 nothing is known and ``Reached.known`` is False.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from refute.dynamic.lines import free_tool_id


class Reached:
    def __init__(self) -> None:
        self.hit = False
        self.tool = free_tool_id()
        if self.tool is None:
            return
        mon = sys.monitoring  # type: ignore[attr-defined]
        mon.use_tool_id(self.tool, "refute-reached")

        def on_start(code: types.CodeType, offset: int) -> Any:
            self.hit = True
            return mon.DISABLE

        mon.register_callback(self.tool, mon.events.PY_START, on_start)

    @property
    def known(self) -> bool:
        return self.tool is not None

    def watch(self, code: types.CodeType) -> None:
        """From now on, note whether ``code`` starts running."""
        self.hit = False
        if self.tool is not None:
            mon = sys.monitoring  # type: ignore[attr-defined]
            mon.set_local_events(self.tool, code, mon.events.PY_START)

    def unwatch(self, code: types.CodeType) -> None:
        if self.tool is not None:
            sys.monitoring.set_local_events(self.tool, code, 0)  # type: ignore[attr-defined]
