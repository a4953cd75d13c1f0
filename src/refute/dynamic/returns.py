"""The runtime types of values returned by the project's functions during the baseline.

On Python 3.12+ ``sys.monitoring`` reports returns of the project's code objects only (others
are disabled after their first event); before 3.12 a profile function does the same job.
"""

from __future__ import annotations

import sys
import types
from collections import defaultdict
from typing import Any

from refute.dynamic.swap import CodeKey, code_key


class ReturnTypes:
    def __init__(self, files: set[str]) -> None:
        self.files = files
        self.seen: dict[CodeKey, set[str]] = defaultdict(set)
        self._tool: int | None = None

    def _record(self, code: types.CodeType, value: object) -> None:
        kind = type(value)
        name = kind.__name__ if kind.__module__ == "builtins" else "object"
        if isinstance(value, types.GeneratorType):
            name = "generator"
        self.seen[code_key(code)].add(name)

    def start(self) -> None:
        if sys.version_info >= (3, 12):
            mon = sys.monitoring
            for tool in range(5, 0, -1):
                if mon.get_tool(tool) is None:
                    self._tool = tool
                    break
            if self._tool is not None:
                mon.use_tool_id(self._tool, "refute")
                files = self.files

                def on_return(code: types.CodeType, offset: int, value: object) -> Any:
                    if code.co_filename not in files:
                        return mon.DISABLE
                    self._record(code, value)
                    return None

                mon.register_callback(self._tool, mon.events.PY_RETURN, on_return)
                mon.set_events(self._tool, mon.events.PY_RETURN)
                return
        self._start_profile()

    def _start_profile(self) -> None:
        files = self.files

        def profile(frame: types.FrameType, event: str, arg: object) -> None:
            if event == "return" and frame.f_code.co_filename in files:
                self._record(frame.f_code, arg)

        sys.setprofile(profile)

    def stop(self) -> None:
        if self._tool is not None and sys.version_info >= (3, 12):
            mon = sys.monitoring
            mon.set_events(self._tool, 0)
            mon.register_callback(self._tool, mon.events.PY_RETURN, None)
            mon.free_tool_id(self._tool)
            self._tool = None
        else:
            sys.setprofile(None)
