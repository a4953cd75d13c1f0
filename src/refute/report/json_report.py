"""``--format json``: the versioned contract documented in docs/json-format.md."""

from __future__ import annotations

from json.encoder import encode_basestring_ascii as _string
from typing import Any, TextIO

from refute import __version__
from refute.model import Audit, AuditedTest, Finding
from refute.report.json_writer import Encoded, write_json

FORMAT_VERSION = 1


def to_dict(audit: Audit) -> dict[str, Any]:
    return _document(audit, [_test_dict(t) for t in audit.tests],
                     [_finding_dict(f) for f in audit.findings])


def _document(audit: Audit, tests: list[Any], findings: list[Any]) -> dict[str, Any]:
    summary = audit.summary
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "refute", "version": __version__},
        "root": audit.root,
        "tests": tests,
        "findings": findings,
        "errors": [{"path": e.path, "message": e.message} for e in audit.errors],
        "summary": {"files": summary.files, "tests": summary.tests, "vacuous": summary.vacuous,
                    "weak": summary.weak, "ok": summary.ok},
    }


# A test and a finding, as a dict (``to_dict``, which ``refute verify``'s document embeds)
# and as the line ``json`` writes for that dict (``JsonReporter``): an audit of CPython's
# Lib/test has 29,000 tests and 12,000 findings, and building a dict for each to encode
# it took two thirds of the report's time. A test checks that both give the same text.
def _test_dict(t: AuditedTest) -> dict[str, Any]:
    return {"id": t.id, "path": t.path, "line": t.line, "verdict": t.verdict.value,
            "rules": list(t.rules)}


def _test_json(t: AuditedTest) -> str:
    return (f'{{"id": {_string(t.id)}, "path": {_string(t.path)}, "line": {t.line!r}, '
            f'"verdict": {_string(t.verdict.value)}, '
            f'"rules": [{", ".join(map(_string, t.rules))}]}}')


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "name": f.name, "severity": f.severity.value, "path": f.path,
            "line": f.line, "column": f.column, "test": f.test, "message": f.message}


def _finding_json(f: Finding) -> str:
    test = "null" if f.test is None else _string(f.test)
    return (f'{{"rule": {_string(f.rule)}, "name": {_string(f.name)}, '
            f'"severity": {_string(f.severity.value)}, "path": {_string(f.path)}, '
            f'"line": {f.line!r}, "column": {f.column!r}, "test": {test}, '
            f'"message": {_string(f.message)}}}')


class JsonReporter:
    def report(self, audit: Audit, out: TextIO) -> None:
        write_json(_document(audit, Encoded(map(_test_json, audit.tests)),
                             Encoded(map(_finding_json, audit.findings))), out)
