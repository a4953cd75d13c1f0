"""Which files are tests, conftests, test-support modules and project source.

Follows pytest's collection settings (``python_files``, ``testpaths``, ``norecursedirs``) so that
refute audits what pytest would run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from refute.config import PytestConfig, RefuteConfig

SOURCE_SKIP_DIRS = {"tests", "test", "testing", "docs", "examples", "benchmarks", "build", "dist"}


@dataclass
class FileSet:
    """Files found under the audited paths, all absolute."""

    tests: list[Path] = field(default_factory=list)
    conftests: list[Path] = field(default_factory=list)
    support: list[Path] = field(default_factory=list)
    source: list[Path] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)
    #: test files of the suite outside the audited paths: not audited, but their helpers
    #: count when an audited test module imports from them
    other_tests: list[Path] = field(default_factory=list)


def is_test_file(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch(name, p) for p in patterns)


def _skip_dir(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch(name, p) for p in patterns)


def walk_python(
    root: Path, norecurse: Sequence[str], exclude: Sequence[str], base: Path
) -> Iterable[tuple[Path, str | None]]:
    """Yield python files below ``root`` (no symlink loops); (path, error-or-None)."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            st = directory.stat()
        except OSError as exc:
            yield directory, f"cannot read directory: {exc.strerror or exc}"
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield directory, "symlink loop: directory already visited"
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield directory, f"cannot list directory: {exc.strerror or exc}"
            continue
        subdirs = []
        for entry in entries:
            if not entry.name.endswith(".py"):
                # most of a test tree's entries are data files: no path is made for them
                try:
                    if not entry.is_dir():
                        continue
                except OSError:
                    pass  # reported below, unless the entry is excluded
            path = Path(entry.path)
            if _excluded(path, exclude, base):
                continue
            try:
                if entry.is_dir():
                    if _skip_dir(entry.name, norecurse) or (path / "pyvenv.cfg").exists():
                        continue
                    subdirs.append(path)
                elif entry.name.endswith(".py") and entry.is_file():
                    yield path, None
                elif entry.name.endswith(".py") and entry.is_symlink():
                    yield path, "broken symlink"
            except OSError as exc:
                yield path, f"cannot stat: {exc.strerror or exc}"
        stack.extend(reversed(subdirs))


def _excluded(path: Path, exclude: Sequence[str], base: Path) -> bool:
    if not exclude:
        return False
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(fnmatch(rel, pat) or fnmatch(path.name, pat) for pat in exclude)


def discover(
    paths: Sequence[Path], pytest_cfg: PytestConfig, cfg: RefuteConfig
) -> FileSet:
    """Classify every python file under ``paths``; also locate the project's source."""
    found = FileSet()
    root = pytest_cfg.rootdir
    seen: set[Path] = set()
    test_dirs: set[Path] = set()
    source = find_source(root, cfg, pytest_cfg)
    source_set = set(source)
    for start in paths:
        if start.is_file():
            resolved = start.resolve()
            if resolved not in seen:
                seen.add(resolved)
                if start.name == "conftest.py":
                    found.conftests.append(resolved)
                else:
                    found.tests.append(resolved)
            test_dirs.add(resolved.parent)
            continue
        test_dirs.add(start.resolve())
        for path, error in walk_python(start.resolve(), pytest_cfg.norecursedirs,
                                       cfg.exclude, root):
            if error is not None:
                found.errors.append((path, error))
                continue
            if path in seen:
                continue
            seen.add(path)
            if path.name == "conftest.py":
                found.conftests.append(path)
            elif is_test_file(path.name, pytest_cfg.python_files):
                found.tests.append(path)
            elif path not in source_set:
                found.support.append(path)
    found.conftests.extend(_parent_conftests(test_dirs, root, seen))
    audited = {*found.tests, *found.conftests}
    found.source = [p for p in source if p not in audited]
    return found


def _parent_conftests(dirs: Iterable[Path], root: Path, seen: set[Path]) -> list[Path]:
    """conftest.py files above the audited dirs, up to the rootdir (pytest loads them)."""
    out = []
    for directory in dirs:
        for parent in (directory, *directory.parents):
            if parent != directory:
                candidate = parent / "conftest.py"
                if candidate.is_file() and candidate not in seen:
                    seen.add(candidate)
                    out.append(candidate)
            if parent == root:
                break
    return out


def find_source(root: Path, cfg: RefuteConfig, pytest_cfg: PytestConfig) -> list[Path]:
    """The code under test: ``source`` from config, else packages under root or ``src/``."""
    if cfg.source:
        bases = [root / s for s in cfg.source]
    else:
        src = root / "src"
        top = src if src.is_dir() else root
        bases = []
        try:
            for entry in sorted(top.iterdir()):
                if entry.name in SOURCE_SKIP_DIRS or entry.name.startswith((".", "_")):
                    continue
                package = entry.is_dir() and (
                    (entry / "__init__.py").is_file() or _namespace_package(entry))
                module = (entry.suffix == ".py" and entry.is_file()
                          and not is_test_file(entry.name, pytest_cfg.python_files)
                          and entry.name not in ("setup.py", "conftest.py", "noxfile.py"))
                if package or module:
                    bases.append(entry)
        except OSError:
            return []
    files: list[Path] = []
    for base in bases:
        if base.is_file():
            files.append(base.resolve())
        elif base.is_dir():
            base = base.resolve()
            for path, error in walk_python(base, pytest_cfg.norecursedirs, cfg.exclude, root):
                if error is None and not is_test_file(path.name, pytest_cfg.python_files) \
                        and not _in_test_directory(path, base):
                    files.append(path)
    return files


TEST_DIRS = {"tests", "test", "testing"}
# directories that hold code which is not the project's library even when it has packages
NOT_LIBRARY_DIRS = {"scripts", "tools", "samples", "system_tests", "ci", "bin", "noxfiles"}


def _namespace_package(directory: Path) -> bool:
    """A PEP 420 namespace package at the top (``google/`` holding ``google/auth/``): no
    ``__init__.py`` of its own, an identifier for a name, and a regular package inside."""
    if not directory.name.isidentifier() or directory.name in NOT_LIBRARY_DIRS:
        return False
    try:
        return any(child.is_dir() and child.name not in SOURCE_SKIP_DIRS
                   and (child / "__init__.py").is_file() for child in directory.iterdir())
    except OSError:
        return False


def _in_test_directory(path: Path, base: Path) -> bool:
    """A package's own test directory (``pyflakes/test/``) holds test helpers (a ``TestCase``
    base with assertion methods), not code under test: they are test support."""
    return any(part in TEST_DIRS for part in path.relative_to(base).parts[:-1])
