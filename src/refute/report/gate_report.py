"""``refute gate``: text, JSON (``kind: gate``, format_version 1), GitHub Actions annotations
and the Markdown step summary."""

from __future__ import annotations

from typing import Any, TextIO

from refute import __version__
from refute.model import GateFinding, GateResult
from refute.report.json_writer import write_json

FORMAT_VERSION = 1


def to_dict(result: GateResult) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION, "kind": "gate",
        "tool": {"name": "refute", "version": __version__}, "root": result.root,
        "base": {"rev": result.base, "sha": result.base_sha,
                 "compared_sha": result.compared_sha},
        "head_sha": result.head_sha,
        "status": "blocked" if result.blocked else "passed",
        "tests": {"added": result.added, "changed": result.changed,
                  "moved": [{"from": a, "to": b} for a, b in result.moved],
                  "removed": result.removed},
        "findings": [{"reason": f.reason.value, "test": f.test, "path": f.path,
                      "line": f.line, "message": f.message, "blocking": f.blocking}
                     for f in result.findings],
        "notes": list(result.notes), "warnings": list(result.warnings),
    }


class GateJsonReporter:
    def report(self, result: GateResult, out: TextIO) -> None:
        write_json(to_dict(result), out)


def _counts(result: GateResult) -> str:
    return (f"{len(result.added)} new, {len(result.changed)} changed, {len(result.moved)} "
            f"moved, {len(result.removed)} removed tests since {result.base} "
            f"({result.compared_sha[:10]})")


class GateTextReporter:
    def report(self, result: GateResult, out: TextIO) -> None:
        for note in result.notes:
            out.write(f"note: {note}\n")
        for f in result.findings:
            mark = "BLOCK" if f.blocking else "allow"
            out.write(f"{mark} {f.path}:{f.line} {f.reason.value} {f.test}\n"
                      f"      {f.message}\n")
        for warning in result.warnings:
            out.write(f"warning: {warning}\n")
        blocking = sum(f.blocking for f in result.findings)
        verdict = f"blocked by {blocking} finding{'s' if blocking != 1 else ''}" \
            if result.blocked else "passed"
        out.write(f"refute gate: {verdict}; {_counts(result)}.\n")


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def annotation(f: GateFinding, path_prefix: str = "") -> str:
    """A GitHub Actions workflow command that puts the finding on the line of the diff."""
    level = "error" if f.blocking else "notice"
    props = (f"file={_escape(path_prefix + f.path, True)},line={f.line},"
             f"title={_escape('refute ' + f.reason.value, True)}")
    return f"::{level} {props}::{_escape(f.test + ': ' + f.message)}"


class GateGithubReporter:
    """Annotations on stdout; the step summary is written by ``step_summary``."""

    def __init__(self, path_prefix: str = "") -> None:
        self.path_prefix = path_prefix

    def report(self, result: GateResult, out: TextIO) -> None:
        for f in result.findings:
            out.write(annotation(f, self.path_prefix) + "\n")
        for warning in result.warnings:
            out.write(f"::warning title=refute::{_escape(warning)}\n")
        GateTextReporter().report(result, out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def step_summary(result: GateResult) -> str:
    """The Markdown written to ``$GITHUB_STEP_SUMMARY``."""
    head = "blocked" if result.blocked else "passed"
    lines = [f"## refute gate: {head}", "", _counts(result) + ".", ""]
    if result.findings:
        lines += ["| Status | Reason | Test | Where | Message |", "|---|---|---|---|---|"]
        for f in result.findings:
            mark = "blocks" if f.blocking else "allowed"
            lines.append(f"| {mark} | {f.reason.value} | `{_cell(f.test)}` | "
                         f"`{_cell(f.path)}:{f.line}` | {_cell(f.message)} |")
        lines.append("")
    for note in result.notes:
        lines.append(f"- note: {_cell(note)}")
    for warning in result.warnings:
        lines.append(f"- warning: {_cell(warning)}")
    return "\n".join(lines).rstrip() + "\n"
