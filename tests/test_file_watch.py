"""The watcher's look at the files (``refute verify --watch``), on real files in a temp dir.

The sleeps between looks are where the test edits: each ``sleep`` call is one step of an
editor, so what ``FileWatch.wait`` sees is decided by the test, not by timing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from refute.dynamic.watch import (
    POLL_MAX,
    POLL_MIN,
    SETTLE,
    STALE,
    FileWatch,
    poll_interval,
    run_round,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="--watch is for fork platforms")


def edits(*steps: Callable[[], None]) -> tuple[Callable[[float], None], list[float]]:
    """A ``sleep`` that runs one step per call (nothing once they are done) and records the
    intervals it was asked to wait."""
    asked: list[float] = []
    todo = list(steps)

    def sleep(seconds: float) -> None:
        asked.append(seconds)
        if todo:
            todo.pop(0)()

    return sleep, asked


def project(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "pkg").mkdir()
    source = tmp_path / "pkg" / "ops.py"
    source.write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    test = tmp_path / "test_ops.py"
    test.write_text("from pkg.ops import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
                    encoding="utf-8")
    return source, test


def test_an_edit_is_reported_once_the_file_is_still(tmp_path: Path) -> None:
    source, test = project(tmp_path)
    watch = FileWatch([source, test], tmp_path)
    sleep, asked = edits(
        lambda: None,  # a look that finds nothing
        lambda: source.write_text("def add(a, b):\n", encoding="utf-8"),  # first write
        lambda: source.write_text("def add(a, b):\n    return b + a\n", encoding="utf-8"),
    )
    assert watch.settle(sleep) == [source]
    # look, look (changed), settle (changed again), settle (still): four sleeps
    assert len(asked) == 4
    assert asked[0] == POLL_MAX  # the first interval, before any look was timed
    assert POLL_MIN <= asked[1] <= POLL_MAX
    assert asked[2:] == [SETTLE, SETTLE]
    assert source.read_text(encoding="utf-8") == "def add(a, b):\n    return b + a\n"


def test_a_round_starts_at_the_first_step_of_a_save_and_learns_of_the_next(
        tmp_path: Path) -> None:
    source, test = project(tmp_path)
    watch = FileWatch([source, test], tmp_path)
    sleep, asked = edits(
        lambda: source.write_text("def add(a, b):\n", encoding="utf-8"),  # first write
        lambda: source.write_text("def add(a, b):\n    return b + a\n", encoding="utf-8"),
        lambda: None,
    )
    assert watch.wait(sleep) == [source]  # no settling: the round starts now
    assert asked == [POLL_MAX]
    assert watch.still(sleep) is False  # the second write came while the round ran
    assert watch.wait(sleep) == [source]  # at once, without another look
    assert watch.still(sleep) is True
    assert asked == [POLL_MAX, SETTLE, SETTLE]


def test_files_that_stay_as_they_were_are_still(tmp_path: Path) -> None:
    source, test = project(tmp_path)
    watch = FileWatch([source, test], tmp_path)
    sleep, asked = edits()
    assert watch.still(sleep) is True
    assert asked == [SETTLE]


@pytest.mark.parametrize(("answer", "code"), [(True, 0), (False, STALE), (None, 0)])
def test_a_round_reports_only_once_the_watcher_found_the_files_still(
        tmp_path: Path, answer: bool | None, code: int) -> None:
    out = tmp_path / "answer"

    def body(settled: Callable[[], bool]) -> int:
        out.write_text(f"{settled()} {settled()}", encoding="utf-8")  # asked twice, told once
        return 0

    still = None if answer is None else (lambda: answer)
    assert run_round(body, still) == code
    told = "True" if answer is None else str(answer)
    assert out.read_text(encoding="utf-8") == f"{told} {told}"


def test_a_file_added_beside_the_watched_ones_changes_their_directory(tmp_path: Path) -> None:
    source, test = project(tmp_path)
    watch = FileWatch([source, test], tmp_path)
    sleep, _ = edits(lambda: (tmp_path / "pkg" / "extra.py").write_text("X = 1\n",
                                                                       encoding="utf-8"))
    assert watch.wait(sleep) == [tmp_path / "pkg"]


def test_a_deleted_file_and_a_new_config_file_are_changes(tmp_path: Path) -> None:
    source, test = project(tmp_path)
    watch = FileWatch([source, test], tmp_path)

    def both() -> None:
        test.unlink()
        (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")

    sleep, _ = edits(both)
    assert watch.wait(sleep) == [tmp_path / "pytest.ini", test, tmp_path]


@pytest.mark.parametrize(("look", "interval"), [
    (0.0, POLL_MIN),  # a small project: every 10 ms
    (0.0001, POLL_MIN),
    (0.001, 0.02),  # 20 times the look
    (0.0025, POLL_MAX),
    (0.5, POLL_MAX),  # a huge tree: still every 50 ms, as before the interval adapted
])
def test_the_poll_interval_keeps_a_look_at_5_percent_of_the_time(look: float,
                                                                  interval: float) -> None:
    assert poll_interval(look) == pytest.approx(interval)
