"""``refute provenance``: text and JSON (``kind: provenance``, format_version 1)."""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from refute import __version__
from refute.model import Claim, ProvenanceReport, Signoff, TestProvenance
from refute.report.json_writer import write_json

FORMAT_VERSION = 1


def _claim(claim: Claim) -> dict[str, Any]:
    return {"source": claim.source.value, "where": claim.where, "by": claim.by or None,
            "model": claim.model or None, "prompt": claim.prompt or None}


def _signoff(record: Signoff | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"test": record.test, "reviewer": record.reviewer, "email": record.email,
            "date": record.date, "note": record.note,
            "accepted_vacuous": record.accepted_vacuous or None, "ledger_line": record.line}


def _test(t: TestProvenance) -> dict[str, Any]:
    return {"id": t.id, "path": t.path, "line": t.line,
            "origin": "generated" if t.generated else "unmarked",
            "claims": [_claim(c) for c in t.claims], "signoff_status": t.status.value,
            "signoff": _signoff(t.signoff), "reason": t.reason,
            "verdict": t.verdict.value if t.verdict else None, "fingerprint": t.fingerprint}


def summary(report: ProvenanceReport) -> dict[str, int]:
    generated = [t for t in report.tests if t.generated]
    counts = Counter(t.status.value for t in generated)
    return {"tests": len(report.tests), "generated": len(generated),
            **{k: counts.get(k, 0) for k in ("valid", "missing", "stale", "uncommitted",
                                             "forged", "self-signed", "unverified")}}


def to_dict(report: ProvenanceReport) -> dict[str, Any]:
    return {"format_version": FORMAT_VERSION, "kind": "provenance",
            "tool": {"name": "refute", "version": __version__}, "root": report.root,
            "tests": [_test(t) for t in report.tests],
            "orphan_signoffs": [_signoff(r) for r in report.orphans],
            "warnings": list(report.warnings), "summary": summary(report)}


class ProvenanceJsonReporter:
    def report(self, report: ProvenanceReport, out: TextIO) -> None:
        write_json(to_dict(report), out)


class ProvenanceTextReporter:
    """One line per test: id, origin and its source, sign-off status, verdict."""

    def __init__(self, generated_only: bool = False) -> None:
        self.generated_only = generated_only

    def report(self, report: ProvenanceReport, out: TextIO) -> None:
        for t in report.tests:
            if self.generated_only and not t.generated:
                continue
            verdict = t.verdict.value if t.verdict else "-"
            if t.generated:
                claim = t.claims[0]
                by = f" by {claim.by}" if claim.by else ""
                origin = f"generated{by} ({claim.source.value}: {claim.where})"
                out.write(f"{t.id}\n    origin: {origin}\n    sign-off: {t.status.value}: "
                          f"{t.reason}\n    verdict: {verdict}\n")
            else:
                signed = f", sign-off {t.status.value}" if t.signoff else ""
                out.write(f"{t.id}\n    origin: unmarked{signed}\n    verdict: {verdict}\n")
        for warning in report.warnings:
            out.write(f"warning: {warning}\n")
        s = summary(report)
        out.write(f"{s['tests']} tests, {s['generated']} generated: {s['valid']} signed off, "
                  f"{s['missing']} unsigned, {s['stale']} stale, {s['uncommitted']} "
                  f"uncommitted, {s['forged']} forged, {s['self-signed']} self-signed, "
                  f"{s['unverified']} unverified.\n")
