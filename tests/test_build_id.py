"""Cached results are keyed by refute's build: its version and a hash of its own source."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import refute
from refute import build_id


def test_the_build_id_changes_with_any_source_file_and_only_then(tmp_path: Path) -> None:
    package = tmp_path / "refute"
    shutil.copytree(Path(refute.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    first = build_id(str(package))
    assert first == build_id()  # the copy is byte-identical to the running package
    assert re.fullmatch(re.escape(refute.__version__) + r"\+[0-9a-f]{16}", first)
    (package / "static" / "README.txt").write_text("not source\n", encoding="utf-8")
    assert build_id(str(package)) == first
    rule = package / "static" / "rules" / "rf401_duplicate_test.py"
    rule.write_bytes(rule.read_bytes().replace(b"_TRIVIAL = 120", b"_TRIVIAL = 121"))
    assert build_id(str(package)) != first
