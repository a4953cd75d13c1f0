"""The command line: exit codes, options, configuration, suppression, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_json, run_refute, write

VACUOUS = """
    from app import add

    def test_add_runs():
        add(1, 2)
"""
WEAK = """
    from app import add

    def test_add_exists():
        assert add(1, 2) is not None
"""
OK = """
    from app import add

    def test_add():
        assert add(1, 2) == 3
"""


def project(tmp_path: Path, tests: str, pyproject: str = "[tool.pytest.ini_options]\n") -> Path:
    return write(tmp_path, {"pyproject.toml": pyproject, "app.py": "def add(a, b):\n"
                            "    return a + b\n", "tests/test_app.py": tests})


@pytest.mark.parametrize(("tests", "fail_on", "code"), [
    (VACUOUS, None, 1), (WEAK, None, 0), (OK, None, 0),
    (WEAK, "weak", 1), (OK, "weak", 0), (VACUOUS, "never", 0),
])
def test_exit_code_follows_fail_on(tmp_path: Path, tests: str, fail_on: str | None,
                                   code: int) -> None:
    project(tmp_path, tests)
    args = ["check", str(tmp_path), "--no-cache"] + (["--fail-on", fail_on] if fail_on else [])
    assert run_refute(*args).returncode == code


def test_fail_on_from_config(tmp_path: Path) -> None:
    project(tmp_path, WEAK, "[tool.pytest.ini_options]\n[tool.refute]\nfail-on = \"weak\"\n")
    assert run_refute("check", str(tmp_path), "--no-cache").returncode == 1


def test_missing_path_is_exit_2_with_message(tmp_path: Path) -> None:
    proc = run_refute("check", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert proc.stderr == f"refute: error: path does not exist: {tmp_path / 'nope'}\n"
    assert proc.stdout == ""


def test_broken_toml_is_exit_2_with_message(tmp_path: Path) -> None:
    project(tmp_path, OK, "[tool.refute\nselect = [")
    proc = run_refute("check", str(tmp_path), "--no-cache")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"refute: error: {tmp_path / 'pyproject.toml'}: invalid TOML:")
    assert "Traceback" not in proc.stderr


def test_bad_config_value_is_exit_2(tmp_path: Path) -> None:
    project(tmp_path, OK, "[tool.pytest.ini_options]\n[tool.refute]\nfail-on = \"sometimes\"\n")
    proc = run_refute("check", str(tmp_path), "--no-cache")
    assert proc.returncode == 2
    assert proc.stderr == ("refute: error: fail-on must be one of vacuous, weak, never; "
                           "got 'sometimes'\n")


def test_unknown_config_key_is_a_warning(tmp_path: Path) -> None:
    project(tmp_path, OK, "[tool.pytest.ini_options]\n[tool.refute]\nfail_onn = \"weak\"\n")
    proc = run_refute("check", str(tmp_path), "--no-cache")
    assert proc.returncode == 0
    assert "warning unknown key [tool.refute] 'fail_onn' ignored" in proc.stdout


def test_unknown_rule_code_is_a_usage_error(tmp_path: Path) -> None:
    project(tmp_path, OK)
    proc = run_refute("check", str(tmp_path), "--select", "RF999")
    assert proc.returncode == 2
    assert "unknown rule code 'RF999'" in proc.stderr


def test_select_and_ignore(tmp_path: Path) -> None:
    project(tmp_path, VACUOUS)
    _, selected = check_json(tmp_path, "--select", "RF2")
    assert selected["tests"][0]["verdict"] == "vacuous"
    assert selected["findings"] == []
    code, ignored = check_json(tmp_path, "--ignore", "RF101")
    assert [f["rule"] for f in ignored["findings"]] == []
    assert code == 1  # no rule explains it, but the test still checks nothing


def test_per_file_ignores(tmp_path: Path) -> None:
    project(tmp_path, WEAK, "[tool.pytest.ini_options]\n[tool.refute.per-file-ignores]\n"
            "\"tests/*\" = [\"RF103\"]\n")
    _, data = check_json(tmp_path)
    assert data["tests"][0]["verdict"] == "ok"
    assert data["findings"] == []


def test_inline_suppression_on_def_line_and_on_finding_line(tmp_path: Path) -> None:
    project(tmp_path, """
        from app import add

        def test_a():  # refute: ignore[RF103] only checks that add() returns
            assert add(1, 2) is not None

        def test_b():
            assert add(1, 3) is not None  # refute: ignore[RF103]

        def test_c():
            assert add(2, 2) is not None  # refute: ignore[RF201]
    """)
    _, data = check_json(tmp_path)
    assert [(t["id"], t["verdict"], t["rules"]) for t in data["tests"]] == [
        ("tests/test_app.py::test_a", "ok", []),
        ("tests/test_app.py::test_b", "ok", []),
        ("tests/test_app.py::test_c", "weak", ["RF103"]),
    ]


def test_python_dash_m_and_console_script_agree(tmp_path: Path) -> None:
    import subprocess
    import sys

    project(tmp_path, VACUOUS)
    script = str(Path(sys.executable).parent / "refute")
    a = subprocess.run([script, "check", str(tmp_path), "--format", "json", "--no-cache"],
                       capture_output=True, text=True)
    b = run_refute("check", str(tmp_path), "--format", "json", "--no-cache")
    assert (a.returncode, a.stdout) == (b.returncode, b.stdout)


def test_output_file(tmp_path: Path) -> None:
    project(tmp_path, OK)
    out = tmp_path / "report.json"
    proc = run_refute("check", str(tmp_path), "--format", "json", "--no-cache", "-o", str(out))
    assert (proc.returncode, proc.stdout) == (0, "")
    assert '"verdict": "ok"' in out.read_text()


def test_no_path_uses_testpaths(tmp_path: Path) -> None:
    project(tmp_path, OK, "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n")
    write(tmp_path, {"other/test_x.py": "def test_x():\n    pass\n"})
    proc = run_refute("check", "--format", "json", "--no-cache", cwd=tmp_path)
    assert '"id": "tests/test_app.py::test_add"' in proc.stdout
    assert "other/test_x.py" not in proc.stdout
