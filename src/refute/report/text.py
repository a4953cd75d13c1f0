"""Human output: findings grouped by file, with the source line, then a summary."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from refute.model import Audit, Finding, Severity, Verdict

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow",
                   Severity.INFO: "cyan"}
_VERDICT_STYLE = {Verdict.VACUOUS: "bold red", Verdict.WEAK: "yellow", Verdict.OK: "green"}


class TextReporter:
    def __init__(self, show_ok: bool = False, color: bool | None = None,
                 show_info: bool = False) -> None:
        self.show_ok = show_ok
        self.color = color
        self.show_info = show_info

    def report(self, audit: Audit, out: TextIO) -> None:
        console = Console(file=out, highlight=False, soft_wrap=True,
                          force_terminal=self.color, no_color=self.color is False,
                          width=120)
        root = Path(audit.root)
        by_file: dict[str, list[Finding]] = defaultdict(list)
        hidden = 0
        for finding in audit.findings:
            if finding.severity is Severity.INFO and not self.show_info:
                hidden += 1
                continue
            by_file[finding.path].append(finding)
        verdicts = {t.id: t for t in audit.tests}
        for path in sorted(by_file):
            console.print(f"[bold]{escape(path)}[/]")
            lines = _read_lines(root / path)
            current_test: str | None = "\0"
            for f in by_file[path]:
                if f.test != current_test:
                    current_test = f.test
                    if f.test and f.test in verdicts:
                        t = verdicts[f.test]
                        style = _VERDICT_STYLE[t.verdict]
                        name = f.test.split("::", 1)[-1]
                        console.print(f"  [{style}]{t.verdict.value:>7}[/] {escape(name)}")
                style = _SEVERITY_STYLE[f.severity]
                console.print(f"    {f.line}:{f.column} [{style}]{f.rule}[/] "
                              f"[dim]{f.name}[/] {escape(f.message)}")
                if 0 < f.line <= len(lines):
                    code = escape(lines[f.line - 1].strip())
                    console.print(f"      [dim]{f.line:>4} |[/] {code}")
            console.print()
        if self.show_ok:
            for t in audit.tests:
                if t.verdict is Verdict.OK:
                    console.print(f"  [green]     ok[/] {escape(t.id)}")
        for error in audit.errors:
            console.print(f"[bold red]error[/] {escape(error.path)}: {escape(error.message)}")
        for warning in audit.warnings:
            console.print(f"[yellow]warning[/] {escape(warning)}")
        s = audit.summary
        if s.tests == 0:
            console.print(f"No tests found under {escape(audit.root)} "
                          f"({s.files} test files read).")
            return
        console.print(
            f"{s.tests} tests in {s.files} files: [bold red]{s.vacuous} vacuous[/], "
            f"[yellow]{s.weak} weak[/], [green]{s.ok} ok[/]; {len(audit.findings)} findings, "
            f"{len(audit.errors)} unreadable files.")
        if hidden:
            console.print(f"[dim]{hidden} info findings not shown (--show-info shows them).[/]")


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
