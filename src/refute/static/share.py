"""Tasks shared between this process and forked helpers, without threads.

``Shared`` forks helpers that start on a list of tasks at once, while this process does
other work of its own; then it takes what is left, and gathers the helpers' results, each
under its task's position. A task goes to whoever asks next (a counter in shared memory),
in the order given: largest first, so that nobody is left with a big one at the end.

``multiprocessing.Pool`` does the same with two threads in this process, which feed the
tasks and read the results; while this process parses (which holds the GIL), they ran once
every switch interval and the helpers waited for work (measured on CPython's Lib/test:
the index's phase took 0.5 s for 0.8 s of work on two cores).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from contextlib import nullcontext, suppress
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Shared(Generic[T, R]):
    """``with Shared(tasks, do, helpers) as shared: ...; results = shared.finish()``.

    ``do`` runs each task (in a helper, or here); ``finish`` returns every task's result
    in the order of ``tasks``. A helper that dies leaves its tasks to this process."""

    def __init__(self, tasks: Sequence[T], do: Callable[[T], R], helpers: int,
                 order: Sequence[int] | None = None) -> None:
        self.tasks, self.do = tasks, do
        self.order: list[int] = list(order) if order is not None else list(range(len(tasks)))
        self.results: list[tuple[bool, R | None]] = [(False, None)] * len(tasks)
        self.helpers: list[tuple[Any, Connection]] = []
        self.taken: Any = _Counter()
        if helpers <= 0:
            return
        mp = multiprocessing.get_context("fork")
        self.taken = mp.Value("i", 0)
        for _ in range(helpers):
            read, write = mp.Pipe(duplex=False)
            proc = mp.Process(target=self._helper, args=(write,), daemon=True)
            proc.start()
            write.close()
            self.helpers.append((proc, read))

    def __enter__(self) -> Shared[T, R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for proc, conn in self.helpers:
            conn.close()
            if proc.is_alive():
                proc.terminate()
            proc.join()
        self.helpers = []

    def _next(self) -> int | None:
        with self.taken.get_lock():
            turn: int = self.taken.value
            if turn >= len(self.order):
                return None
            self.taken.value = turn + 1
        return self.order[turn]

    def _helper(self, conn: Connection) -> None:
        done: list[tuple[int, R]] = []
        try:
            while (position := self._next()) is not None:
                done.append((position, self.do(self.tasks[position])))
        except BaseException:
            pass  # this process does the task again, and meets the error where it reports it
        with suppress(OSError, ValueError):  # this process is gone, or stopped listening
            conn.send(done)
            conn.close()

    def finish(self) -> list[R]:
        """Take the tasks left, then the helpers' results; every result, in task order."""
        while (position := self._next()) is not None:
            self.results[position] = (True, self.do(self.tasks[position]))
        for _, conn in self.helpers:
            try:
                for position, result in conn.recv():
                    self.results[position] = (True, result)
            except (EOFError, OSError):
                pass  # a helper that died: what it took is done again below
        out: list[R] = []
        for position, (done, result) in enumerate(self.results):
            if not done:
                result = self.do(self.tasks[position])
            out.append(result)  # type: ignore[arg-type]
        return out


class _Counter:
    """``multiprocessing.Value``'s interface, for a process without helpers."""

    def __init__(self) -> None:
        self.value = 0

    def get_lock(self) -> nullcontext[None]:
        return nullcontext()
