"""The incremental baseline: what a test's run depended on, and whether it still holds.

A baseline run records, per test, the project lines it executed. Those lines name what the
run depended on: the functions it executed (their source, with their position), the
module-level code of each source file it touched (with line numbers, so a shift invalidates
it), and every test-side file it ran (the test file, conftest, helpers). When none of these
changed, nor the environment (Python, pytest, refute, pytest configuration, conftest files,
deselections), running the test again would execute the same code: its stored coverage,
outcome and duration are reused, and only the other tests run. This is the model of
pytest-testmon, at the granularity of functions.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from refute import __version__
from refute.dynamic.functions import FunctionSpan

# (kind, name, hash): ("function", qualname, h), ("module", rel, h), ("file", rel, h)
Dep = tuple[str, str, str]
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
    """Hashes of the project as it is now, to compare stored dependencies with."""

    def __init__(self, root: Path, spans: list[FunctionSpan], source_files: list[Path],
                 test_side_files: list[Path], lines_of: Callable[[Path], list[str]]) -> None:
        self.root = root
        self.rel: dict[str, str] = {}  # absolute path -> relative to the root
        self.current: dict[tuple[str, str], str] = {}  # (kind, name) -> hash
        self.owner: dict[str, dict[int, str]] = {}  # absolute path -> line -> qualname
        by_path: dict[Path, list[FunctionSpan]] = {}
        for span in spans:
            by_path.setdefault(span.path, []).append(span)
        for path in source_files:
            rel = self.rel_of(path)
            lines = lines_of(path)
            inside: dict[int, str] = {}
            for span in by_path.get(path, ()):
                text = lines[span.first_line - 1: span.end_line]
                self.current["function", span.qualname] = _digest([str(span.first_line),
                                                                   *text])
                inside.update(dict.fromkeys(span.lines(), span.qualname))
            self.owner[str(path)] = inside
            outside = (f"{i}:{line}" for i, line in enumerate(lines, 1) if i not in inside)
            self.current["module", rel] = _digest(outside)
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
            for qualname in {owner[line] for line in lines if line in owner}:
                out.add(("function", qualname, self.current["function", qualname]))
        for filename in test_files:
            rel = self.rel_of(Path(filename))
            out.add(("file", rel, self.current.get(("file", rel), "missing")))
        return sorted(out)

    def holds(self, deps: Iterable[list[str] | Dep]) -> bool:
        return all(self.current.get((kind, name)) == digest for kind, name, digest in deps)


def environment(root: Path, conftests: list[Path], deselect: Iterable[str]) -> str:
    """What every stored test depends on: a change here reruns the whole baseline."""
    import pytest

    parts = [sys.version, pytest.__version__, __version__, *sorted(deselect)]
    for name in CONFIG_FILES:
        parts += [name, _file_digest(root / name)]
    for path in sorted(conftests):
        parts += [str(path), _file_digest(path)]
    return _digest(parts)
