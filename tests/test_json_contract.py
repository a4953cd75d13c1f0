"""The JSON report is a versioned contract: schema-valid, exact for a known project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import ROOT, check_json, write
from gitrepo import BOT, REVIEWER, add_generated_test, project
from refute import __version__

SCHEMA = json.loads((ROOT / "src/refute/report/schema/check-v1.json").read_text())


def test_fixture_report_is_schema_valid(fixture_audit: dict[str, Any]) -> None:
    jsonschema.validate(fixture_audit, SCHEMA)
    assert fixture_audit["summary"]["tests"] == len(fixture_audit["tests"])


def test_schema_rejects_a_wrong_verdict(fixture_audit: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(fixture_audit))
    broken["tests"][0]["verdict"] = "fine"
    with pytest.raises(jsonschema.ValidationError, match="'fine' is not one of"):
        jsonschema.validate(broken, SCHEMA)


def test_exact_document(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        "calc.py": "def add(a, b):\n    return a + b\n",
        "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n"
                              "    assert add(1, 2) == add(1, 2)\n\n\n"
                              "def test_add_ok():\n    assert add(2, 2) == 4\n",
    })
    code, data = check_json(tmp_path)
    assert code == 1
    assert data == {
        "format_version": 1,
        "tool": {"name": "refute", "version": __version__},
        "root": str(tmp_path),
        "tests": [
            {"id": "tests/test_calc.py::test_add", "path": "tests/test_calc.py", "line": 4,
             "verdict": "vacuous", "rules": ["RF104"]},
            {"id": "tests/test_calc.py::test_add_ok", "path": "tests/test_calc.py", "line": 8,
             "verdict": "ok", "rules": []},
        ],
        "findings": [
            {"rule": "RF104", "name": "mirrored-oracle", "severity": "error",
             "path": "tests/test_calc.py", "line": 5, "column": 5,
             "test": "tests/test_calc.py::test_add",
             "message": "mirrored oracle: `add(1, 2)` is called on both sides; whatever it "
                        "returns equals itself"},
        ],
        "errors": [],
        "summary": {"files": 1, "tests": 2, "vacuous": 1, "weak": 0, "ok": 1},
    }


def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "src/refute/report/schema" / name).read_text(encoding="utf-8"))
    return data


def test_provenance_and_gate_reports_are_schema_valid(tmp_path: Path) -> None:
    repo = project(tmp_path / "r")
    add_generated_test(repo, BOT)
    assert repo.signoff("tests/test_calc.py::test_add").returncode == 0
    repo.commit("sign", REVIEWER)
    provenance = repo.provenance_json()
    jsonschema.validate(provenance, _schema("provenance-v1.json"))
    assert [(t["id"], t["origin"], t["signoff_status"]) for t in provenance["tests"]] == [
        ("tests/test_calc.py::test_add", "unmarked", "valid"),
        ("tests/test_calc.py::test_add_two", "generated", "missing")]
    code, gate = repo.gate_json()
    jsonschema.validate(gate, _schema("gate-v1.json"))
    assert (code, gate["status"]) == (1, "blocked")
    gate["findings"][0]["reason"] = "looks-fine"
    with pytest.raises(jsonschema.ValidationError, match="'looks-fine' is not one of"):
        jsonschema.validate(gate, _schema("gate-v1.json"))


def test_report_lines_are_what_json_writes_for_the_documents_dicts() -> None:
    """The report writes each test and finding as text without building its dict; the
    document is byte for byte the one ``json`` writes for ``to_dict``, whatever the
    strings hold."""
    from io import StringIO

    from refute.model import Audit, AuditedTest, FileError, Finding, Severity, Verdict
    from refute.report.json_report import JsonReporter, to_dict
    from refute.report.json_writer import write_json

    odd = 'tests/t\u00e9st "quoted" \\ back\tslash\x01.py'
    audit = Audit(root="/r\u00f6ot", warnings=[])
    audit.files = 2
    audit.tests = [AuditedTest(f"{odd}::test_\u03c0[x]", odd, 3, Verdict.VACUOUS,
                               ("RF101", "RF102")),
                   AuditedTest("tests/test_a.py::test_b", "tests/test_a.py", 10**12, Verdict.OK)]
    audit.findings = [Finding(odd, 4, 1, "RF101", "no-assertion", Severity.ERROR,
                              "say \"hi\" \u2192 \U0001f600", f"{odd}::test_\u03c0[x]"),
                      Finding("conftest.py", 1, 0, "RF402", "x", Severity.INFO, "m", None)]
    audit.errors = [FileError("bad.py", "syntax error at line 1")]
    written, expected = StringIO(), StringIO()
    JsonReporter().report(audit, written)
    write_json(to_dict(audit), expected)
    assert written.getvalue() == expected.getvalue()
    assert json.loads(written.getvalue())["findings"][1] == {
        "rule": "RF402", "name": "x", "severity": "info", "path": "conftest.py", "line": 1,
        "column": 0, "test": None, "message": "m"}
    empty = Audit(root="/r", warnings=[])
    written, expected = StringIO(), StringIO()
    JsonReporter().report(empty, written)
    write_json(to_dict(empty), expected)
    assert written.getvalue() == expected.getvalue()
    assert json.loads(written.getvalue())["tests"] == []
