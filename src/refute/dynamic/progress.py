"""The rich progress bar of ``refute verify`` (on stderr, only on a terminal)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[[int, int, int, int], None]


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Update | None]:
    if not enabled:
        yield None
        return
    # imported here: a run without a terminal (CI, --format json) does not pay for rich
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(TextColumn("mutants"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("killed {task.fields[killed]} survived {task.fields[survived]}"),
                        TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = progress.add_task("mutants", total=None, killed=0, survived=0)

    def update(done: int, total: int, killed: int, survived: int) -> None:
        progress.update(task, completed=done, total=total, killed=killed, survived=survived)

    with progress:
        yield update
