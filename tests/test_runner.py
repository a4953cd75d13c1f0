"""The forked worker pool on its own: batches, deaths mid-batch, timeouts, starvation.

Every job below runs in a real forked child; the job functions report the child's pid so
the tests can see which jobs shared a process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from refute.dynamic.runner import END_BATCH, Job, JobResult, run_pool, step, watch_loops


def _spin() -> None:
    while True:
        pass


def _job(payload: str) -> dict[str, Any]:
    if payload == "die":
        os._exit(3)
    if payload == "spin":
        while True:
            pass
    if payload == "sleep":
        time.sleep(60)
    if payload == "loop":  # spins in the watched code
        watch_loops([_spin.__code__], [0.05])
        step(0)
        _spin()
    if payload == "loop elsewhere":  # spins, but not in the watched code
        watch_loops([_spin.__code__], [0.05])
        step(0)
        while True:
            pass
    if payload == "own handler":  # a test replaces our SIGVTALRM handler with its own
        watch_loops([_spin.__code__], [0.05])
        signal.signal(signal.SIGVTALRM, lambda signum, frame: os._exit(9))
        step(0)
        _spin()
    if payload == "crowded":  # share one CPU with the spinners of the test
        os.sched_setaffinity(0, {0})
        while True:
            pass
    return {"pid": os.getpid(), "payload": payload, END_BATCH: payload == "dirty"}


def _run(payloads: list[str], batch: int, timeout: float = 30.0,
         workers: int = 1) -> list[JobResult]:
    results: list[JobResult] = []
    jobs = [Job(f"job{i}", timeout, p) for i, p in enumerate(payloads)]
    run_pool(jobs, _job, workers, results.append, batch=batch)
    return results


def _jobs_per_child(results: list[JobResult]) -> list[list[str]]:
    by_pid: dict[int, list[str]] = {}
    for result in results:
        assert result.data is not None, result
        by_pid.setdefault(result.data["pid"], []).append(result.data["payload"])
    return sorted(by_pid.values())


def test_a_batch_shares_one_child_and_reports_in_order() -> None:
    results = _run(["a", "b", "c"], batch=3)
    assert [r.key for r in results] == ["job0", "job1", "job2"]
    assert [r.data["payload"] for r in results if r.data] == ["a", "b", "c"]
    assert len({r.data["pid"] for r in results if r.data}) == 1
    assert {r.exit_status for r in results} == {0}
    # batch=1: a child per job
    single = _run(["a", "b"], batch=1)
    assert len({r.data["pid"] for r in single if r.data}) == 2


def test_free_workers_share_the_queue_evenly() -> None:
    # ten jobs on two free workers: two children of five, not 5 + 3 and then two more
    # children for the last two jobs
    results = _run([f"p{i}" for i in range(10)], batch=32, workers=2)
    assert _jobs_per_child(results) == [["p0", "p1", "p2", "p3", "p4"],
                                        ["p5", "p6", "p7", "p8", "p9"]]
    # an odd count: the first child takes the larger share
    odd = _run([f"p{i}" for i in range(5)], batch=32, workers=2)
    assert _jobs_per_child(odd) == [["p0", "p1", "p2"], ["p3", "p4"]]
    # the batch size still caps a share: 5 jobs, batch 2, 2 workers
    capped = _run([f"p{i}" for i in range(5)], batch=2, workers=2)
    assert _jobs_per_child(capped) == [["p0", "p1"], ["p2", "p3"], ["p4"]]


def test_a_death_mid_batch_is_recorded_and_the_rest_run_in_a_fresh_child() -> None:
    results = _run(["a", "die", "c", "d"], batch=4)
    assert [r.key for r in results] == ["job0", "job1", "job2", "job3"]
    dead = results[1]
    assert dead.data is None
    assert not dead.timed_out
    assert dead.describe_death() == "exited with status 3 before reporting"
    first, third, fourth = (r.data for r in (results[0], results[2], results[3]))
    assert first
    assert third
    assert fourth
    assert third["pid"] == fourth["pid"] != first["pid"]


def test_a_job_that_asks_for_it_ends_the_batch() -> None:
    results = _run(["a", "dirty", "c"], batch=3)
    pids = [r.data["pid"] for r in results if r.data]
    assert len(pids) == 3
    assert pids[0] == pids[1] != pids[2]
    assert END_BATCH not in (results[1].data or {})


def test_timeouts_tell_a_busy_child_from_a_starved_one() -> None:
    spin, after = _run(["spin", "after"], batch=2, timeout=0.6)
    assert spin.timed_out
    assert not spin.starved
    assert spin.describe_death() == f"timeout after {spin.elapsed:.1f}s"
    assert 0.6 <= spin.elapsed < 5
    assert after.data
    assert after.data["payload"] == "after"
    # a child that sleeps (or waits for a lock nobody releases) is idle by its own doing:
    # a second try with twice the time would end the same way
    (sleep,) = _run(["sleep"], batch=1, timeout=0.6)
    assert (sleep.timed_out, sleep.starved, sleep.data) == (True, False, None)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity (Linux)")
def test_a_child_kept_off_the_cpu_by_other_processes_is_starved() -> None:
    spinner = "import os\nos.sched_setaffinity(0, {0})\nwhile True:\n    pass\n"
    crowd = [subprocess.Popen([sys.executable, "-c", spinner]) for _ in range(3)]
    try:
        time.sleep(0.3)  # the spinners are running
        (crowded,) = _run(["crowded"], batch=1, timeout=0.6)
    finally:
        for proc in crowd:
            proc.kill()
            proc.wait()
    assert (crowded.timed_out, crowded.starved, crowded.data) == (True, True, None)


def test_a_child_spinning_in_the_watched_code_ends_at_its_cpu_budget() -> None:
    (loop,) = _run(["loop"], batch=1, timeout=3.0)
    assert (loop.timed_out, loop.starved, loop.data) == (True, False, None)
    assert loop.elapsed < 1.0  # 0.05 s of CPU, not the 3 s deadline
    # spinning anywhere else waits for the ordinary deadline
    (elsewhere,) = _run(["loop elsewhere"], batch=1, timeout=1.5)
    assert (elsewhere.timed_out, elsewhere.starved, elsewhere.data) == (True, False, None)
    assert elsewhere.elapsed >= 1.5


def test_a_test_with_its_own_sigvtalrm_handler_gets_no_timer_of_ours() -> None:
    (own,) = _run(["own handler"], batch=1, timeout=1.5)
    # our timer would have run the test's handler (exit status 9) long before the deadline
    assert (own.timed_out, own.starved, own.data) == (True, False, None)
    assert own.elapsed >= 1.5
