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
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
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
