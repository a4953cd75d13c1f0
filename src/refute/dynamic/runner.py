"""A pool of forked children that run jobs (mutants) with timeouts and crash containment.

A child inherits the warm parent (imports, collected items) and runs a batch of jobs one
after another: for each it writes ``M<i>`` when job ``i`` starts, ``S<j>`` when its step
(covering test) ``j`` starts, and ``R<json>`` with the job's result. Whatever the child does
(loops forever, calls ``os._exit``, segfaults, recurses, hangs in C) the parent sees a closed
pipe, an exit status or a deadline, records it for the job that was running, puts the rest of
the batch back in the queue for a fresh child, and goes on.

Batches exist because a fork and a process exit cost more than a unit test: on suites of
millisecond tests one child per mutant spends most of its life being born and dying. The
job function must leave the process as it found it (``verify`` swaps code back).
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    key: str
    timeout: float  # for the whole job, or for what comes before the first step
    payload: Any  # what the child function needs
    steps: list[float] | None = None  # a timeout per step (per test), reset by ``step``


@dataclass
class JobResult:
    key: str
    data: dict[str, Any] | None  # what the child wrote; None when it died before writing
    exit_status: int  # os.waitpid status (0 when the child reported and went on)
    timed_out: bool
    elapsed: float
    starved: bool = False  # timed out while the child got little CPU (a loaded machine)

    def describe_death(self) -> str:
        if self.timed_out:
            return f"timeout after {self.elapsed:.1f}s"
        if os.WIFSIGNALED(self.exit_status):
            sig = os.WTERMSIG(self.exit_status)
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = str(sig)
            return f"crashed with signal {name}"
        return f"exited with status {os.waitstatus_to_exitcode(self.exit_status)} " \
               "before reporting"


@dataclass
class _Running:
    """A child and the batch it works through; ``current`` is the job it is running."""

    batch: list[Job]
    pid: int
    fd: int
    started: float
    buffer: bytes = b""
    current: int = 0
    in_job: bool = True  # the current job has started and not reported
    job_started: float = 0.0
    step: int = -1
    step_started: float = 0.0
    starved: bool = False
    looping: bool = False  # the child reported the current step spinning in the mutant
    results: list[JobResult] = field(default_factory=list)

    def job(self) -> Job:
        return self.batch[self.current]

    def deadline(self) -> float:
        if self.current >= len(self.batch):  # every job reported: the child is exiting
            return self.job_started + EXIT_GRACE
        steps = self.job().steps
        if steps and 0 <= self.step < len(steps):
            return self.step_started + steps[self.step]
        return self.job_started + self.job().timeout

    def take_lines(self, now: float) -> None:
        """Consume complete protocol lines from the buffer."""
        while b"\n" in self.buffer:
            line, _, self.buffer = self.buffer.partition(b"\n")
            kind, body = line[:1], line[1:]
            if kind == b"M":
                self.current, self.step, self.job_started = int(body), -1, now
                self.in_job, self.looping = True, False
            elif kind == b"S":
                self.step, self.step_started = int(body), now
            elif kind == b"L":  # spinning in the mutated code: out of time now
                self.looping = True
            elif kind == b"R" and self.current < len(self.batch):
                try:
                    data = json.loads(body.decode())
                except (ValueError, UnicodeDecodeError):
                    data = None
                self.results.append(JobResult(self.job().key, data, 0, False,
                                              now - self.job_started))
                self.current += 1
                self.looping = False  # the step it reported on finished after all
                self.step, self.job_started, self.in_job = -1, now, False


END_BATCH = "end_batch"  # a job function returns this key set to end its child's batch
EXIT_GRACE = 10.0  # seconds a child that has reported everything gets to exit
_STEP_FD: list[int] = []  # in a child: the pipe to the parent


def step(index: int) -> None:
    """In a child: step ``index`` (a test) starts now; its own timeout applies from here."""
    if _STEP_FD:
        os.write(_STEP_FD[0], f"S{index}\n".encode())
    _LOOPS.arm(index)


class _LoopWatch:
    """In a child: end a step early when it spins in the mutated code.

    A mutant that loops forever would otherwise cost its whole timeout (3 x the test's
    baseline time + 0.5 s of wall time). A CPU-time timer (``ITIMER_VIRTUAL``, so a child
    the machine starves does not trip it) fires after the step has used its budget (3 x its
    baseline + 0.1 s) of CPU; if the mutated code is then on the stack the child tells the
    parent, which ends it as a timeout at once. Anything else (a slow test outside the
    mutated code, a loop in C, a test that installed its own ``SIGVTALRM`` handler) waits for
    the ordinary deadline."""

    def __init__(self) -> None:
        self.codes: frozenset[Any] = frozenset()
        self.budgets: list[float] = []
        self.installed = False
        self.handler = self._on_timer  # one bound method, to recognise it later

    def watch(self, codes: Iterable[Any], budgets: list[float]) -> None:
        self.codes, self.budgets = frozenset(codes), budgets
        if not self.installed and _STEP_FD and hasattr(signal, "setitimer") and \
                signal.getsignal(signal.SIGVTALRM) in (signal.SIG_DFL, None):
            signal.signal(signal.SIGVTALRM, self.handler)
            self.installed = True

    def arm(self, index: int) -> None:
        # a test that installed its own SIGVTALRM handler keeps it, and gets no timer of ours
        if self.installed and self.codes and 0 <= index < len(self.budgets) and \
                signal.getsignal(signal.SIGVTALRM) is self.handler:
            signal.setitimer(signal.ITIMER_VIRTUAL, max(self.budgets[index], 0.01))

    def stop(self) -> None:
        if self.installed:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        self.codes, self.budgets = frozenset(), []

    def _on_timer(self, signum: int, frame: Any) -> None:
        while frame is not None:
            if frame.f_code in self.codes:
                os.write(_STEP_FD[0], b"L\n")
                return
            frame = frame.f_back


_LOOPS = _LoopWatch()


def watch_loops(codes: Iterable[Any], budgets: list[float]) -> None:
    """In a child: the code objects of the mutant now installed, and each step's CPU budget
    before spinning in them counts as looping (see ``_LoopWatch``)."""
    _LOOPS.watch(codes, budgets)


def stop_watching_loops() -> None:
    _LOOPS.stop()


def _child(batch: list[Job], fn: Callable[[Any], dict[str, Any]], fd: int) -> None:
    code = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        _STEP_FD[:] = [fd]
        for i, job in enumerate(batch):
            os.write(fd, f"M{i}\n".encode())
            data = fn(job.payload)
            end = data.pop(END_BATCH, False)
            os.write(fd, ("R" + json.dumps(data) + "\n").encode())
            if end:  # the job left state behind: the rest of the batch needs a fresh child
                break
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _stat(pid: int) -> tuple[str, int, float] | None:
    """A process's state letter, parent pid and CPU seconds (Linux ``/proc``)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return fields[0].decode(), int(fields[1]), cpu
    except (OSError, ValueError, IndexError):
        return None


def _starved(pid: int, wall: float) -> bool:
    """Whether a child that ran out of time was kept from running by a loaded machine.

    It is when it, with the processes it started, got less than half of ``wall`` as CPU
    while one of them was ready to run. A child spinning in a loop used the CPU; one that
    waits for itself (a deadlocked lock, a condition nobody signals) sleeps: either way the
    timeout is the mutant's doing, and trying again with twice the time only costs time. A
    test waiting for a subprocess that a busy machine slows down is starved: the subprocess
    is ready to run."""
    own = _stat(pid)
    if own is None:
        return False
    family = {pid: own}
    try:
        entries = [int(e) for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        entries = []
    processes = {}
    for entry in entries:
        found = _stat(entry)
        if found is not None:
            processes[entry] = found
    grew = True
    while grew:  # descendants: processes whose parent is in the family
        grew = False
        for other, found in processes.items():
            if other not in family and found[1] in family:
                family[other] = found
                grew = True
    cpu = sum(found[2] for found in family.values())
    return cpu < 0.5 * wall and any(found[0] == "R" for found in family.values())


def run_pool(jobs: Iterable[Job], fn: Callable[[Any], dict[str, Any]], workers: int,
             on_result: Callable[[JobResult], None], batch: int = 1,
             meanwhile: Callable[[], object] | None = None) -> None:
    """Run every job in forked children, at most ``workers`` children at a time, each taking
    up to ``batch`` jobs (fewer near the end of the queue, so that the workers finish
    together). ``meanwhile`` is work of the parent's own, done once the first children are
    forked, while they run.

    Ctrl-C only sets a flag here: a KeyboardInterrupt raised at a random point could land in
    an at-fork callback, where Python ignores it. The loop checks the flag, kills every child
    and raises KeyboardInterrupt itself, before any further result is recorded. Children
    ignore SIGINT, so a terminal's Ctrl-C (sent to the whole process group) cannot be mistaken
    for a mutant crashing.
    """
    pending = list(jobs)
    pending.reverse()
    running: dict[int, _Running] = {}
    interrupted: list[bool] = []

    def on_sigint(signum: int, frame: object) -> None:
        interrupted.append(True)

    previous = signal.signal(signal.SIGINT, on_sigint)
    # the parent's objects move out of the collector's reach while children are forked: a
    # child's collections then leave them alone instead of touching, and so copying, every
    # page of memory the child shares with the parent
    gc.freeze()
    try:
        while pending or running:
            if interrupted:
                raise KeyboardInterrupt
            forked = 0
            while pending and len(running) < workers:
                # the queue split over the workers not yet given a batch in this pass: with
                # every worker free, even shares (10 jobs on 2 workers: 5 and 5, not 5, 3,
                # then 1 and 1 in two more children); a worker freed alone takes its share
                # and leaves the rest to the others
                size = max(1, min(batch, -(-len(pending) // (workers - forked))))
                forked += 1
                taken = [pending.pop() for _ in range(min(size, len(pending)))]
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the child
                    os.close(read_fd)
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    _child(taken, fn, write_fd)
                os.close(write_fd)
                now = time.monotonic()
                running[read_fd] = _Running(taken, pid, read_fd, now, job_started=now)
            if meanwhile is not None:
                work, meanwhile = meanwhile, None
                gc.unfreeze()  # the parent's own work may look for any object (gc.get_objects)
                try:
                    work()
                finally:
                    gc.freeze()
            now = time.monotonic()
            wait = min((r.deadline() - now for r in running.values()), default=0.1)
            ready, _, _ = select.select(list(running), [], [], max(0.0, min(wait, 0.2)))
            if interrupted:
                raise KeyboardInterrupt
            for fd in ready:
                run = running[fd]
                chunk = os.read(fd, 65536)
                if chunk:
                    run.buffer += chunk
                    run.take_lines(time.monotonic())
                    _report(run, on_result)
                    continue
                _finish(running.pop(fd), False, pending, on_result)
            now = time.monotonic()
            for fd, run in list(running.items()):
                if run.looping or now > run.deadline():
                    run.starved = not run.looping and _starved(run.pid, now - run.started)
                    os.kill(run.pid, signal.SIGKILL)
                    _finish(running.pop(fd), True, pending, on_result)
    finally:
        gc.unfreeze()
        signal.signal(signal.SIGINT, previous)
        for run in running.values():  # Ctrl-C or an error in the parent: leave no orphans
            try:
                os.kill(run.pid, signal.SIGKILL)
                os.waitpid(run.pid, 0)
            except OSError:
                pass
            os.close(run.fd)


def _report(run: _Running, on_result: Callable[[JobResult], None]) -> None:
    for result in run.results:
        on_result(result)
    run.results.clear()


def _finish(run: _Running, timed_out: bool, pending: list[Job],
            on_result: Callable[[JobResult], None]) -> None:
    """The child is gone: the job it was running died with it; the rest go back in line."""
    _, status = os.waitpid(run.pid, 0)
    os.close(run.fd)
    run.take_lines(time.monotonic())
    _report(run, on_result)
    rest = run.current
    if rest < len(run.batch) and (run.in_job or timed_out):
        job = run.job()
        on_result(JobResult(job.key, None, status, timed_out,
                            time.monotonic() - run.job_started,
                            starved=timed_out and run.starved))
        rest += 1
    pending.extend(reversed(run.batch[rest:]))
