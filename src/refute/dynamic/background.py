"""Run a function in a forked child while the parent goes on; collect its result later.

``refute verify`` needs the static audit of the suite only when it assembles verdicts at the
end, and the parent spends its first seconds in pytest's start-up, collection and the
baseline, on one core. Auditing in a child uses the other core meanwhile. Without ``fork``
(or when forking fails) the function simply runs inline.
"""

from __future__ import annotations

import functools
import os
import pickle
import select
import shutil
import signal
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from refute.model import Audit

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
        """Wait for the child; return what the function returned or raise what it raised
        (again, on every later call)."""
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
            self._inline = outcome
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


class Server(Generic[T]):
    """A process forked once, that has done ``warm`` (imports) and computes ``fn`` in a
    fresh fork of itself for each ``request``: what a ``--watch`` round would otherwise pay
    for on every round (the static analysis' imports) is paid once, outside the process
    that runs the tests. Requests come from any process forked after the server (over a
    Unix socket); the server ends when its creator and every fork of it are gone."""

    def __init__(self, warm: Callable[[], object], fn: Callable[[], T]) -> None:
        self.fn = fn
        self.address = ""
        if not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
            return
        self._dir = tempfile.mkdtemp(prefix="refute-")
        address = os.path.join(self._dir, "audit")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(address)
        listener.listen(8)
        lifeline, keep = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the server
            os.close(keep)
            _serve(listener, lifeline, warm, fn, self._dir)
        os.close(lifeline)
        listener.close()
        self._keep = keep  # held by the creator and its forks: EOF when all are gone
        self.address = address

    def request(self) -> Callable[[], T]:
        """Start a computation now; the returned function waits for its result. Without a
        server (or when it failed) the computation runs in a ``Background`` child."""
        conn = None
        if self.address:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(self.address)
            except OSError:
                conn.close()
                conn = None
        if conn is None:
            return Background(self.fn).result
        sock = conn

        def result() -> T:
            chunks = []
            with sock:
                while chunk := sock.recv(1 << 16):
                    chunks.append(chunk)
            try:
                ok, value = pickle.loads(b"".join(chunks))
            except (EOFError, pickle.UnpicklingError):
                return Background(self.fn).result()  # the worker died: once more here
            if not ok:
                raise value
            return value  # type: ignore[no-any-return]

        return result


def _serve(listener: socket.socket, lifeline: int, warm: Callable[[], object],
           fn: Callable[[], Any], directory: str) -> None:  # pragma: no cover - the server
    code = 0
    try:
        os.setpgid(0, 0)  # a Ctrl-C in the terminal is for the watcher, which ends us
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
        warm()
        while True:
            ready, _, _ = select.select([listener.fileno(), lifeline], [], [])
            if lifeline in ready:
                break
            conn, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # its own children are waited
                try:
                    data = pickle.dumps(_outcome(fn))
                except Exception as exc:  # unpicklable result: say so
                    data = pickle.dumps((False, RuntimeError(f"cannot send result: {exc}")))
                conn.sendall(data)
                conn.close()
                os._exit(0)
            conn.close()
    except BaseException:
        code = 70
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        os._exit(code)


def _outcome(fn: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, fn()
    except Exception as exc:
        return False, exc


def static_audit(paths: list[str], use_cache: bool) -> Audit:
    from refute.static.context import CheckOptions
    from refute.static.engine import audit

    return audit(paths, CheckOptions(use_cache=use_cache))


@dataclass(frozen=True)
class StaticSide:
    """What ``refute verify``'s child hands back: the static audit, and the executable lines
    of the source files (coverage.py's parser, slow to import and to run) by path, each with
    the digest of the text it was parsed from (``functions.text_digest``)."""

    audit: Audit
    executable: dict[str, tuple[str, frozenset[int]]]


def static_side(paths: list[str], use_cache: bool) -> StaticSide:
    from refute.dynamic.functions import executable_in, text_digest
    from refute.static.context import CheckOptions, prepare

    audit = static_audit(paths, use_cache)
    executable: dict[str, tuple[str, frozenset[int]]] = {}
    for path in prepare(paths, CheckOptions(use_cache=False)).files.source:
        try:
            text = path.read_text(encoding="utf-8")
            executable[str(path)] = (text_digest(text), executable_in(text, str(path)))
        except Exception:  # the run parses it again, and says what is wrong
            continue
    return StaticSide(audit, executable)


def audit_in_background(project: str | None, use_cache: bool) -> Background[StaticSide]:
    """The static side of ``refute verify``'s paths, in a child. It is needed only at the
    end; the child imports the analysis and coverage.py's parser (this process never needs
    either) and works on the other core while this one imports pytest and starts the
    session."""
    paths = [project] if project else []
    return Background(functools.partial(static_side, paths, use_cache))
