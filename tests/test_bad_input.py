"""Bad input never gets a traceback: each unreadable file is an error entry, the rest is audited."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import check_json, run_refute, write

GOOD = "from app import f\n\ndef test_f():\n    assert f() == 1\n"


def base(tmp_path: Path) -> Path:
    return write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n",
                            "app.py": "def f():\n    return 1\n", "tests/test_good.py": GOOD})


def test_unreadable_files_are_errors_and_the_rest_is_audited(tmp_path: Path) -> None:
    base(tmp_path)
    tests = tmp_path / "tests"
    (tests / "test_syntax.py").write_text("def test_x(:\n    pass\n")
    (tests / "test_latin1.py").write_bytes("# caf\xe9\ndef test_x():\n    pass\n".encode("latin-1"))
    (tests / "test_nul.py").write_bytes(b"def test_x():\n    pass\x00\n")
    with (tests / "test_huge.py").open("w") as fh:
        fh.write("#" * 1000 + "\n")
        fh.truncate(50 * 1024 * 1024)
    before = {p: p.read_bytes() for p in tests.iterdir() if p.name != "test_huge.py"}
    code, data = check_json(tmp_path)
    assert code == 0
    assert data["errors"] == [
        {"path": "tests/test_huge.py",
         "message": "file too large to audit (52.4 MB, limit 10 MB)"},
        {"path": "tests/test_latin1.py",
         "message": "not valid UTF-8: invalid or missing encoding declaration"},
        {"path": "tests/test_nul.py",
         "message": "file contains NUL bytes; not a Python source file"},
        {"path": "tests/test_syntax.py",
         "message": "syntax error at line 1, column 12: invalid syntax"},
    ]
    assert [t["id"] for t in data["tests"]] == ["tests/test_good.py::test_f"]
    assert data["summary"]["files"] == 5
    assert {p: p.read_bytes() for p in before} == before  # nothing was changed


def test_declared_encoding_is_honoured(tmp_path: Path) -> None:
    base(tmp_path)
    (tmp_path / "tests" / "test_cookie.py").write_bytes(
        "# -*- coding: latin-1 -*-\n# caf\xe9\ndef test_x():\n    pass\n".encode("latin-1"))
    _, data = check_json(tmp_path)
    assert data["errors"] == []
    assert [t["verdict"] for t in data["tests"]] == ["vacuous", "ok"]


def test_symlink_loop(tmp_path: Path) -> None:
    base(tmp_path)
    os.symlink(tmp_path / "tests", tmp_path / "tests" / "loop")
    code, data = check_json(tmp_path)
    assert code == 0
    assert data["errors"] == [{"path": "tests/loop",
                               "message": "symlink loop: directory already visited"}]
    assert len(data["tests"]) == 1


def test_empty_directory(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_refute("check", str(empty), "--no-cache")
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"No tests found under {empty} (0 test files read).")
    code, data = check_json(empty)
    assert (code, data["summary"]) == (0, {"files": 0, "tests": 0, "vacuous": 0, "weak": 0,
                                           "ok": 0})


def test_cache_directory_is_ignored_by_git_and_results_match(tmp_path: Path) -> None:
    base(tmp_path)
    cache = tmp_path / "cache"
    cold = run_refute("check", str(tmp_path), "--format", "json", "--cache-dir", str(cache))
    warm = run_refute("check", str(tmp_path), "--format", "json", "--cache-dir", str(cache))
    assert cold.stdout == warm.stdout
    assert (cache / ".gitignore").read_text() == "# created by refute\n*\n"
    (tmp_path / "tests" / "test_good.py").write_text(GOOD.replace("== 1", "is not None"))
    changed = run_refute("check", str(tmp_path), "--format", "json", "--cache-dir", str(cache))
    assert '"verdict": "weak"' in changed.stdout


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    base(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    run_refute("check", str(tmp_path), "--no-cache")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_cached_results_follow_every_edit_of_the_source(tmp_path: Path) -> None:
    """Test files' cached results are keyed by what the source means to the audit (its
    signatures, raises, names), not its bytes: an edit inside a body keeps them, and an edit
    that changes a finding must not be hidden by them."""
    base(tmp_path)
    cache = tmp_path / "cache"
    app = tmp_path / "app.py"

    def both() -> tuple[str, str]:
        warm = run_refute("check", str(tmp_path), "--format", "json", "--fail-on", "never",
                          "--cache-dir", str(cache))
        cold = run_refute("check", str(tmp_path), "--format", "json", "--fail-on", "never",
                          "--no-cache")
        return warm.stdout, cold.stdout

    warm, cold = both()
    assert warm == cold
    assert '"findings": []' in warm
    app.write_text("def f():\n    value = 1\n    return value\n")  # same facts
    warm, cold = both()
    assert warm == cold
    assert '"findings": []' in warm
    app.write_text("def f(x):\n    return x\n")  # the test's call no longer binds
    warm, cold = both()
    assert warm == cold
    assert '"message": "hallucinated API: `app.f()` missing required argument \'x\'"' in warm
    app.write_text("def f():\n    if False:\n        raise ValueError('no')\n    return 1\n")
    warm, cold = both()
    assert warm == cold
    assert '"message": "missing negative case: `app.f` raises ValueError but the one test ' \
           'that calls it does not expect it"' in warm
