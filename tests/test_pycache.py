"""refute's compiled-module cache: a file whose content changed never runs from its old
compiled form, even when its size and modification time are the old ones."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from refute.dynamic.pycache import MANIFEST, forget_changed


def _compiled(prefix: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Write the compiled forms Python and pytest would write for ``source`` under the
    prefix, at the place Python itself computes."""
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    python = Path(importlib.util.cache_from_source(str(source)))
    monkeypatch.setattr(sys, "pycache_prefix", None)
    pytest_form = python.with_name(python.name.removesuffix(".pyc") + "-pytest-9.2.0.pyc")
    python.parent.mkdir(parents=True, exist_ok=True)
    for path in (python, pytest_form):
        path.write_bytes(b"compiled")
    return [python, pytest_form]


def _present(prefix: Path) -> list[str]:
    return sorted(p.name for p in prefix.rglob("*") if p.is_file() and p.name != MANIFEST)


def test_only_the_changed_file_loses_its_compiled_forms(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "cache"
    helper = tmp_path / "proj/tests/checks.py"
    other = tmp_path / "proj/tests/checks2.py"
    helper.parent.mkdir(parents=True)
    helper.write_text("def check(a, b):\n    assert a == b\n", encoding="utf-8")
    other.write_text("X = 1\n", encoding="utf-8")
    tag = sys.implementation.cache_tag

    # files never seen: whatever is compiled for them may be from any earlier content
    _compiled(prefix, helper, monkeypatch)
    _compiled(prefix, other, monkeypatch)
    assert forget_changed(prefix, [helper, other]) == 4
    assert _present(prefix) == []
    assert json.loads((prefix / MANIFEST).read_text(encoding="utf-8")).keys() == {
        str(helper), str(other)}

    # nothing changed: everything compiled stays
    _compiled(prefix, helper, monkeypatch)
    _compiled(prefix, other, monkeypatch)
    unrelated = prefix.joinpath(*helper.parent.parts[1:]) / "checks.notes.pyc"
    unrelated.write_bytes(b"not a compiled form of checks.py")
    assert forget_changed(prefix, [helper, other]) == 0
    assert len(_present(prefix)) == 5

    # an edit of the same size, with the old modification time put back
    stat = helper.stat()
    helper.write_text("def check(a, b):\n    return a == b\n", encoding="utf-8")
    os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert helper.stat().st_size == stat.st_size
    assert forget_changed(prefix, [helper, other]) == 2
    assert _present(prefix) == sorted([
        "checks.notes.pyc", f"checks2.{tag}.pyc", f"checks2.{tag}-pytest-9.2.0.pyc"])

    # a call that names one file keeps what the manifest knows of the others
    other.write_text("X = 2\n", encoding="utf-8")
    assert forget_changed(prefix, [other]) == 2
    assert forget_changed(prefix, [helper, other]) == 0


def test_a_broken_manifest_counts_every_file_as_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "cache"
    source = tmp_path / "m.py"
    source.write_text("X = 1\n", encoding="utf-8")
    prefix.mkdir()
    (prefix / MANIFEST).write_text("[not, json", encoding="utf-8")
    _compiled(prefix, source, monkeypatch)
    assert forget_changed(prefix, [source, tmp_path / "gone.py"]) == 2
    assert json.loads((prefix / MANIFEST).read_text(encoding="utf-8")) == {
        str(source): hashlib.blake2b(b"X = 1\n", digest_size=16).hexdigest()}
