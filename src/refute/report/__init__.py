"""Reporters: every output format renders the same ``refute.model.Audit``; none analyses."""

from __future__ import annotations

from typing import Protocol, TextIO

from refute.model import Audit


class Reporter(Protocol):
    def report(self, audit: Audit, out: TextIO) -> None: ...


def get_reporter(fmt: str, **options: object) -> Reporter:
    from refute.report.json_report import JsonReporter
    from refute.report.text import TextReporter

    if fmt == "json":
        return JsonReporter()
    return TextReporter(**options)  # type: ignore[arg-type]
