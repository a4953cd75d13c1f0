"""``--format json``: the versioned contract documented in docs/json-format.md."""

from __future__ import annotations

from typing import Any, TextIO

from refute import __version__
from refute.model import Audit
from refute.report.json_writer import write_json

FORMAT_VERSION = 1


def to_dict(audit: Audit) -> dict[str, Any]:
    summary = audit.summary
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "refute", "version": __version__},
        "root": audit.root,
        "tests": [
            {"id": t.id, "path": t.path, "line": t.line, "verdict": t.verdict.value,
             "rules": list(t.rules)}
            for t in audit.tests
        ],
        "findings": [
            {"rule": f.rule, "name": f.name, "severity": f.severity.value, "path": f.path,
             "line": f.line, "column": f.column, "test": f.test, "message": f.message}
            for f in audit.findings
        ],
        "errors": [{"path": e.path, "message": e.message} for e in audit.errors],
        "summary": {"files": summary.files, "tests": summary.tests, "vacuous": summary.vacuous,
                    "weak": summary.weak, "ok": summary.ok},
    }


class JsonReporter:
    def report(self, audit: Audit, out: TextIO) -> None:
        write_json(to_dict(audit), out)
