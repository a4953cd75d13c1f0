"""The incremental baseline: what a test's run depended on, and whether it still holds.

A baseline run records, per test, the project lines it executed. Those lines name what the
run depended on: the functions it executed (their source text), the module-level code of
each source file it touched, and every test-side file it ran (the test file, conftest,
helpers). When none of these changed, nor the environment (Python, pytest, refute, pytest
configuration, conftest files, deselections), running the test again would execute the same
code: its stored coverage, outcome and duration are reused, and only the other tests run.
This is the model of pytest-testmon, at the granularity of functions.

The hashes leave positions out, and the stored lines are kept relative: a line inside a
function as its offset from the function's first line, a module-level line as its rank
among the file's module-level lines. An edit that makes one function longer moves every
function below it, and still reruns only the tests that executed the edited function (or
any module-level code of the file, whose text changed). A behaviour that depends on the
absolute line number itself (a test comparing a traceback's line) is not seen; pytest-testmon
makes the same trade.
"""

from __future__ import annotations

import bisect
import hashlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypedDict

from refute import build_id
from refute.dynamic.functions import FunctionSpan

# (kind, name, hash): ("function", qualname, h), ("module", rel, h), ("file", rel, h)
Dep = tuple[str, str, str]


class StableLines(TypedDict):
    """A file's executed lines, kept relative (stored as JSON in the cache)."""

    f: dict[str, list[int]]  # qualname -> offsets from its first line
    m: list[int]  # ranks among the file's module-level lines

CONFIG_FILES = ("pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini")


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    except OSError:
        return "missing"


class Fingerprints:
    """Hashes of the project as it is now, to compare stored dependencies with, and the
    translation of executed lines between absolute numbers and their stable form."""

    def __init__(self, root: Path, spans: list[FunctionSpan], source_files: list[Path],
                 test_side_files: list[Path], lines_of: Callable[[Path], list[str]]) -> None:
        self.root = root
        self.rel: dict[str, str] = {}  # absolute path -> relative to the root
        self.current: dict[tuple[str, str], str] = {}  # (kind, name) -> hash
        self.owner: dict[str, dict[int, str]] = {}  # absolute path -> line -> qualname
        self.first: dict[str, int] = {}  # qualname -> its first line now
        self.outside: dict[str, list[int]] = {}  # absolute path -> module-level lines
        by_path: dict[Path, list[FunctionSpan]] = {}
        for span in spans:
            by_path.setdefault(span.path, []).append(span)
        for path in source_files:
            rel = self.rel_of(path)
            lines = lines_of(path)
            inside: dict[int, str] = {}
            for span in by_path.get(path, ()):
                key = span.qualname
                text = lines[span.first_line - 1: span.end_line]
                self.current["function", key] = _digest(text)
                self.first[key] = span.first_line
                inside.update(dict.fromkeys(span.lines(), key))
            self.owner[str(path)] = inside
            outside = [i for i in range(1, len(lines) + 1) if i not in inside]
            self.outside[str(path)] = outside
            self.current["module", rel] = _digest(lines[i - 1] for i in outside)
        for path in test_side_files:
            self.current["file", self.rel_of(path)] = _file_digest(path)

    def rel_of(self, path: Path) -> str:
        key = str(path)
        if key not in self.rel:
            self.rel[key] = path.relative_to(self.root).as_posix() \
                if path.is_relative_to(self.root) else path.as_posix()
        return self.rel[key]

    def deps(self, source_lines: dict[str, set[int]], test_files: Iterable[str]) -> list[Dep]:
        """What a run that executed these lines and test-side files depended on."""
        out: set[Dep] = set()
        for filename, lines in source_lines.items():
            rel = self.rel_of(Path(filename))
            out.add(("module", rel, self.current.get(("module", rel), "missing")))
            owner = self.owner.get(filename, {})
            for key in {owner[line] for line in lines if line in owner}:
                out.add(("function", key, self.current["function", key]))
        for filename in test_files:
            rel = self.rel_of(Path(filename))
            out.add(("file", rel, self.current.get(("file", rel), "missing")))
        return sorted(out)

    def holds(self, deps: Iterable[list[str] | Dep]) -> bool:
        return all(self.current.get((kind, name)) == digest for kind, name, digest in deps)

    def stable(self, filename: str, lines: Iterable[int]) -> StableLines:
        """Executed lines of a source file in the form that survives shifts."""
        owner = self.owner.get(filename, {})
        outside = self.outside.get(filename, [])
        functions: dict[str, list[int]] = {}
        module: list[int] = []
        for line in sorted(lines):
            key = owner.get(line)
            if key is not None:
                functions.setdefault(key, []).append(line - self.first[key])
            else:
                rank = bisect.bisect_left(outside, line)
                if rank < len(outside) and outside[rank] == line:
                    module.append(rank)
        return {"f": functions, "m": module}

    def absolute(self, filename: str, stable: StableLines) -> set[int]:
        """The lines that a stored stable form names in the file as it is now. Only called
        for tests whose dependencies hold, so every named function and rank still exists."""
        outside = self.outside.get(filename, [])
        out = {outside[rank] for rank in stable["m"] if rank < len(outside)}
        for key, offsets in stable["f"].items():
            first = self.first.get(key)
            if first is not None:
                out.update(first + offset for offset in offsets)
        return out


def import_state(spans: list[FunctionSpan], source_files: list[Path],
                 lines_of: Callable[[Path], list[str]], imported: dict[str, set[int]]) -> str:
    """What a test may depend on without running a line of it at test time: the code run
    when the project was imported and the suite collected (module-level statements, and
    functions called then, like ``TABLE = build_table()``). A test that only reads
    ``TABLE`` records no line of ``build_table``; an edit there must still rerun it. Blank
    and comment lines outside functions do not count (adding a function changes nothing
    here)."""
    by_path: dict[Path, list[FunctionSpan]] = {}
    for span in spans:
        by_path.setdefault(span.path, []).append(span)
    parts: list[str] = []
    for path in sorted(source_files):
        lines = lines_of(path)
        ran = imported.get(str(path), set())
        inside: set[int] = set()
        for span in by_path.get(path, ()):
            inside.update(span.lines())
            if ran.intersection(range(span.node.body[0].lineno, span.end_line + 1)):
                parts += [span.qualname, *lines[span.first_line - 1: span.end_line]]
        parts.append(str(path))
        for number, line in enumerate(lines, 1):
            code = line.strip()
            if number not in inside and code and not code.startswith("#"):
                parts.append(line)
    return _digest(parts)


def environment(root: Path, conftests: list[Path], deselect: Iterable[str],
                imports: str = "") -> str:
    """What every stored test depends on: a change here reruns the whole baseline
    (``imports``: the ``import_state``)."""
    import pytest

    parts = [sys.version, pytest.__version__, build_id(), *sorted(deselect), imports]
    for name in CONFIG_FILES:
        parts += [name, _file_digest(root / name)]
    for path in sorted(conftests):
        parts += [str(path), _file_digest(path)]
    return _digest(parts)
