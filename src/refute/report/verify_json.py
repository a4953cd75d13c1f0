"""``refute verify --format json``: the check document (format_version 1) extended.

Added keys: ``coverage``, ``functions``, ``mutants``, and per test a ``dynamic`` object; each
test's ``verdict`` is the merged (static and dynamic) one and ``static_verdict`` keeps the
static one. Documented in docs/json-format.md, validated by schema/verify-v1.json in tests.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from refute.model import Verification
from refute.report.json_report import to_dict as check_dict
from refute.report.json_writer import write_json


def to_dict(ver: Verification) -> dict[str, Any]:
    doc = check_dict(ver.audit)
    doc["kind"] = "verify"
    runs: dict[str, list[Any]] = {}
    for run in ver.runs:
        runs.setdefault(run.id.split("[")[0], []).append(run)
    for test in doc["tests"]:
        test["static_verdict"] = test["verdict"]
        mine = runs.get(test["id"], [])
        if not mine:
            test["dynamic"] = None
            continue
        worst = max(mine, key=lambda r: r.verdict.rank)
        test["verdict"] = max((test["verdict"], worst.verdict.value),
                              key=["ok", "weak", "vacuous"].index)
        test["dynamic"] = {
            "duration": round(sum(r.duration for r in mine), 6),
            "covered_lines": max(r.covers for r in mine),
            "assertions_executed": min(r.assertions_executed for r in mine),
            "killed_by_assertion": sum(r.killed_by_assertion for r in mine),
            "killed_by_error": sum(r.killed_by_error for r in mine),
            "mutants_faced": sum(r.faced for r in mine),
            "reasons": sorted({reason for r in mine for reason in r.reasons}),
        }
    counts = {"vacuous": 0, "weak": 0, "ok": 0}
    for test in doc["tests"]:
        counts[test["verdict"]] += 1
    doc["summary"].update(counts)
    doc["coverage"] = {
        "source_lines": ver.source_lines, "covered_lines": ver.covered_lines,
        "checked_lines": ver.checked_lines, "line_coverage": round(ver.line_coverage, 4),
        "checked_coverage": round(ver.checked_coverage, 4),
        "mutation_score": round(ver.mutation_score, 4),
    }
    doc["functions"] = [
        {"qualname": f.qualname, "path": f.path, "line": f.line, "end_line": f.end_line,
         "covered_lines": f.covered_lines, "status": f.status.value,
         "mutants": f.mutants, "killed_by_assertion": f.killed_by_assertion,
         "killed_by_error": f.killed_by_error, "survived": f.survived, "timeout": f.timeout,
         "covering_tests": list(f.covering_tests), "reason": f.reason}
        for f in ver.functions
    ]
    doc["mutants"] = [
        {"id": m.id, "function": m.function, "path": m.path, "line": m.line,
         "operator": m.operator, "extreme": m.extreme, "description": m.description,
         "status": m.status.value, "killed_by": m.killed_by, "detail": m.detail,
         "diff": m.diff}
        for m in ver.mutants
    ]
    doc["run"] = {"forced_fail_ok": ver.forced_fail_ok, "flaky": list(ver.flaky),
                  "workers": ver.workers, "wall_time": round(ver.wall_time, 3),
                  "ideal_time": round(ver.ideal_time, 3),
                  "mutation_time": round(ver.mutation_time, 3), "cached_mutants": ver.cached,
                  "baseline": {"ran": ver.baseline_ran, "reused": ver.baseline_reused,
                               "time": round(ver.baseline_time, 3)},
                  "notes": list(ver.notes)}
    return doc


class VerifyJsonReporter:
    def __init__(self, one_line: bool = False) -> None:
        self.one_line = one_line  # JSON Lines: one document per line (``verify --watch``)

    def report(self, ver: Verification, out: TextIO) -> None:
        if self.one_line:
            out.write(json.dumps(to_dict(ver), separators=(",", ":")) + "\n")
        else:
            write_json(to_dict(ver), out)
