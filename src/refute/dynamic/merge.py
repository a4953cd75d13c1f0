"""``refute merge``: join the JSON results of ``refute verify --shard i/n`` runs.

Each shard ran the same baseline and a disjoint share of the mutants. The merge reads the
shards back into the model, takes the union of their mutants, and recomputes what depends on
all of them: function statuses, checked coverage, mutation score, and each test's dynamic
verdict (kills and mutants faced are summed over shards).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from refute.dynamic.statuses import function_results
from refute.dynamic.verify import MODULE_LEVEL
from refute.errors import RefuteError
from refute.model import (
    Audit,
    AuditedTest,
    FileError,
    Finding,
    FunctionResult,
    FunctionStatus,
    Mutant,
    MutantStatus,
    Severity,
    TestRun,
    Verdict,
    Verification,
)


class MergeError(RefuteError):
    """The files are not verify results of the same project, or cannot be read."""


def read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MergeError(f"cannot read {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MergeError(f"{path}: not a JSON document ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("kind") != "verify":
        raise MergeError(f"{path}: not the JSON output of `refute verify --format json`")
    if doc.get("format_version") != 1:
        raise MergeError(f"{path}: format_version {doc.get('format_version')!r} is not 1")
    return doc


def merge_files(paths: Sequence[Path]) -> Verification:
    if not paths:
        raise MergeError("name the shard results to merge")
    docs = [read(p) for p in paths]
    roots = {d["root"] for d in docs}
    if len(roots) > 1:
        raise MergeError("the shards come from different projects: " + ", ".join(sorted(roots)))
    coverage = {(d["coverage"]["source_lines"], d["coverage"]["covered_lines"]) for d in docs}
    if len(coverage) > 1:
        raise MergeError("the shards' baselines differ (line coverage is not the same); "
                         "rerun them on the same commit")
    return merge(docs)


def _audit(doc: dict[str, Any]) -> Audit:
    audit = Audit(root=doc["root"], files=doc["summary"]["files"])
    for t in doc["tests"]:
        audit.tests.append(AuditedTest(t["id"], t["path"], t["line"],
                                       Verdict(t["static_verdict"]), tuple(t["rules"])))
    for f in doc["findings"]:
        audit.findings.append(Finding(f["path"], f["line"], f["column"], f["rule"], f["name"],
                                      Severity(f["severity"]), f["message"], f["test"]))
    audit.errors = [FileError(e["path"], e["message"]) for e in doc["errors"]]
    return audit


def _mutant(m: dict[str, Any]) -> Mutant:
    return Mutant(id=m["id"], function=m["function"], path=m["path"], line=m["line"],
                  operator=m["operator"], extreme=m["extreme"], description=m["description"],
                  diff=m["diff"], status=MutantStatus(m["status"]), killed_by=m["killed_by"],
                  detail=m["detail"])


def merge(docs: list[dict[str, Any]]) -> Verification:
    first = docs[0]
    mutants: dict[str, Mutant] = {}
    for doc in docs:
        for m in doc["mutants"]:
            mutants.setdefault(m["id"], _mutant(m))
    merged = sorted(mutants.values(), key=lambda m: (m.path, m.line, m.operator,
                                                      m.description))
    functions: dict[str, dict[str, Any]] = {}
    reasons: dict[str, str] = {}
    for doc in docs:
        for f in doc["functions"]:
            functions.setdefault(f["qualname"], f)
            if f["reason"]:
                reasons.setdefault(f["qualname"], f["reason"])
    module_level = {q: f for q, f in functions.items() if q.endswith("." + MODULE_LEVEL)}
    spans = [(q, f["path"], f["line"], f.get("end_line", f["line"]))
             for q, f in functions.items() if q not in module_level]
    covering = {q: list(f["covering_tests"]) for q, f in functions.items()}
    results = function_results(merged, spans, covering, reasons)
    covered_of = {q: int(f.get("covered_lines", 0)) for q, f in functions.items()}
    ver = Verification(audit=_audit(first), mutants=merged)
    ver.functions = [replace(r, covered_lines=covered_of[r.qualname]) for r in results]
    ver.functions += [FunctionResult(
        qualname=q, path=f["path"], line=f["line"], end_line=f.get("end_line", f["line"]),
        status=FunctionStatus(f["status"]), mutants=0, killed_by_assertion=0,
        killed_by_error=0, survived=0, timeout=0, covering_tests=(), reason=f["reason"],
        covered_lines=covered_of[q]) for q, f in module_level.items()]
    ver.source_lines = first["coverage"]["source_lines"]
    ver.covered_lines = first["coverage"]["covered_lines"]
    ver.checked_lines = sum(f.covered_lines for f in ver.functions if f.checked)
    ver.forced_fail_ok = all(d["run"]["forced_fail_ok"] for d in docs if d["mutants"])
    ver.flaky = tuple(sorted({t for d in docs for t in d["run"]["flaky"]}))
    ver.wall_time = max(d["run"]["wall_time"] for d in docs)
    ver.ideal_time = sum(d["run"]["ideal_time"] for d in docs)
    ver.mutation_time = max(d["run"].get("mutation_time", 0.0) for d in docs)
    first_baseline = docs[0]["run"].get("baseline", {})
    ver.baseline_ran = first_baseline.get("ran", 0)
    ver.baseline_reused = first_baseline.get("reused", 0)
    ver.baseline_time = first_baseline.get("time", 0.0)
    ver.workers = max(d["run"]["workers"] for d in docs)
    ver.cached = sum(d["run"]["cached_mutants"] for d in docs)
    ver.runs = _runs(docs, ver.audit)
    return ver


def _runs(docs: list[dict[str, Any]], audit: Audit) -> list[TestRun]:
    dynamic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        for t in doc["tests"]:
            if t["dynamic"] is not None:
                dynamic[t["id"]].append(t["dynamic"])
    static = {t.id: t.verdict for t in audit.tests}
    out = []
    for test, parts in sorted(dynamic.items()):
        head = parts[0]
        kills_a = sum(p["killed_by_assertion"] for p in parts)
        kills_e = sum(p["killed_by_error"] for p in parts)
        faced = sum(p.get("mutants_faced", 0) for p in parts)
        base = [r for r in head["reasons"] if not r.startswith("killed ")]
        verdict = Verdict.VACUOUS if any("no assertion" in r for r in base) else Verdict.OK
        reasons = list(base)
        if head["covered_lines"] and faced:
            if kills_a == 0 and kills_e == 0:
                verdict = Verdict.VACUOUS
                reasons.append(f"killed none of the {faced} mutants it ran against")
            elif kills_a == 0:
                verdict = max(verdict, Verdict.WEAK, key=lambda v: v.rank)
                reasons.append(f"killed {kills_e} mutants only by crashing, none by an "
                               "assertion")
        merged = max(static.get(test, Verdict.OK), verdict, key=lambda v: v.rank)
        out.append(TestRun(id=test, duration=head["duration"], covers=head["covered_lines"],
                           assertions_executed=head["assertions_executed"],
                           killed_by_assertion=kills_a, killed_by_error=kills_e,
                           verdict=merged, reasons=tuple(reasons), faced=faced))
    return out
