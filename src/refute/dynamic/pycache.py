"""Compiled modules in refute's cache that cannot run old code.

Python takes a module's compiled form when the source's modification time, in whole
seconds, and its size equal the ones recorded in it; pytest checks its rewritten test
modules the same way. An edit that keeps a file's size within the second of its last write
(a tool that edits and reruns at once), or a tool that restores modification times, leaves
the old code running: a weakened assertion helper would still look strong.

``refute verify`` compiles into its own cache directory (``sys.pycache_prefix``), so it can
do better than the timestamp. It keeps the content hash of every project file (source,
tests, conftest, helpers) beside the compiled modules, and before a run drops the compiled
forms of each file whose content changed since the last run: Python's
(``name.cpython-312.pyc``) and pytest's (``name.cpython-312-pytest-9.2.0.pyc``), for every
Python version that wrote one.

Only the project's files go there (``OutsideProject``): a pycache prefix applies to every
module imported while it is set, and with it the first run in a fresh checkout compiled
again every module of the standard library, pytest, refute's own analysis and the project's
dependencies that had not been imported yet (0.4 s of a 1.5 s run on the bundled example;
seconds for a project that imports a large library). Every other module is loaded from the
compiled form Python keeps beside its source, checked as Python checks it; only a module
that has none is compiled into the cache.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import marshal
import os
import re
import sys
import types
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

MANIFEST = "refute-sources.json"
_CACHE_TAG = re.compile(r"[a-z]+-?[0-9]+t?")


def _compiled_dir(prefix: Path, source: Path) -> Path:
    """Where Python (``importlib.util.cache_from_source``) and pytest put the compiled forms
    of ``source`` under a pycache prefix: the source's absolute directory, mirrored."""
    return prefix.joinpath(*source.parent.parts[1:])


def _compiled_from(name: str, stem: str) -> bool:
    """Whether ``name`` is a compiled form of the module ``stem``: ``stem.TAG.pyc`` or
    ``stem.TAG-pytest-VERSION.pyc``, TAG an interpreter's cache tag (``cpython-312``,
    ``cpython-313t``, ``pypy310``)."""
    if not (name.startswith(stem + ".") and name.endswith(".pyc")):
        return False
    tag = name[len(stem) + 1:-len(".pyc")].split("-pytest-", 1)[0]
    return _CACHE_TAG.fullmatch(tag) is not None


def _drop(prefix: Path, source: Path) -> int:
    dropped = 0
    for path in {source, source.resolve()}:
        directory = _compiled_dir(prefix, path)
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if _compiled_from(name, path.stem):
                try:
                    os.unlink(directory / name)
                    dropped += 1
                except OSError:
                    pass
    return dropped


def forget_changed(prefix: Path, files: Iterable[Path]) -> int:
    """Drop the compiled forms of the files whose content differs from the one last seen,
    and remember their contents now (other files' entries are kept). Returns how many
    compiled files were dropped."""
    manifest = prefix / MANIFEST
    try:
        known = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    current = dict(known)
    dropped = 0
    for path in files:
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            continue
        key = str(path)
        if known.get(key) != digest:
            current[key] = digest
            dropped += _drop(prefix, path)
    if current != known:
        prefix.mkdir(parents=True, exist_ok=True)
        temporary = prefix / f"{MANIFEST}.{os.getpid()}"
        temporary.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")
        os.replace(temporary, manifest)
    return dropped


# ---------------------------------------------------------------------------- outside the project
def native_compiled(source: str) -> str:
    """Where Python keeps the compiled form of ``source`` without a pycache prefix
    (``importlib.util.cache_from_source`` with ``sys.pycache_prefix`` unset)."""
    head, tail = os.path.split(source)
    base = tail.rpartition(".")[0] or tail
    level = sys.flags.optimize
    opt = f".opt-{level}" if level else ""
    return os.path.join(head, "__pycache__", f"{base}.{sys.implementation.cache_tag}{opt}.pyc")


class NativeCacheLoader(importlib.machinery.SourceFileLoader):
    """A module from outside the project, loaded from the compiled form beside its source
    when that form is valid (PEP 552: Python's magic number, then the source's modification
    time and size, or its hash). Without one (an environment installed without compiled
    files), it is loaded as any module is under the prefix: compiled into refute's cache
    once, and taken from there by the next run. Nothing is written beside the source."""

    def get_code(self, fullname: str) -> types.CodeType | None:
        code = self._compiled(self.get_filename(fullname))
        if code is not None:
            return code
        return super().get_code(fullname)

    def _compiled(self, source_path: str) -> types.CodeType | None:
        try:
            with open(native_compiled(source_path), "rb") as handle:
                data = handle.read()
            if len(data) < 16 or data[:4] != importlib.util.MAGIC_NUMBER:
                return None
            flags = int.from_bytes(data[4:8], "little")
            if flags == 0:
                stat = os.stat(source_path)
                if int.from_bytes(data[8:12], "little") != int(stat.st_mtime) & 0xFFFFFFFF or \
                        int.from_bytes(data[12:16], "little") != stat.st_size & 0xFFFFFFFF:
                    return None
            elif flags & 0b10:  # a hash-based form whose source is to be checked
                with open(source_path, "rb") as handle:
                    if importlib.util.source_hash(handle.read()) != data[8:16]:
                        return None
            elif flags != 0b01:  # not an unchecked hash-based form either
                return None
            code = marshal.loads(memoryview(data)[16:])
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return code if isinstance(code, types.CodeType) else None


class OutsideProject(importlib.abc.MetaPathFinder):
    """Found just before ``PathFinder``, for what it would find: a source module outside the
    project (``project_file`` is false) gets a ``NativeCacheLoader``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader or \
                not spec.origin:
            return spec
        # a path entry may be relative to the project (pytest's `pythonpath = ["../lib"]`)
        if project_file(self.root, os.path.normpath(spec.origin)) or \
                project_file(self.real_root, os.path.realpath(spec.origin)):
            return spec
        spec.loader = NativeCacheLoader(fullname, spec.origin)
        spec.cached = native_compiled(spec.origin)
        return spec


def project_file(root: Path, filename: str) -> bool:
    """A file of the project: under its root, and not of an installed environment (a
    virtual environment kept in the project's directory is not the project)."""
    if not filename.startswith(str(root) + os.sep):
        return False
    installed = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    if any(filename.startswith(p + os.sep) for p in installed):
        return False
    parts = filename.split(os.sep)
    return "site-packages" not in parts and "dist-packages" not in parts


@contextmanager
def only_project_compiled(root: Path) -> Iterator[None]:
    """While it lasts, a pycache prefix set by the caller holds only the project's files
    (``OutsideProject`` ahead of ``PathFinder`` in ``sys.meta_path``)."""
    finder = OutsideProject(root)
    at = next((i for i, f in enumerate(sys.meta_path)
               if f is importlib.machinery.PathFinder), len(sys.meta_path))
    sys.meta_path.insert(at, finder)
    try:
        yield
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
