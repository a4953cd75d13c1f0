"""Shared helpers: refute runs as a real subprocess, on real files in temp dirs."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PROJECT = ROOT / "tests" / "fixtures" / "project"
EXAMPLE = ROOT / "examples" / "cache_service"


def run_refute(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refute", *args],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=120,
    )


def check_json(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    proc = run_refute("check", str(path), "--format", "json", "--no-cache", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def fixture_audit() -> dict[str, Any]:
    """refute check on the rule fixture project, once per session."""
    code, data = check_json(FIXTURE_PROJECT)
    assert code == 1
    return data
