"""A process forked before the baseline runs, kept to run mutants again from that state.

Mutants run in children forked after the baseline, so they inherit what the baseline left
behind: modules the tests imported, values cached on first use, import hooks that have done
their work. Code that only runs the first time is then never run by a mutant's tests, and
its mutants survive untried. A function all of whose mutants survived is a verdict that fails
the build, so those survivors are run once more, in children of this process: it has
imported and collected the suite but run no test.

Right after the fork the zygote prepares (``prepare``: what finding the live functions costs
is paid while the parent runs the baseline, not when the survivors are known); then it waits
on a pipe; ``run`` sends it jobs (pickled) and waits for their results, which it writes to a
temporary file and exits. It runs in its own process group, so that a
Ctrl-C in the terminal does not reach it and ``close`` can end it with every child it has.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
from collections.abc import Callable
from typing import Any

from refute.dynamic.runner import Job, JobResult

Serve = Callable[[list[Job]], list[JobResult]]


class Zygote:
    def __init__(self, prepare: Callable[[], Serve]) -> None:
        self.pid = 0
        self._jobs_fd = -1
        self._results: Any = None
        if not hasattr(os, "fork"):
            return
        self._results = tempfile.TemporaryFile()  # noqa: SIM115 - read back in run()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the zygote
            os.close(write_fd)
            _zygote(read_fd, self._results, prepare)
        os.close(read_fd)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # the zygote does it too: whichever comes first
        self.pid, self._jobs_fd = pid, write_fd

    def run(self, jobs: list[Job]) -> list[JobResult] | None:
        """Run ``jobs`` in the zygote's children; None when there is no zygote or it died."""
        if not self.pid:
            return None
        data = pickle.dumps(jobs)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._jobs_fd, view):]
        except OSError:  # it died before reading
            self.close()
            return None
        os.close(self._jobs_fd)
        self._jobs_fd = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0:
            return None
        self._results.seek(0)
        try:
            results: list[JobResult] = pickle.load(self._results)
        except (EOFError, pickle.UnpicklingError):
            return None
        return results

    def close(self) -> None:
        """End the zygote (and any child of it) if it is still there."""
        if self._jobs_fd >= 0:
            os.close(self._jobs_fd)
            self._jobs_fd = -1
        if self.pid:
            for kill in (os.killpg, os.kill):
                with contextlib.suppress(OSError):
                    kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self._results is not None:
            self._results.close()
            self._results = None


def _zygote(read_fd: int, results: Any,
            prepare: Callable[[], Serve]) -> None:  # pragma: no cover
    code = 0
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        serve = prepare()
        chunks = []
        while chunk := os.read(read_fd, 1 << 16):
            chunks.append(chunk)
        if chunks:  # nothing sent: the run needed no second look
            done = serve(pickle.loads(b"".join(chunks)))
            pickle.dump(done, results)
            results.flush()
    except BaseException:
        code = 70
    finally:
        os._exit(code)
