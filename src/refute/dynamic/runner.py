"""A pool of forked children, one per mutant, with timeouts and crash containment.

The child inherits the warm parent (imports, collected items), applies one mutant, runs the
covering tests and writes one JSON line to a pipe before ``os._exit``. Whatever the child does
(loops forever, calls ``os._exit``, segfaults, recurses, hangs in C) the parent sees a closed
pipe, an exit status or a deadline, records it, and goes on.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
    exit_status: int  # os.waitpid status
    timed_out: bool
    elapsed: float

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
    job: Job
    pid: int
    fd: int
    started: float
    buffer: bytes = b""
    step: int = -1
    step_started: float = 0.0

    def deadline(self) -> float:
        steps = self.job.steps
        if steps and 0 <= self.step < len(steps):
            return self.step_started + steps[self.step]
        return self.started + self.job.timeout

    def take_steps(self, now: float) -> None:
        """Consume ``S<i>`` progress lines; the final JSON line stays in the buffer."""
        while self.buffer.startswith(b"S") and b"\n" in self.buffer:
            line, _, self.buffer = self.buffer.partition(b"\n")
            try:
                self.step = int(line[1:])
            except ValueError:
                continue
            self.step_started = now


_STEP_FD: list[int] = []  # in a child: the pipe to the parent


def step(index: int) -> None:
    """In a child: step ``index`` (a test) starts now; its own timeout applies from here."""
    if _STEP_FD:
        os.write(_STEP_FD[0], f"S{index}\n".encode())


def _child(job: Job, fn: Callable[[Any], dict[str, Any]], fd: int) -> None:
    code = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        _STEP_FD[:] = [fd]
        data = fn(job.payload)
        os.write(fd, (json.dumps(data) + "\n").encode())
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def run_pool(jobs: Iterable[Job], fn: Callable[[Any], dict[str, Any]], workers: int,
             on_result: Callable[[JobResult], None]) -> None:
    """Run every job in a forked child, at most ``workers`` at a time.

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
    try:
        while pending or running:
            if interrupted:
                raise KeyboardInterrupt
            while pending and len(running) < workers:
                job = pending.pop()
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the child
                    os.close(read_fd)
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    _child(job, fn, write_fd)
                os.close(write_fd)
                running[read_fd] = _Running(job, pid, read_fd, time.monotonic())
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
                    run.take_steps(time.monotonic())
                    continue
                _finish(running.pop(fd), False, on_result)
            now = time.monotonic()
            for fd, run in list(running.items()):
                if now > run.deadline():
                    os.kill(run.pid, signal.SIGKILL)
                    _finish(running.pop(fd), True, on_result)
    finally:
        signal.signal(signal.SIGINT, previous)
        for run in running.values():  # Ctrl-C or an error in the parent: leave no orphans
            try:
                os.kill(run.pid, signal.SIGKILL)
                os.waitpid(run.pid, 0)
            except OSError:
                pass
            os.close(run.fd)


def _finish(run: _Running, timed_out: bool, on_result: Callable[[JobResult], None]) -> None:
    _, status = os.waitpid(run.pid, 0)
    os.close(run.fd)
    data = None
    if not timed_out and run.buffer.strip():
        try:
            data = json.loads(run.buffer.decode().splitlines()[0])
        except (ValueError, IndexError, UnicodeDecodeError):
            data = None
    on_result(JobResult(run.job.key, data, status, timed_out,
                        time.monotonic() - run.started))
