"""Tasks shared with forked helpers (``refute.static.share``): every task's result comes
back once, in the order of the tasks, whoever ran it; a helper that fails or dies leaves
its tasks to the process that forked it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from refute.static.share import Shared

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="helpers are forked")


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline, "no helper started a task"
        time.sleep(0.001)


def test_results_come_back_in_task_order_from_the_helpers_and_this_process(
        tmp_path: Path) -> None:
    parent = os.getpid()
    started = tmp_path / "started"

    def square(n: int) -> tuple[int, int]:
        if os.getpid() != parent:
            started.touch()
        return n * n, os.getpid()

    tasks = list(range(40))
    with Shared(tasks, square, helpers=1, order=list(reversed(range(40)))) as shared:
        _wait_for(started)  # this process's own work, while the helper has begun
        results = shared.finish()
    assert [value for value, _ in results] == [n * n for n in tasks]
    pids = {pid for _, pid in results}
    assert len(pids - {parent}) == 1  # one helper did part of them


def test_without_helpers_this_process_runs_every_task(tmp_path: Path) -> None:
    with Shared(["a", "bb", "ccc"], lambda s: (len(s), os.getpid()), helpers=0) as shared:
        assert shared.finish() == [(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]


def test_a_task_that_fails_in_a_helper_is_done_again_here(tmp_path: Path) -> None:
    parent = os.getpid()
    started = tmp_path / "started"

    def fragile(n: int) -> int:
        if os.getpid() != parent:
            started.touch()
            raise RuntimeError("helper only")
        return -n

    with Shared([1, 2, 3], fragile, helpers=1) as shared:
        _wait_for(started)
        assert shared.finish() == [-1, -2, -3]


def test_a_helper_that_dies_leaves_its_tasks_here(tmp_path: Path,
                                                   capfd: pytest.CaptureFixture[str]) -> None:
    parent = os.getpid()
    started = tmp_path / "started"

    def mortal(n: int) -> int:
        if os.getpid() != parent:
            started.touch()
            os._exit(3)  # as a crash or a kill would
        return n + 100

    with Shared([1, 2, 3, 4], mortal, helpers=2) as shared:
        _wait_for(started)
        assert shared.finish() == [101, 102, 103, 104]
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_an_error_in_this_process_is_raised_here() -> None:
    def broken(n: int) -> int:
        raise ValueError(f"bad task {n}")

    with Shared([7], broken, helpers=0) as shared, \
            pytest.raises(ValueError, match=r"^bad task 7$"):
        shared.finish()
