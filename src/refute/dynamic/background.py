"""Run a function in a forked child while the parent goes on; collect its result later.

``refute verify`` needs the static audit of the suite only when it assembles verdicts at the
end, and the parent spends its first seconds in pytest's start-up, collection and the
baseline, on one core. Auditing in a child uses the other core meanwhile. Without ``fork``
(or when forking fails) the function simply runs inline.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._pid = 0
        self._file: Any = None
        self._inline: tuple[bool, Any] | None = None
        if not hasattr(os, "fork"):
            self._inline = self._call()
            return
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - read back in result()
        try:
            pid = os.fork()
        except OSError:
            self._inline = self._call()
            return
        if pid == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                pickle.dump(self._call(), self._file)
                self._file.flush()
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        self._pid = pid

    def _call(self) -> tuple[bool, Any]:
        try:
            return True, self._fn()
        except Exception as exc:  # re-raised in the parent by result()
            return False, exc

    def result(self) -> T:
        """Wait for the child; return what the function returned or raise what it raised."""
        outcome = self._inline
        if outcome is None:
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            self._file.seek(0)
            try:
                outcome = pickle.load(self._file)
            except (EOFError, pickle.UnpicklingError):
                outcome = None
            finally:
                self._file.close()
            if outcome is None or os.waitstatus_to_exitcode(status) != 0:
                outcome = self._call()  # the child died: do the work here instead
        ok, value = outcome
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child (the run ended early); safe to call after ``result``."""
        if self._pid:
            try:
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            self._pid = 0
